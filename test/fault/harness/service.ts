import { eventually } from '../../helpers/eventually.js';
import { freePort } from './net.js';
import { killProc, RingLog, spawnLogged, type ExitInfo, type Proc } from './proc.js';
import type { Scope } from './scope.js';

export type ServiceSpec = {
  name: string;
  /** The command line for a port (and writes any config it needs). */
  command(port: number): [string, string[]];
  /** True once the service answers on its port. */
  ready(port: number): Promise<boolean>;
  /** How `stop()` and `restart()` end it by default. */
  stopSignal: NodeJS.Signals;
};

/** A server process of the test's own on a free loopback port; stop and restart keep the port (and whatever its folder holds). */
export type Service = {
  readonly port: number;
  readonly log: RingLog;
  running(): boolean;
  stop(signal?: NodeJS.Signals): Promise<ExitInfo>;
  /** Starts it again on the same port; resolves once it answers. */
  restart(): Promise<void>;
};

export async function startService(scope: Scope, spec: ServiceSpec): Promise<Service> {
  const log = new RingLog(spec.name);
  scope.watch(log);
  let proc: Proc | undefined;
  let port = 0;
  const launch = async (): Promise<void> => {
    const [cmd, args] = spec.command(port);
    proc = spawnLogged(cmd, args, {}, log);
    const p = proc;
    await eventually(async () => {
      if (!p.running()) throw new Error(`${spec.name} exited at start-up\n${log.tail(20)}`);
      return (await spec.ready(port)) ? true : undefined;
    }, 10_000, 25);
  };
  // A free port can be taken by someone else between the probe and the bind: try a few.
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    try { await launch(); break; } catch (err) {
      if (proc) await killProc(proc, 'SIGKILL');
      if (attempt >= 2) throw err;
    }
  }
  scope.defer(spec.name, async () => { if (proc) await killProc(proc, 'SIGKILL'); });
  return {
    port, log,
    running: () => proc?.running() ?? false,
    async stop(signal = spec.stopSignal) {
      log.note(`stopping with ${signal}`);
      return proc ? killProc(proc, signal) : { code: null, signal: null };
    },
    async restart() {
      if (proc?.running()) await killProc(proc, spec.stopSignal);
      log.note('restarting');
      await launch();
    },
  };
}
