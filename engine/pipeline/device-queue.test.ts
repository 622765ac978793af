import { expect, it } from 'vitest';
import type { InboundEvent } from '#contracts';
import { createDeviceQueue } from './device-queue.js';

const p = (id: string, zoneId: string): InboundEvent => ({ type: 'presence', id, ts: 1, storeId: 's', deviceId: 'd', zoneId, source: 'wifi' });

it('runs one key in order, coalesces queued presence, keeps other types, and reports idle', async () => {
  const ran: string[] = [];
  let shed = 0;
  const q = createDeviceQueue(async ({ event }) => { await new Promise((r) => setTimeout(r, 5)); ran.push(event.id); }, () => shed++, () => {});
  q.push('d', { event: p('1', 'a'), receivedAt: 0 });
  q.push('d', { event: p('2', 'b'), receivedAt: 0 });
  q.push('d', { event: p('3', 'c'), receivedAt: 0 });
  q.push('d', { event: { type: 'identity', id: '4', ts: 1, storeId: 's', deviceId: 'd', customerId: 'c', method: 'pos' }, receivedAt: 0 });
  q.push('d', { event: p('5', 'e'), receivedAt: 0 });
  q.push('other', { event: p('6', 'x'), receivedAt: 0 });
  expect(q.inFlight).toBe(5);
  await q.idle();
  expect(ran.filter((x) => x !== '6')).toEqual(['1', '3', '4', '5']);
  expect(ran).toContain('6');
  expect(shed).toBe(1);
  expect(q.inFlight).toBe(0);
});

it('keeps going after a job throws', async () => {
  const errors: unknown[] = [];
  const ran: string[] = [];
  const q = createDeviceQueue(async ({ event }) => { if (event.id === '1') throw new Error('boom'); ran.push(event.id); }, () => {}, (e) => errors.push(e));
  q.push('d', { event: p('1', 'a'), receivedAt: 0 });
  q.push('d', { event: p('2', 'b'), receivedAt: 0 });
  await q.idle();
  expect(ran).toEqual(['2']);
  expect(errors).toHaveLength(1);
});
