import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/** How a child process ended. */
export type ExitInfo = { code: number | null; signal: NodeJS.Signals | null };

/** The last lines a process wrote (stdout and stderr interleaved), for failure messages. */
export class RingLog {
  private readonly lines: string[] = [];
  private partial = '';
  constructor(readonly name: string, private readonly max = 400) {}

  write(chunk: Buffer | string, stream: 'out' | 'err'): void {
    const text = this.partial + String(chunk);
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    for (const l of parts) this.push(stream === 'err' ? `! ${l}` : l);
  }

  /** A line of our own (process started, killed, …), so the tail reads as a story. */
  note(line: string): void { this.push(`## ${new Date().toISOString().slice(11, 23)} ${line}`); }

  private push(line: string): void {
    this.lines.push(line.length > 600 ? `${line.slice(0, 600)}…` : line);
    if (this.lines.length > this.max) this.lines.splice(0, this.lines.length - this.max);
  }

  get empty(): boolean { return this.lines.length === 0 && !this.partial; }

  tail(n = 60): string {
    const all = this.partial ? [...this.lines, this.partial] : this.lines;
    return `--- last ${Math.min(n, all.length)} lines of ${this.name} ---\n${all.slice(-n).join('\n')}`;
  }
}

/** Every child this worker started: killed if the worker exits without cleaning up (crash, Ctrl-C). */
const live = new Set<ChildProcess>();
process.once('exit', () => { for (const c of live) { try { c.kill('SIGKILL'); } catch { /* gone */ } } });

/** A running child whose output goes to a RingLog. */
export type Proc = {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<ExitInfo>;
  running(): boolean;
};

export function spawnLogged(cmd: string, args: string[], opts: SpawnOptions, log: RingLog): Proc {
  const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  child.stdout?.on('data', (d: Buffer) => log.write(d, 'out'));
  child.stderr?.on('data', (d: Buffer) => log.write(d, 'err'));
  let done = false;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('error', (err) => { log.note(`spawn error: ${err.message}`); done = true; live.delete(child); resolve({ code: -1, signal: null }); });
    child.once('exit', (code, signal) => { done = true; live.delete(child); log.note(`exited code=${code} signal=${signal}`); resolve({ code, signal }); });
  });
  log.note(`started pid ${child.pid}: ${cmd} ${args.join(' ')}`);
  return { child, pid: child.pid ?? -1, exited, running: () => !done };
}

/** Sends a signal and waits for the exit; SIGKILLs after `escalateMs` if it is still there (never hangs a test). */
export async function killProc(p: Proc, signal: NodeJS.Signals, escalateMs = 15_000): Promise<ExitInfo> {
  if (!p.running()) return p.exited;
  p.child.kill(signal);
  const t = setTimeout(() => { if (p.running()) p.child.kill('SIGKILL'); }, escalateMs);
  try { return await p.exited; } finally { clearTimeout(t); }
}
