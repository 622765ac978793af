import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach } from 'vitest';
import type { RingLog } from './proc.js';

/**
 * What one test (or one file) started: processes, temp dirs, clients. `close()` undoes it all, newest
 * first, each step bounded and isolated, so a failed test never leaves a process or a folder behind.
 */
export class Scope {
  private readonly closers: { what: string; fn: () => Promise<unknown> | unknown }[] = [];
  readonly logs: RingLog[] = [];

  defer(what: string, fn: () => Promise<unknown> | unknown): void { this.closers.push({ what, fn }); }

  /** A private temp folder, removed at close. */
  dir(tag: string): string {
    const d = mkdtempSync(join(tmpdir(), `aisle-fault-${tag}-`));
    this.defer(`rm ${d}`, () => rmSync(d, { recursive: true, force: true }));
    return d;
  }

  /** Output of a process to show when the test fails. */
  watch(log: RingLog): void { if (!this.logs.includes(log)) this.logs.push(log); }

  tails(n = 60): string { return this.logs.filter((l) => !l.empty).map((l) => l.tail(n)).join('\n\n'); }

  async close(): Promise<void> {
    for (const c of this.closers.splice(0).reverse()) {
      try {
        await Promise.race([Promise.resolve().then(c.fn), new Promise((_, rej) => setTimeout(() => rej(new Error('timed out')), 20_000).unref())]);
      } catch (err) { console.error(`fault cleanup "${c.what}" failed: ${(err as Error).message}`); }
    }
  }
}

/** A fresh Scope per test (closed in afterEach, tails printed if the test failed). */
export function perTestScope(): () => Scope {
  let s: Scope | undefined;
  beforeEach((ctx) => {
    const mine = new Scope();
    s = mine;
    ctx.onTestFailed(() => { console.error(`\n${ctx.task.name}: process output\n${mine.tails()}`); });
  });
  afterEach(async () => { await s?.close(); s = undefined; });
  return () => { if (!s) throw new Error('no scope outside a test'); return s; };
}

/** One Scope for the whole file (shared processes), closed in afterAll; tails printed for any failed test. */
export function perFileScope(): Scope {
  const s = new Scope();
  beforeEach((ctx) => { ctx.onTestFailed(() => { console.error(`\n${ctx.task.name}: process output\n${s.tails()}`); }); });
  afterAll(async () => { await s.close(); });
  return s;
}
