import { expect, it } from 'vitest';
import { createLifecycle } from './lifecycle.js';
import { silentLogger } from './log.js';

it('stops in reverse order, isolates a failing step, and runs once however often it is called', async () => {
  const order: string[] = [];
  const life = createLifecycle(silentLogger(), 1000);
  life.onStop('store', () => { order.push('store'); });
  life.onStop('broken', () => { order.push('broken'); throw new Error('boom'); });
  life.onStop('http', async () => { order.push('http'); });
  await Promise.all([life.stop(), life.stop()]);
  await life.stop();
  expect(order).toEqual(['http', 'broken', 'store']);
});

it('gives up at the deadline when a step hangs', async () => {
  const life = createLifecycle(silentLogger(), 50);
  life.onStop('hangs', () => new Promise(() => {}));
  const t = Date.now();
  await life.stop();
  expect(Date.now() - t).toBeLessThan(1000);
});
