import { readFileSync } from 'node:fs';
import { createKeys } from '../platform/keys.js';
import { silentLogger } from '../platform/log.js';
import { createRedisKv, redact } from '../platform/redis-kv.js';
import { parseProfilesNdjson } from './import.js';

/**
 * npm run import-profiles -- <file.ndjson>   (REDIS_URL, REDIS_CLUSTER, AISLE_REDIS_PREFIX from the environment)
 * Loads profiles into Redis, reports bad lines by number, tells running engines to drop cached copies.
 */
const file = process.argv[2];
if (!file) { console.error('usage: npm run import-profiles -- <profiles.ndjson>'); process.exit(2); }
const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const keys = createKeys(process.env.AISLE_REDIS_PREFIX || 'aisle:');
const { profiles, errors } = parseProfilesNdjson(readFileSync(file, 'utf8'));
for (const e of errors) console.error(`${file}:${e.line}: ${e.message}`);
const kv = await createRedisKv({ url, log: silentLogger(), cluster: /^(1|true)$/.test(process.env.REDIS_CLUSTER ?? '') });
if (!kv.isUp()) { console.error(`cannot reach Redis at ${redact(url)}`); process.exit(1); }
for (let i = 0; i < profiles.length; i += 500) {
  const batch = profiles.slice(i, i + 500);
  await kv.setMany(batch.map((p) => ({ key: keys.profile(p.customerId), value: JSON.stringify(p) })));
  for (const p of batch) await kv.publish(keys.profileChanged(), `import|${p.customerId}`);
}
console.log(`imported ${profiles.length} profiles, skipped ${errors.length} bad line(s)`);
await kv.close();
process.exit(errors.length && !profiles.length ? 1 : 0);
