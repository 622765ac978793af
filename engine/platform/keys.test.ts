import { expect, it } from 'vitest';
import { createKeys } from './keys.js';

it('keeps keys of ids that contain the separator apart, and leaves plain ids as documented', () => {
  const k = createKeys('aisle:');
  expect(k.visit('s-001', 'd-1')).toBe('aisle:visit:s-001:d-1');
  expect(k.seen('s-001', 't-77')).toBe('aisle:seen:s-001:t-77');
  expect(k.visit('a:b', 'c')).not.toBe(k.visit('a', 'b:c'));
  expect(k.seen('s:1', 'e')).not.toBe(k.seen('s', '1:e'));
});
