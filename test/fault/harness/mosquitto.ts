import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { accepts } from './net.js';
import type { Scope } from './scope.js';
import { startService, type Service } from './service.js';

const MOSQUITTO = '/usr/sbin/mosquitto';

function config(port: number, dir: string): string {
  return [
    `listener ${port} 127.0.0.1`,
    'allow_anonymous true',
    'set_tcp_nodelay true',
    // Sessions (the engine's and the publisher's subscriptions, queued and in-flight QoS 1 messages) survive a restart.
    'persistence true',
    `persistence_location ${dir}/`,
    // Mosquitto writes its store to disk only at autosave and at a clean exit. Once a second bounds what an
    // unclean stop could lose to ~1 s, and makes the on-disk state follow the test closely; a SIGTERM
    // (what the broker-restart case sends) writes everything at exit anyway.
    'autosave_interval 1',
    // A whole burst queues for an engine that is down, with room to spare; never dropped for lack of room.
    'max_queued_messages 200000',
    'max_queued_bytes 268435456',
    // At most 20 unacknowledged QoS 1 messages towards each client: an engine that acknowledges only after
    // its commit gets a bounded window, as with a production broker.
    'max_inflight_messages 20',
    // Stay the user that started us (as root, mosquitto would switch to "mosquitto" and not be able to write `dir`).
    ...(process.getuid?.() === 0 ? ['user root'] : []),
    'log_dest stderr',
    'log_type error', 'log_type warning', 'log_type notice', 'log_type information',
    '',
  ].join('\n');
}

/** A private Mosquitto on a free loopback port, with persistence in its own folder; stop (SIGTERM by default: it saves
 * its persistence first) and restart keep both. */
export type Mosquitto = Service & { readonly url: string };

export async function startMosquitto(scope: Scope): Promise<Mosquitto> {
  const dir = scope.dir('mosq');
  const conf = join(dir, 'mosquitto.conf');
  const svc = await startService(scope, { name: 'mosquitto', stopSignal: 'SIGTERM', ready: accepts,
    command: (port) => { writeFileSync(conf, config(port, dir)); return [MOSQUITTO, ['-c', conf]]; } });
  return Object.assign(svc, { url: `mqtt://127.0.0.1:${svc.port}` });
}
