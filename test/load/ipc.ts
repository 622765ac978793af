import type { ChildProcess } from 'node:child_process';

/** Request/response over the Node IPC channel between the bench and its child processes. */
type Envelope = { id: number; cmd: string; args?: unknown };
type Reply = { id: number; ok: boolean; result?: unknown; error?: string };

let nextId = 1;

/** Sends a command to a child and resolves with its answer. */
export function request<T>(child: ChildProcess, cmd: string, args?: unknown, timeoutMs = 120_000): Promise<T> {
  const id = nextId++;
  return new Promise<T>((resolve, reject) => {
    const onMsg = (m: unknown) => {
      const r = m as Reply;
      if (typeof r !== 'object' || r === null || r.id !== id) return;
      done();
      if (r.ok) resolve(r.result as T); else reject(new Error(`${cmd}: ${r.error}`));
    };
    const onExit = (code: number | null) => { done(); reject(new Error(`${cmd}: child exited (${code})`)); };
    const t = setTimeout(() => { done(); reject(new Error(`${cmd}: no answer within ${timeoutMs} ms`)); }, timeoutMs);
    const done = () => { clearTimeout(t); child.off('message', onMsg); child.off('exit', onExit); };
    child.on('message', onMsg);
    child.once('exit', onExit);
    child.send({ id, cmd, args } satisfies Envelope);
  });
}

/** Waits for the child's first `{ ready: … }` message. */
export function ready<T>(child: ChildProcess, what: string, timeoutMs = 30_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what} not ready within ${timeoutMs} ms`)), timeoutMs);
    child.once('exit', (code) => { clearTimeout(t); reject(new Error(`${what} exited (${code}) before it was ready`)); });
    child.on('message', (m) => {
      const r = m as { ready?: T };
      if (typeof r === 'object' && r !== null && 'ready' in r) { clearTimeout(t); resolve(r.ready as T); }
    });
  });
}

/** Child side: answers commands; a parent that goes away ends the child (after `onGone`). */
export function serve(handlers: Record<string, (args: never) => unknown>, onGone: () => Promise<void> | void = () => {}): void {
  process.on('message', (m: Envelope) => {
    const h = handlers[m.cmd] as ((a: unknown) => unknown) | undefined;
    if (!h) { process.send?.({ id: m.id, ok: false, error: `unknown command ${m.cmd}` } satisfies Reply); return; }
    Promise.resolve().then(() => h(m.args)).then(
      (result) => process.send?.({ id: m.id, ok: true, result } satisfies Reply),
      (err: unknown) => process.send?.({ id: m.id, ok: false, error: (err as Error).message ?? String(err) } satisfies Reply));
  });
  process.on('disconnect', () => { void Promise.resolve(onGone()).finally(() => process.exit(0)); });
  const bye = () => { void Promise.resolve(onGone()).finally(() => process.exit(0)); };
  process.on('SIGTERM', bye);
  process.on('SIGINT', () => {}); // Ctrl-C reaches the whole group: the parent decides when we stop
}

/** Microseconds on CLOCK_MONOTONIC: the same clock in every process of this machine. */
export const monoUs = (): number => Number(process.hrtime.bigint() / 1000n);
