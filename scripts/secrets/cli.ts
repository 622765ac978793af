/**
 * `npm run secrets`: generates every secret the production shape needs (docs/security.md), into
 * deploy/secrets/ (git-ignored, files mode 0600):
 *   tokens.json       a token per configured screen, a label gateway, associate and console per store, a merchandiser
 *   passwords         the Mosquitto password file (hashed), one gateway user per store
 *   acl               the broker ACL with one gateway block per store
 *   credentials.env   the plain broker passwords, AISLE_OPS_TOKEN and the paths, in the names docker-compose.yml reads
 * Then: docker compose --env-file deploy/secrets/credentials.env up -d
 * Stores come from AISLE_STORES (a file or folder), else the bundled demo store. Never overwrites an
 * existing deploy/secrets/ unless --force.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadStoreConfigs } from '../../engine/stores/load.js';
import { makeAcl, makeTokens } from './tokens.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const outDir = resolve(process.argv.find((a) => a.startsWith('--out='))?.slice(6) ?? join(root, 'deploy/secrets'));
const force = process.argv.includes('--force');

function fail(msg: string): never { console.error(`secrets: ${msg}`); process.exit(1); }

if (existsSync(join(outDir, 'tokens.json')) && !force) fail(`${relative(root, outDir)} already holds secrets; use --force to replace them (every screen then needs its new token)`);
let stores;
try { stores = loadStoreConfigs(process.env.AISLE_STORES || undefined); } catch (err) { fail((err as Error).message); }
mkdirSync(outDir, { recursive: true, mode: 0o700 });
const write = (name: string, text: string) => { const p = join(outDir, name); writeFileSync(p, text, { mode: 0o600 }); chmodSync(p, 0o600); return p; };

const tokens = makeTokens(stores);
const tokensPath = write('tokens.json', `${JSON.stringify({ tokens }, null, 2)}\n`);
const aclPath = write('acl', makeAcl(readFileSync(join(root, 'deploy/mosquitto/acl'), 'utf8'), stores.map((s) => s.storeId)));
const envPath = join(outDir, 'credentials.env');
try {
  execFileSync(join(root, 'deploy/mosquitto/make-passwords.sh'), ['-o', join(outDir, 'passwords'), '--env-out', envPath,
    '--stores', stores.map((s) => s.storeId).join(' ')], { stdio: ['ignore', 'inherit', 'inherit'] });
} catch { fail('make-passwords.sh failed (it needs mosquitto_passwd: apt-get install mosquitto)'); }
const rel = (p: string) => `./${relative(root, p)}`;
appendFileSync(envPath, [`AISLE_TOKENS_FILE=${rel(tokensPath)}`, `AISLE_MQTT_ACL_FILE=${rel(aclPath)}`,
  `AISLE_OPS_TOKEN=${randomBytes(24).toString('base64url')}`,
  // The key of the gateways' device pseudonyms (docs/gateways.md §Pseudonyms): one per estate, never rotated lightly.
  `AISLE_GW_PSEUDONYM_KEY=${randomBytes(32).toString('base64url')}`, ''].join('\n'));
chmodSync(envPath, 0o600);
console.log(`secrets: ${tokens.length} tokens for ${stores.length} store(s) (${tokens.filter((t) => t.role === 'screen').length} screens), `
  + `broker passwords and ACL in ${relative(root, outDir)}/ (mode 0600; never commit them).\n`
  + `start the production shape with: docker compose --env-file ${relative(root, envPath)} up -d`);
