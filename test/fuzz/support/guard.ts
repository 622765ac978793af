/**
 * Collects unhandled rejections and uncaught exceptions raised while a fuzz file runs (the engine
 * runs in-process, so a throw in one of its socket handlers lands here). One collector per file.
 */
export function installProcessGuard() {
  const problems: { kind: 'unhandledRejection' | 'uncaughtException'; error: unknown }[] = [];
  const waiters = new Set<() => void>();
  const push = (kind: 'unhandledRejection' | 'uncaughtException') => (error: unknown) => {
    problems.push({ kind, error });
    for (const w of [...waiters]) w();
  };
  const onRejection = push('unhandledRejection');
  const onException = push('uncaughtException');
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  const describe = (e: unknown) => (e instanceof Error ? e.stack ?? e.message : String(e));
  return {
    problems,
    /** How many were seen so far: compare before and after a run. */
    get count() { return problems.length; },
    /** Throws (with every stack) if anything was collected since `from`. */
    assertClean(from = 0, what = ''): void {
      const fresh = problems.slice(from);
      if (fresh.length) {
        throw new Error(`${fresh.length} unhandled error(s)${what ? ` during ${what}` : ''}:\n` +
          fresh.map((p) => `${p.kind}: ${describe(p.error)}`).join('\n---\n'));
      }
    },
    /** Resolves when something is collected after `from` (lets a socket wait give up early on a crash); never rejects. */
    whenNew(from: number): { promise: Promise<void>; cancel(): void } {
      let w: () => void = () => {};
      const promise = new Promise<void>((resolve) => {
        if (problems.length > from) { resolve(); return; }
        w = () => { waiters.delete(w); resolve(); };
        waiters.add(w);
      });
      return { promise, cancel: () => waiters.delete(w) };
    },
    uninstall(): void {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onException);
    },
  };
}
export type ProcessGuard = ReturnType<typeof installProcessGuard>;
