/**
 * Acknowledges inbound messages in the order they arrived, each once its own work is done, while
 * several are worked on at once (MQTT 3.1.1 §4.6: PUBACKs go out in PUBLISH order). Bounded: past
 * `max` held messages, `room()` makes the reader wait.
 */
export function createAckWindow(max: number) {
  type Slot = { done: boolean; failed: boolean; ack: () => void };
  let slots: Slot[] = [];
  let roomWaiters: (() => void)[] = [];
  let idleWaiters: (() => void)[] = [];

  const flush = () => {
    while (slots.length && slots[0]!.done) {
      const s = slots.shift()!;
      if (!s.failed) s.ack();
    }
    if (slots.length < max && roomWaiters.length) { const w = roomWaiters; roomWaiters = []; for (const r of w) r(); }
    if (!slots.length && idleWaiters.length) { const w = idleWaiters; idleWaiters = []; for (const r of w) r(); }
  };

  return {
    /** Holds a message; `ack` sends its acknowledgement. Call `settle(ok)` on the result when its work ends. */
    hold(ack: () => void): (ok: boolean) => void {
      const s: Slot = { done: false, failed: false, ack };
      slots.push(s);
      return (ok) => { s.done = true; s.failed = !ok; flush(); };
    },
    /** Resolves when fewer than `max` messages are held. */
    room(): Promise<void> | undefined {
      return slots.length < max ? undefined : new Promise<void>((r) => roomWaiters.push(r));
    },
    /** Forgets every held message without acknowledging it (the connection that brought them is gone). */
    drop(): void { slots = []; flush(); },
    /** Resolves when nothing is held. */
    idle(): Promise<void> { return slots.length ? new Promise<void>((r) => idleWaiters.push(r)) : Promise.resolve(); },
    get size(): number { return slots.length; },
  };
}
export type AckWindow = ReturnType<typeof createAckWindow>;
