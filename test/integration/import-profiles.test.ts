import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { expect, inject, it } from 'vitest';
import { createKeys } from '../../engine/platform/keys.js';
import { uniqueId } from '../helpers/fixtures.js';
import { dropPrefix } from '../helpers/engine.js';

it('npm run import-profiles loads good lines into Redis and reports bad ones by line number', async () => {
  const redisUrl = inject('redisUrl');
  const prefix = `${uniqueId('imp')}:`;
  const file = join(mkdtempSync(join(tmpdir(), 'aisle-import-')), 'profiles.ndjson');
  writeFileSync(file, [
    JSON.stringify({ customerId: 'c-1', displayName: 'Mia', consent: { personalization: true, displayName: true, associateAlerts: false } }),
    '{broken',
    JSON.stringify({ customerId: 'c-2', tier: 'diamond' }),
    JSON.stringify({ customerId: 'c-3' }),
  ].join('\n'));
  const r = new Redis(redisUrl);
  const sub = new Redis(redisUrl);
  const notices: string[] = [];
  await sub.subscribe(`${prefix}profile:changed`);
  sub.on('message', (_c, m) => notices.push(m));
  try {
    const run = promisify(execFile)('node', ['--import', 'tsx', 'engine/profiles/import-cli.ts', file],
      { env: { ...process.env, REDIS_URL: redisUrl, AISLE_REDIS_PREFIX: prefix } });
    const { stdout, stderr } = await run;
    expect(stdout).toContain('imported 2 profiles, skipped 2 bad line(s)');
    expect(stderr).toContain(`${file}:2: invalid JSON`);
    expect(stderr).toContain(`${file}:3: tier`);
    expect(JSON.parse((await r.get(createKeys(prefix).profile('c-1')))!).displayName).toBe('Mia');
    expect(JSON.parse((await r.get(createKeys(prefix).profile('c-3')))!).consent.personalization).toBe(false);
    expect(await r.exists(createKeys(prefix).profile('c-2'))).toBe(0);
    await new Promise((res) => setTimeout(res, 100));
    expect(notices).toEqual(['import|c-1', 'import|c-3']);
  } finally {
    r.disconnect();
    sub.disconnect();
    await dropPrefix(redisUrl, prefix);
  }
});
