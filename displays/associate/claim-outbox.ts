/**
 * @module associate/claim-outbox
 * Claims and releases this associate asked for and the engine has not yet confirmed. Nothing is silently
 * lost when the network drops:
 * - asked while offline: **queued**, shown as such on the card ("sent when the connection is back", with
 *   Cancel), and sent after the next `welcome` once the replay of open alerts has arrived;
 * - sent, but the connection dropped before the engine's `alert.claimed` came back: queued again (the
 *   engine may or may not have seen it; a claim or release by the holder is harmless to repeat);
 * - before a queued claim is sent, the alert's current holder is checked: if another associate took it
 *   meanwhile the claim is dropped with a notice ("Sam claimed this VIP first"), never sent to steal it;
 *   if this associate already holds it (or, for a release, no longer does), there is nothing to send;
 * - sent and online, but no answer within `answerTimeoutMs`: dropped with a "no answer, try again" notice.
 * The queue lives in memory: a reload starts empty (the card then shows the engine's state again).
 */
import type { Claim, Release } from '../shared/contracts.js';

export type ClaimAction = 'claim' | 'release';

export interface PendingAction {
  action: ClaimAction;
  /** `queued`: waits for a connection; `sent`: on the wire, waiting for `alert.claimed`. */
  state: 'queued' | 'sent';
  /** When it was asked for, or sent (client time). */
  since: number;
}

export type Notice = { kind: 'taken'; by: string } | { kind: 'noAnswer' };

export interface ClaimOutboxOptions {
  /** A sent action with no answer for this long (while online) is given up with a notice. */
  answerTimeoutMs?: number;
}

export interface ClaimOutbox {
  /** Asks for a claim or release: sent at once when `send` succeeds, else queued. */
  request(alertId: string, action: ClaimAction, send: (f: Claim | Release) => boolean, now: number): PendingAction;
  cancel(alertId: string): void;
  pending(alertId: string): PendingAction | undefined;
  notice(alertId: string): Notice | undefined;
  dismiss(alertId: string): void;
  /** The socket closed: whatever was sent but not confirmed is queued again. */
  disconnected(): void;
  /**
   * Sends every queued action that still makes sense given each alert's current holder
   * (`holderOf`: undefined when the alert is unknown). Returns true when anything changed.
   */
  flush(send: (f: Claim | Release) => boolean, holderOf: (alertId: string) => string | null | undefined, me: string, now: number): boolean;
  /** An alert's holder changed (or was re-stated): settles its pending action. Returns true when anything changed. */
  settle(alertId: string, holder: string | null, me: string): boolean;
  /** Gives up sent actions older than the answer timeout. Returns true when anything changed. */
  expire(now: number): boolean;
  readonly size: number;
}

export function createClaimOutbox({ answerTimeoutMs = 8000 }: ClaimOutboxOptions = {}): ClaimOutbox {
  const pending = new Map<string, PendingAction>();
  const notices = new Map<string, Notice>();
  const frame = (alertId: string, action: ClaimAction): Claim | Release => ({ type: action, alertId });

  /** Whether the action is already done (true), must not be sent (a notice), or still to do (false). */
  const outcome = (p: PendingAction, holder: string | null | undefined, me: string): boolean | Notice => {
    if (holder === undefined) return false;
    if (p.action === 'claim') return holder === me ? true : holder !== null ? { kind: 'taken', by: holder } : false;
    return holder !== me;
  };

  return {
    request(alertId, action, send, now) {
      notices.delete(alertId);
      const p: PendingAction = { action, state: send(frame(alertId, action)) ? 'sent' : 'queued', since: now };
      pending.set(alertId, p);
      return p;
    },
    cancel(alertId) { pending.delete(alertId); },
    pending: (alertId) => pending.get(alertId),
    notice: (alertId) => notices.get(alertId),
    dismiss(alertId) { notices.delete(alertId); },
    disconnected() {
      for (const p of pending.values()) p.state = 'queued';
    },
    flush(send, holderOf, me, now) {
      let changed = false;
      for (const [alertId, p] of pending) {
        if (p.state !== 'queued') continue;
        const o = outcome(p, holderOf(alertId), me);
        if (o !== false) {
          pending.delete(alertId);
          if (o !== true) notices.set(alertId, o);
          changed = true;
          continue;
        }
        if (send(frame(alertId, p.action))) { p.state = 'sent'; p.since = now; changed = true; }
      }
      return changed;
    },
    settle(alertId, holder, me) {
      const p = pending.get(alertId);
      if (!p) return false;
      const o = outcome(p, holder, me);
      if (o === false) return false;
      pending.delete(alertId);
      if (o !== true) notices.set(alertId, o);
      return true;
    },
    expire(now) {
      let changed = false;
      for (const [alertId, p] of pending) {
        if (p.state === 'sent' && now - p.since > answerTimeoutMs) {
          pending.delete(alertId);
          notices.set(alertId, { kind: 'noAnswer' });
          changed = true;
        }
      }
      return changed;
    },
    get size() { return pending.size; },
  };
}
