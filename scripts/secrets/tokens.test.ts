import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TokensFile } from '#contracts';
import { secretProblems } from '../../engine/auth/secrets.js';
import { loadStoreConfigs } from '../../engine/stores/load.js';
import { makeAcl, makeTokens } from './tokens.js';

describe('npm run secrets: tokens and ACL', () => {
  const stores = loadStoreConfigs();
  it('makes a valid token for every screen and role, all distinct, none refused as an example', () => {
    const tokens = makeTokens(stores);
    expect(TokensFile.parse({ tokens }).tokens).toHaveLength(tokens.length);
    for (const s of stores) for (const sc of s.screens) expect(tokens.some((t) => t.role === 'screen' && t.subject === sc.screenId)).toBe(true);
    expect(new Set(tokens.map((t) => t.token)).size).toBe(tokens.length);
    expect(secretProblems({ tokens, urls: {} })).toEqual([]);
    expect(makeTokens(stores)[0]!.token).not.toBe(tokens[0]!.token);
  });
  it('gives every store its own gateway block in the ACL, and keeps the rest', () => {
    const acl = makeAcl(readFileSync(new URL('../../deploy/mosquitto/acl', import.meta.url), 'utf8'), ['s-001', 's-002']);
    expect(acl).toContain('user gw-s-002\ntopic write aisle/v1/stores/s-002/presence');
    expect(acl).toContain('user gw-s-001\ntopic write aisle/v1/stores/s-001/presence');
    expect(acl).toContain('user engine\n');
    expect(acl.match(/^user gw-/gm)).toHaveLength(2);
  });
});
