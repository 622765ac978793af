/**
 * `npm run bench [-- --quick] [-- --cpu-prof]`: the engine end to end against a real mosquitto and a real
 * Redis, every part in its own process, with the floor (floor.ts) measured in the same run. See README.md.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventTopic } from '#contracts';
import { BENCH_STORE, benchProfiles, benchStore, seedProfiles, writeStoreFiles } from './fixtures.js';
import { dropPrefix, ensureRedis, installSignalHandlers, onTeardown, startMosquitto, startTsChild, teardown, tempDir, withTimeout } from './infra.js';
import { ready, request } from './ipc.js';
import { runPhase, type Phase, type Rig, type Target } from './phases.js';
import { benchRules } from './rules.js';
import { ratiosOf, table, type PhaseResult } from './stats.js';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const cpuProf = argv.includes('--cpu-prof');
const noFloor = argv.includes('--no-floor');
const only = argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
const ZONES = 20;
const CUSTOMERS = 20_000;
/** Decision phases: shoppers in the store (default ~10 per zone), each event moves one of them to another zone. */
const SHOPPERS = Number(argv.find((a) => a.startsWith('--shoppers='))?.slice('--shoppers='.length) ?? 200);
/** Shoppers in the personal phase: about one and a half per zone, so screens take personal turns rather than audience content. */
const PERSONAL_SHOPPERS = 30;
/** Purchases per second in the purchases phase. */
/** Active merchandiser rules during the run (created through the API before the phases). */
// 100 merchandiser rules by default (the honest load: rules are always there in a real store); --rules=0 for none.
const RULES = Number(argv.find((a) => a.startsWith('--rules='))?.slice('--rules='.length) ?? 100);
const POS_RATE = Number(argv.find((a) => a.startsWith('--pos-rate='))?.slice('--pos-rate='.length) ?? 1000);
const posPhase = `purchases@${POS_RATE >= 1000 ? `${POS_RATE / 1000}k` : POS_RATE}`;

function plan(): Phase[] {
  const both: Phase['targets'] = noFloor ? ['engine'] : ['engine', 'floor'];
  const base = { qos: 0 as const, mode: 'move' as const, devices: SHOPPERS, warmupMs: 2000, targets: both };
  if (quick) {
    return [
      { ...base, name: 'decisions@1k', rate: 1000, measureMs: 2000, reps: 1 },
      { ...base, name: 'personal@1k', rate: 1000, devices: PERSONAL_SHOPPERS, measureMs: 2000, reps: 1 },
      { name: 'ingest@20k', mode: 'ping', rate: 20_000, qos: 1, devices: 20_000, moveShare: 0.02, warmupMs: 2000, measureMs: 2000, reps: 1, targets: ['engine'] },
      { ...base, name: 'ramp@4k', rate: 4000, measureMs: 2000, reps: 1 },
      { name: posPhase, mode: 'pos', rate: POS_RATE, qos: 1, devices: 1, warmupMs: 1000, measureMs: 2000, reps: 1, targets: ['engine'] },
    ];
  }
  return [
    { ...base, name: 'decisions@1k', rate: 1000, measureMs: 5000, reps: 3 },
    // Few shoppers (one or two per zone, nine in ten consenting): most frames are personal turns, ranked by the model.
    { ...base, name: 'personal@1k', rate: 1000, devices: PERSONAL_SHOPPERS, measureMs: 5000, reps: 3 },
    { name: 'ingest@20k', mode: 'ping', rate: 20_000, qos: 1, devices: 20_000, moveShare: 0.02, warmupMs: 2000, measureMs: 5000, reps: 3, targets: ['engine'] },
    { ...base, name: 'ramp@2k', rate: 2000, measureMs: 4000, reps: 3 },
    { ...base, name: 'ramp@4k', rate: 4000, measureMs: 4000, reps: 3 },
    // Purchases on their own session, each acknowledged only once committed in Redis (docs/delivery.md).
    { name: posPhase, mode: 'pos', rate: POS_RATE, qos: 1, devices: 1, warmupMs: 1000, measureMs: 5000, reps: 3, targets: ['engine'] },
  ];
}

const log = (s: string) => console.log(s);

async function main(): Promise<number> {
  const started = Date.now();
  const dir = tempDir();
  const mqttUrl = await startMosquitto(dir);
  const redisUrl = await ensureRedis();
  const prefix = `bench-${randomBytes(4).toString('hex')}:`;
  onTeardown(async () => { const n = await dropPrefix(redisUrl, prefix); log(`cleanup: ${n} Redis keys under ${prefix} deleted`); });
  const store = benchStore(ZONES);
  const files = writeStoreFiles(dir, store);
  await seedProfiles(redisUrl, prefix, benchProfiles(CUSTOMERS));
  log(`bench: mosquitto ${mqttUrl}, Redis ${redisUrl} (prefix ${prefix}), ${ZONES} zones, ${files.screens.length} screens, ` +
    `${store.catalog.length} items, ${CUSTOMERS} profiles, ${RULES} rules${quick ? ', quick' : ''}`);

  const engineEnv = { MQTT_URL: mqttUrl, REDIS_URL: redisUrl, AISLE_REDIS_PREFIX: prefix, PORT: '0', HOST: '127.0.0.1',
    MQTT_CLIENT_ID: `bench-engine-${randomBytes(3).toString('hex')}`, AISLE_STORES: files.storesPath, AISLE_TOKENS: files.tokensPath,
    AISLE_SIMULATE: '0', LOG_LEVEL: 'warn', AISLE_JOURNAL_DIR: join(dir, 'journal') };
  const profDir = join(here('.'), 'results', 'prof');
  if (cpuProf) mkdirSync(profDir, { recursive: true });
  const engine = startTsChild(here('engine-proc.ts'), engineEnv, cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []);
  const floorTopic = `bench/floor/${BENCH_STORE}/presence`;
  const floor = startTsChild(here('floor.ts'), { MQTT_URL: mqttUrl, REDIS_URL: redisUrl, AISLE_REDIS_PREFIX: prefix, FLOOR_TOPIC: floorTopic,
    FLOOR_SCREENS: JSON.stringify(files.screens.map(({ screenId, zoneId }) => ({ screenId, zoneId }))) });
  const publisher = startTsChild(here('publisher.ts'), { MQTT_URL: mqttUrl });
  const receiver = startTsChild(here('receiver.ts'), {});
  const [{ port }, { port: floorPort }] = await Promise.all([ready<{ port: number }>(engine, 'engine', 60_000),
    ready<{ port: number }>(floor, 'floor'), ready(publisher, 'publisher'), ready(receiver, 'receiver')]);
  const screens = files.screens.map(({ screenId, token }) => ({ screenId, token }));
  await request(receiver, 'connect', { name: 'engine', port, storeId: BENCH_STORE, screens });
  await request(receiver, 'connect', { name: 'floor', port: floorPort, storeId: BENCH_STORE, screens });
  await request(receiver, 'observe', { port, storeId: BENCH_STORE, hellos: [{ role: 'label-gateway', token: files.gatewayToken },
    { role: 'associate', token: files.associateToken, associateId: 'bench-assoc' }] });
  await request(engine, 'settle');
  for (const rule of benchRules(store, RULES)) {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/rules`, { method: 'POST', body: JSON.stringify(rule),
      headers: { authorization: `Bearer ${files.merchandiserToken}`, 'content-type': 'application/json' } });
    if (res.status !== 201) throw new Error(`bench rule ${rule.ruleId}: HTTP ${res.status} ${await res.text()}`);
  }
  if (RULES) { await new Promise((r) => setTimeout(r, 500)); await request(engine, 'settle'); }

  const targets: Target[] = [
    { name: 'engine', child: engine, topic: eventTopic(BENCH_STORE, 'presence'), port },
    { name: 'floor', child: floor, topic: floorTopic },
  ];
  const rig: Rig = { publisher, receiver, storeId: BENCH_STORE, zones: ZONES, customers: CUSTOMERS, targets };
  const results: PhaseResult[] = [];
  let failure: string | undefined;
  try {
    for (const p of plan().filter((x) => !only || x.name.includes(only))) {
      log(`\n${p.name}: ${p.rate}/s ${p.mode === 'move' ? 'zone changes (each triggers decisions)' : p.mode === 'pos' ? 'purchases' : `presence pings, ${(p.moveShare ?? 0) * 100}% moves`}, ` +
        `QoS ${p.qos}, ${p.devices} devices, ${p.warmupMs / 1000} s warm-up + ${p.measureMs / 1000} s measured × ${p.reps}`);
      results.push(...(await runPhase(rig, p, log)));
    }
  } catch (err) {
    failure = (err as Error).message;
    console.error(`\nbench aborted: ${failure}`);
  }
  await withTimeout(request(engine, 'stop', undefined, 20_000), 20_000, 'engine stop').catch(() => {});

  const observed = await request<Record<string, number>>(receiver, 'observed').catch((): Record<string, number> => ({}));
  log(`\nDelivered besides the screens' frames (the whole run): ${observed['label.update'] ?? 0} label.update to the label gateway, `
    + `${observed['alert.vip'] ?? 0} alert.vip and ${observed['alert.claimed'] ?? 0} alert.claimed to the associate.`);
  log(`\nSummary (medians of repetitions; max = worst; dead/shed/lost = totals; RSS = engine/floor process, max):\n`);
  log(table(results));
  const outDir = here('results');
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ startedAt: new Date(started).toISOString(), durationS: (Date.now() - started) / 1000, quick,
    machine: { node: process.version, cpus: (await import('node:os')).cpus().length }, setup: { zones: ZONES, screens: files.screens.length,
      customers: CUSTOMERS, shoppers: SHOPPERS, rules: RULES, mqttUrl, redisUrl }, failure, ratios: ratiosOf(results), results }, null, 2));
  log(`\nwritten ${file}  (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  if (cpuProf) log(`engine CPU profile in ${profDir}`);
  return failure ? 1 : 0;
}

installSignalHandlers();
const code = await main().catch((err: unknown) => { console.error(err); return 1; });
await teardown();
process.exit(code);
