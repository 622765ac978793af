/** One serialized frame waiting for its socket. `data` is shared by every socket it fans out to. */
export type PendingFrame = { readonly type: string; readonly data: Buffer };

/** Why a frame left the mailbox without being written. */
export type Discard = 'coalesced' | 'dropped';

export type MailboxOptions = {
  /** Hard bound on distinct pending keys; past it the oldest pending frame is dropped. */
  maxPending?: number;
  onDiscard?(frame: PendingFrame, why: Discard): void;
};

/**
 * Per-socket outbox: at most one pending frame per key, latest wins (docs/performance.md §Bounded queues that coalesce).
 * Keys keep their first position, so a target that keeps changing cannot starve the others.
 */
export type Mailbox = {
  put(key: string, frame: PendingFrame): void;
  /** Writes pending frames in order while `canWrite()` holds; returns how many were written. */
  drain(canWrite: () => boolean, write: (frame: PendingFrame) => void): number;
  size(): number;
  has(key: string): boolean;
  /** Empties the mailbox; returns how many frames were discarded. */
  clear(): number;
};

/** Creates an empty mailbox. */
export function createMailbox({ maxPending = 10_000, onDiscard }: MailboxOptions = {}): Mailbox {
  const pending = new Map<string, PendingFrame>();
  return {
    put(key, frame) {
      const previous = pending.get(key);
      if (previous) onDiscard?.(previous, 'coalesced');
      else if (pending.size >= maxPending) {
        const oldest = pending.keys().next();
        if (!oldest.done) {
          onDiscard?.(pending.get(oldest.value)!, 'dropped');
          pending.delete(oldest.value);
        }
      }
      pending.set(key, frame);
    },
    drain(canWrite, write) {
      let written = 0;
      for (const [key, frame] of pending) {
        if (!canWrite()) break;
        // Delete before writing: a write may re-enter put() (e.g. an error path) for the same key.
        pending.delete(key);
        write(frame);
        written++;
      }
      return written;
    },
    size: () => pending.size,
    has: (key) => pending.has(key),
    clear() {
      const n = pending.size;
      pending.clear();
      return n;
    },
  };
}
