import { expect, it } from 'vitest';
import { parseProfilesNdjson } from './import.js';

it('imports good lines and reports bad ones by line number', () => {
  const text = [
    JSON.stringify({ customerId: 'c-1', displayName: 'Mia' }),
    '{not json',
    '',
    JSON.stringify({ customerId: 'bad id!' }),
    JSON.stringify({ customerId: 'c-2', tier: 'diamond' }),
    JSON.stringify({ customerId: 'c-3', consent: { personalization: true, displayName: false, associateAlerts: false } }),
  ].join('\n');
  const r = parseProfilesNdjson(text);
  expect(r.profiles.map((p) => p.customerId)).toEqual(['c-1', 'c-3']);
  expect(r.profiles[0]!.consent.personalization).toBe(false); // consent defaults to no
  expect(r.errors.map((e) => e.line)).toEqual([2, 4, 5]);
  expect(r.errors[1]!.message).toContain('customerId');
  expect(r.errors[2]!.message).toContain('tier');
});
