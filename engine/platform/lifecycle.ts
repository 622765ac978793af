import type { Logger } from './log.js';

type Step = { name: string; stop: () => Promise<void> | void };

/**
 * Ordered, idempotent, bounded shutdown (docs/conventions.md §Shutdown): steps run in reverse registration order,
 * each isolated in try/catch, the whole run raced against a deadline.
 */
export function createLifecycle(log: Logger, deadlineMs: number) {
  const steps: Step[] = [];
  let closing: Promise<void> | undefined;

  async function runSteps(): Promise<void> {
    for (const s of steps) {
      const t = Date.now();
      try { await s.stop(); log.debug({ step: s.name, ms: Date.now() - t }, 'stopped'); }
      catch (err) { log.error({ err, step: s.name }, 'shutdown step failed'); }
    }
  }

  return {
    /** Registers a stop step; later registrations stop first. */
    onStop(name: string, stop: Step['stop']): void { steps.unshift({ name, stop }); },
    stop(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        const timer = setTimeout(() => { log.warn({ deadlineMs }, 'shutdown deadline passed'); resolve(); }, deadlineMs);
        timer.unref();
        void runSteps().then(() => { clearTimeout(timer); resolve(); });
      });
      return closing;
    },
  };
}
export type Lifecycle = ReturnType<typeof createLifecycle>;
