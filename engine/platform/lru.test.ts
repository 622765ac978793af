import { expect, it } from 'vitest';
import { Lru } from './lru.js';

it('keeps recently used entries, forgets old ones, and never holds more than its capacity', () => {
  const l = new Lru<string, number>(4);
  l.set('a', 1); l.set('b', 2);
  expect(l.get('a')).toBe(1); // a hit moves it to the young generation
  l.set('c', 3);
  expect(l.has('a')).toBe(true); // used again: kept
  expect(l.has('b')).toBe(false); // not used since: dropped with its generation
  l.set('d', 4); l.set('e', 5);
  expect(l.size).toBeLessThanOrEqual(4);
  l.set('a', 10);
  expect(l.get('a')).toBe(10);
  expect(l.delete('a')).toBe(true);
  expect(l.get('a')).toBeUndefined();
  for (let i = 0; i < 1000; i++) l.set(`k${i}`, i);
  expect(l.size).toBeLessThanOrEqual(4);
  expect(l.get('k999')).toBe(999);
});
