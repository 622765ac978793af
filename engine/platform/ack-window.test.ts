import { expect, it } from 'vitest';
import { createAckWindow } from './ack-window.js';

it('acknowledges in arrival order, each once its own work is done', () => {
  const w = createAckWindow(10);
  const acked: number[] = [];
  const settle = [1, 2, 3].map((n) => w.hold(() => acked.push(n)));
  settle[2]!(true);
  settle[1]!(true);
  expect(acked).toEqual([]); // 1 is still at work: 2 and 3 wait behind it
  settle[0]!(true);
  expect(acked).toEqual([1, 2, 3]);
  expect(w.size).toBe(0);
});

it('never acknowledges a failed message, bounds what it holds, and forgets a lost connection', async () => {
  const w = createAckWindow(2);
  const acked: number[] = [];
  const a = w.hold(() => acked.push(1));
  expect(w.room()).toBeUndefined();
  w.hold(() => acked.push(2));
  const room = w.room();
  expect(room).toBeInstanceOf(Promise);
  a(false);
  await room;
  expect(acked).toEqual([]);
  const idle = w.idle();
  w.drop();
  await idle;
  expect(acked).toEqual([]);
});
