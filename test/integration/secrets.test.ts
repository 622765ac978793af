import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { makeTokens } from '../../scripts/secrets/tokens.js';
import { testStore, uniqueId } from '../helpers/fixtures.js';

/** Runs `engine/main.ts` as a real process until it prints its banner (or exits); returns what it printed. */
function run(env: Record<string, string>, untilBanner = true): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AISLE_|MQTT_|REDIS_|PORT$|HOST$)/.test(k)));
    const p = spawn(process.execPath, ['--import', 'tsx', 'engine/main.ts'], { env: { ...base, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env } });
    let out = '';
    const done = (code: number | null) => { clearTimeout(timer); resolve({ code, out }); };
    const timer = setTimeout(() => { p.kill('SIGKILL'); }, 30_000);
    const take = (b: Buffer) => {
      out += b.toString();
      if (untilBanner && out.includes('Screen scr-candles-1')) p.kill('SIGTERM');
    };
    p.stdout.on('data', take);
    p.stderr.on('data', take);
    p.on('exit', (code) => done(code));
  });
}

describe('secrets outside the demo (real engine processes)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aisle-secrets-'));
  const storeId = uniqueId('sec');
  const storePath = join(dir, 'store.json');
  writeFileSync(storePath, JSON.stringify(testStore(storeId)));
  const tokens = makeTokens([testStore(storeId)]);
  const tokensPath = join(dir, 'tokens.json');
  writeFileSync(tokensPath, JSON.stringify({ tokens }));
  const common = () => ({ MQTT_URL: inject('mosquittoUrl'), REDIS_URL: inject('redisUrl'), AISLE_REDIS_PREFIX: `${uniqueId('sec')}:`,
    AISLE_STORES: storePath, MQTT_CLIENT_ID: uniqueId('sec-engine'), AISLE_JOURNAL_DIR: join(dir, 'journal'), AISLE_SIMULATE: '0' });

  it('never prints a token or a password when started with real secrets', async () => {
    const ops = 'ops_' + 'k'.repeat(28);
    const { out } = await run({ ...common(), AISLE_TOKENS: tokensPath, AISLE_OPS_TOKEN: ops });
    expect(out).toContain('Aislecast engine on');
    expect(out).toContain('Screen scr-candles-1');
    for (const t of tokens) expect(out).not.toContain(t.token);
    expect(out).not.toContain(ops);
  });

  it('refuses the shipped example tokens, naming the variable and not the token', async () => {
    const { code, out } = await run({ ...common(), AISLE_TOKENS: 'deploy/tokens.example.json' }, false);
    expect(code).toBe(2);
    expect(out).toMatch(/AISLE_TOKENS: the screen token for s-001\/scr-entrance-1 is an example token/);
    expect(out).not.toContain('EXAMPLE-replace-me');
  });

  it('refuses an example broker password, and starting outside the demo without tokens or without a broker', async () => {
    const withPw = { ...common(), AISLE_TOKENS: tokensPath, MQTT_URL: inject('mosquittoUrl').replace('mqtt://', 'mqtt://engine:change-me-engine@') };
    const a = await run(withPw, false);
    expect(a.code).toBe(2);
    expect(a.out).toMatch(/MQTT_URL: the password is an example password/);
    expect(a.out).not.toContain('change-me-engine');
    const b = await run({ ...common() }, false);
    expect(b.code).toBe(2);
    expect(b.out).toMatch(/AISLE_TOKENS: required outside the demo/);
    const { MQTT_URL: _, ...noBroker } = common();
    const c = await run({ ...noBroker, AISLE_TOKENS: tokensPath }, false);
    expect(c.code).toBe(2);
    expect(c.out).toMatch(/MQTT_URL: required outside the demo/);
  });
});
