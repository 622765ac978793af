import { describe, expect, it } from 'vitest';
import { loadDefinition, KINDS } from './cli.js';
import { loadGatewayConfig } from './kit/config.js';

describe('npm run gateway', () => {
  it('knows every gateway, and each example configuration validates against its schema', async () => {
    expect(KINDS).toEqual(['meraki', 'espresense', 'openepaperlink', 'pos']);
    const env = { AISLE_PSEUDONYM_KEY: 'k'.repeat(40) };
    for (const kind of KINDS) {
      const def = await loadDefinition(kind);
      expect(def.kind).toBe(kind);
      // Examples name their secrets env:NAME: give every one a value, then the file must validate.
      const text = (await import('node:fs')).readFileSync(`gateways/${kind}/example.json`, 'utf8');
      for (const m of text.matchAll(/"env:([A-Z0-9_]+)"/g)) process.env[m[1]!] ??= env[m[1] as keyof typeof env] ?? 's'.repeat(40);
      expect(() => loadGatewayConfig(`gateways/${kind}/example.json`, def.config), kind).not.toThrow();
    }
    await expect(loadDefinition('constructor')).rejects.toThrow(/unknown gateway "constructor"/);
  });
});
