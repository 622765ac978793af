import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '../../helpers/eventually.js';
import { accepts, freePort } from './net.js';
import { killProc, RingLog, spawnLogged, type ExitInfo, type Proc } from './proc.js';
import type { Scope } from './scope.js';

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

/** A private Mosquitto on a free loopback port, with persistence in its own folder; stop and restart keep both. */
export type Mosquitto = {
  readonly port: number;
  readonly url: string;
  readonly log: RingLog;
  running(): boolean;
  /** Stops it with a signal (SIGTERM: it saves its persistence first) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<ExitInfo>;
  /** Starts it again on the same port, config and persistence folder; resolves once it accepts connections. */
  restart(): Promise<void>;
};

export async function startMosquitto(scope: Scope): Promise<Mosquitto> {
  const dir = scope.dir('mosq');
  const log = new RingLog('mosquitto');
  scope.watch(log);
  let proc: Proc | undefined;
  let port = 0;
  const conf = join(dir, 'mosquitto.conf');

  const launch = async (): Promise<void> => {
    proc = spawnLogged(MOSQUITTO, ['-c', conf], {}, log);
    const p = proc;
    await eventually(async () => {
      if (!p.running()) throw new Error(`mosquitto exited at start-up\n${log.tail(20)}`);
      return (await accepts(port)) ? true : undefined;
    }, 10_000, 25);
  };

  // A free port can be taken by someone else between the probe and the bind: try a few.
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    writeFileSync(conf, config(port, dir));
    try { await launch(); break; }
    catch (err) {
      if (proc) await killProc(proc, 'SIGKILL');
      if (attempt >= 2) throw err;
    }
  }
  scope.defer('mosquitto', async () => { if (proc) await killProc(proc, 'SIGKILL'); });

  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    log,
    running: () => proc?.running() ?? false,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      log.note(`stopping with ${signal}`);
      return proc ? killProc(proc, signal) : { code: null, signal: null };
    },
    async restart() {
      if (proc?.running()) await killProc(proc, 'SIGTERM');
      log.note('restarting');
      await launch();
    },
  };
}
