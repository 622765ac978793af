import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';
import type { Bus, MessageHandler } from './bus.js';
import type { Logger } from './log.js';

export type EmbeddedBusOptions = { port: number; host?: string; log: Logger; onMessage: MessageHandler; maxUnacked?: number;
  /** When the port is busy, listen on a free one instead of failing (the demo's default port). */
  anyPortIfBusy?: boolean };

/**
 * The zero-setup broker: aedes in this process, listening on TCP for gateways and the simulator.
 * The engine itself subscribes in-process (no socket): docs/performance.md measured 0.28 ms p50 this
 * way against 1.3 ms through a loopback client. The demo promises no durability (docs/delivery.md):
 * a message is handed on at once, and only a full window of unfinished work holds the publisher back.
 * `session(handler)` adds another in-process subscriber with a handler of its own (the transactional
 * session of an external broker, here sharing the broker).
 */
export async function createEmbeddedBus({ port, host = '127.0.0.1', log, onMessage, anyPortIfBusy = false, maxUnacked = 20_000 }: EmbeddedBusOptions): Promise<Bus & { port: number; session(handler: MessageHandler): Bus }> {
  const broker = await Aedes.createBroker();
  broker.on('clientError', (client, err) => log.debug({ client: client?.id, err: err.message }, 'mqtt client error'));
  const tcp: Server = createServer((socket) => { socket.setNoDelay(true); broker.handle(socket); });
  await listen(tcp, port, host).catch(async (err: NodeJS.ErrnoException) => {
    if (!anyPortIfBusy || err.code !== 'EADDRINUSE') throw err;
    log.warn({ port }, 'MQTT port busy (another broker?); the embedded broker takes a free port');
    await listen(tcp, 0, host);
  });
  const bound = (tcp.address() as { port: number }).port;
  let open = true;
  const url = `mqtt://127.0.0.1:${bound}`;
  const publish: Bus['publish'] = (topic, payload, qos = 0) => new Promise<void>((resolve, reject) => {
    broker.publish({ cmd: 'publish', topic, payload: typeof payload === 'string' ? Buffer.from(payload) : payload,
      qos, retain: false, dup: false }, (err?: Error) => (err ? reject(err) : resolve()));
  });

  function session(handler: MessageHandler): Bus {
    let taking = true;
    let unacked = 0;
    let idle: (() => void)[] = [];
    let room: (() => void)[] = [];
    const finished = () => {
      unacked--;
      if (unacked < maxUnacked && room.length) { const w = room; room = []; for (const r of w) r(); }
      if (!unacked && idle.length) { const w = idle; idle = []; for (const r of w) r(); }
    };
    const deliver = (packet: { topic: string; payload: Buffer | string }, cb: () => void) => {
      if (!open || !taking) return cb();
      let r: void | Promise<void> = undefined;
      try {
        r = handler(packet.topic, Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload));
      } catch (err) {
        log.error({ err }, 'inbound handler threw');
      }
      if (!(r instanceof Promise)) return cb();
      unacked++;
      r.then(finished, (err: unknown) => { log.error({ err, topic: packet.topic }, 'event not applied'); finished(); });
      if (unacked < maxUnacked) cb(); else room.push(cb);
    };
    return {
      kind: 'embedded', url, publish,
      subscribe: (filter) => new Promise<void>((resolve) => broker.subscribe(filter, deliver, () => resolve())),
      isUp: () => open,
      get unacked() { return unacked; },
      async stopTaking(timeoutMs) {
        taking = false;
        if (unacked) await Promise.race([new Promise<void>((r) => idle.push(r)), new Promise<void>((r) => setTimeout(r, timeoutMs).unref())]);
      },
      close: async () => { taking = false; },
    };
  }

  const main = session(onMessage);
  return {
    ...main,
    get unacked() { return main.unacked; },
    port: bound,
    session,
    close: async () => {
      if (!open) return;
      open = false;
      await new Promise<void>((r) => broker.close(() => r()));
      await new Promise<void>((r) => tcp.close(() => r()));
    },
  };
}

/** Listens on a port, or rejects with the listen error (EADDRINUSE…). */
export function listen(server: { listen(port: number, host: string, cb: () => void): unknown; once(e: 'error', cb: (err: Error) => void): unknown; off(e: 'error', cb: (err: Error) => void): unknown },
  port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => { server.off('error', reject); resolve(); });
  });
}
