import type { z } from 'zod';
import { parseUntrusted } from '#contracts';
import type { Logger } from './log.js';

/** A document as held in process, with the exact JSON it was read from (to tell a real change from a re-read). */
export type Held<T> = { doc: T; raw: string };

/** How log lines and messages name the documents: `rule` / `rules`, `experiment` / `experiments`. */
export type DocLabels = { noun: string; plural: string };

export type VersionedSnapshotDeps<T> = {
  log: Logger;
  /** The stored document's schema (e.g. `Rule`). */
  schema: z.ZodType<T>;
  /** The field holding a document's own id (e.g. `ruleId`); a value stored under another id is invalid. */
  idField: string;
  /** The snapshot's order (e.g. rules: priority, high first, then id). */
  order: (a: T, b: T) => number;
  labels: DocLabels;
  /** Called once for every distinct unreadable value met in the hash. */
  onInvalid?: (id: string) => void;
};

const idOf = (doc: unknown, idField: string): unknown => (doc as Record<string, unknown>)[idField];

/**
 * The documents of one kind every reader uses: a frozen array that is the same object until a document
 * really changes, so reading it costs nothing. Fed by whoever reads Redis (versioned-store.ts); knows
 * no I/O itself. Rules (engine/rules/rule-snapshot.ts) and experiments are instances.
 */
export function createVersionedSnapshot<T>({ log, schema, idField, order, labels, onInvalid }: VersionedSnapshotDeps<T>) {
  const held = new Map<string, Held<T>>();
  let snap: readonly T[] = Object.freeze([]);
  const listeners: ((ids: string[]) => void)[] = [];
  // Unreadable values already reported, so a periodic reload does not log the same garbage again.
  const reported = new Map<string, string>();
  let invalidTotal = 0;

  return {
    snapshot: (): readonly T[] => snap,
    get: (id: string): T | undefined => held.get(id)?.doc,
    ids: (): string[] => [...held.keys()],
    invalidTotal: (): number => invalidTotal,
    onChange(cb: (ids: string[]) => void): void { listeners.push(cb); },

    /**
     * A stored value → a document, or undefined when it is not a valid document stored under its own
     * id (garbage is skipped, logged once and counted).
     */
    parse(id: string, raw: string): T | undefined {
      let json: unknown;
      try { json = JSON.parse(raw); } catch { json = undefined; }
      const r = parseUntrusted(schema, json);
      if (r.success && idOf(r.data, idField) === id) { reported.delete(id); return r.data as T; }
      if (reported.get(id) !== raw) {
        reported.set(id, raw);
        invalidTotal++;
        onInvalid?.(id);
        const issue = r.success ? { path: idField, message: `holds ${labels.noun} ${String(idOf(r.data, idField))}` }
          : { path: r.error.issues[0]?.path.join('.'), message: r.error.issues[0]?.message };
        log.error({ [idField]: id, ...issue }, `stored ${labels.noun} is invalid; it is skipped until it is rewritten`);
      }
      return undefined;
    },

    /** Applies reads (undefined: the document is gone or unreadable); tells listeners which ids really changed. */
    apply(changes: ReadonlyMap<string, Held<T> | undefined>): string[] {
      const changed: string[] = [];
      for (const [id, next] of changes) {
        const cur = held.get(id);
        if (next ? cur?.raw === next.raw : !cur) continue;
        if (next) held.set(id, next); else held.delete(id);
        changed.push(id);
      }
      if (!changed.length) return changed;
      snap = Object.freeze([...held.values()].map((h) => h.doc).sort(order));
      for (const cb of listeners) {
        try { cb(changed); } catch (err) { log.error({ err }, `${labels.noun} change listener failed`); }
      }
      return changed;
    },

    /** Forgets what was reported for documents no longer in the hash (a later garbage value is reported again). */
    forgetReported(present: ReadonlySet<string>): void {
      for (const id of reported.keys()) if (!present.has(id)) reported.delete(id);
    },
  };
}
export type VersionedSnapshot<T> = ReturnType<typeof createVersionedSnapshot<T>>;
