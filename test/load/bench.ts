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
import { runCapacity, runOverload, runPhase, warmUp, type Phase, type Rig, type Target } from './phases.js';
import { benchRules } from './rules.js';
import { markdownTable, ratiosOf, type CapacityResult, type PhaseResult } from './stats.js';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const cpuProf = argv.includes('--cpu-prof');
const noFloor = argv.includes('--no-floor');
const only = argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
/** Zones of the bench store (every other one with two screens); more zones, fewer decisions coalesced per zone. */
const ZONES = Number(argv.find((a) => a.startsWith('--zones='))?.slice('--zones='.length) ?? 20);
// One WebSocket per screen from one address: the engine allows 256 per address by default (AISLE_WS_MAX_PER_ADDRESS).
if (!Number.isInteger(ZONES) || ZONES < 4 || ZONES > 160) throw new Error(`--zones=${ZONES}: 4 to 160`);
const CUSTOMERS = 20_000;
/** Decision phases: shoppers in the store (default ~10 per zone), each event moves one of them to another zone. */
const SHOPPERS = Number(argv.find((a) => a.startsWith('--shoppers='))?.slice('--shoppers='.length) ?? 200);
/** Shoppers in the personal phase and the capacity ramp: about one and a half per zone, so screens take personal turns rather than audience content. */
const PERSONAL_SHOPPERS = 30;
// 100 merchandiser rules by default (the honest load: rules are always there in a real store); --rules=0 for none.
const RULES = Number(argv.find((a) => a.startsWith('--rules='))?.slice('--rules='.length) ?? 100);
/** Purchases per second in the purchases phase. */
const POS_RATE = Number(argv.find((a) => a.startsWith('--pos-rate='))?.slice('--pos-rate='.length) ?? 1000);
const posPhase = `purchases@${POS_RATE >= 1000 ? `${POS_RATE / 1000}k` : POS_RATE}`;
/** The engine inherits the environment: AISLE_RSS_BUDGET_MB=… npm run bench sets its memory budget (the overload governor's). */
const RSS_BUDGET = process.env.AISLE_RSS_BUDGET_MB ?? 'unset (the engine default)';
/** Capacity ramp: decision-triggering events/s per step, stopping at the first step past CAPACITY_P99_MS or behind. */
const CAPACITY_RATES = [2000, 4000, 6000, 8000, 10_000];
const CAPACITY_P99_MS = 50;
/** Overload: 10,000 events/s at QoS 1 from 20,000 devices: presence (a quarter of it moves), 2 % label taps, 20 purchases/s. */
const OVERLOAD = { rate: 10_000, moveShare: 0.25, eslShare: 0.02, posRate: 20 };

/** What runs, in order: a phase, the capacity ramp (its steps), or the overload phase. */
type Item = { kind: 'phase' | 'overload'; phase: Phase } | { kind: 'capacity'; name: string; steps: Phase[] };

function plan(): Item[] {
  const both: Phase['targets'] = noFloor ? ['engine'] : ['engine', 'floor'];
  const base = { qos: 0 as const, mode: 'move' as const, devices: SHOPPERS, warmupMs: 2000, targets: both };
  const ingest = { name: 'ingest@20k', mode: 'ping' as const, rate: 20_000, qos: 1 as const, devices: CUSTOMERS, moveShare: 0.02, warmupMs: 2000, targets: both };
  const pos = { name: posPhase, mode: 'pos' as const, rate: POS_RATE, qos: 1 as const, devices: 1, warmupMs: 1000, targets: ['engine' as const] };
  const capacity = (warmupMs: number, measureMs: number): Item => ({ kind: 'capacity', name: 'capacity', steps: CAPACITY_RATES.map((rate) =>
    ({ ...base, name: `capacity@${rate / 1000}k`, rate, devices: PERSONAL_SHOPPERS, warmupMs, measureMs, reps: 1 })) });
  // The overload's devices stay out of the last two zones: a probe walks between those (see phases.ts).
  const overload = (measureMs: number, reps: number): Item => ({ kind: 'overload', phase: { name: 'overload@10k', mode: 'mix', qos: 1, devices: CUSTOMERS,
    zones: ZONES - 2, ...OVERLOAD, warmupMs: 2000, measureMs, reps, targets: both } });
  const phase = (p: Phase): Item => ({ kind: 'phase', phase: p });
  if (quick) {
    return [
      phase({ ...base, name: 'decisions@1k', rate: 1000, measureMs: 2000, reps: 1 }),
      phase({ ...base, name: 'personal@1k', rate: 1000, devices: PERSONAL_SHOPPERS, measureMs: 2000, reps: 1 }),
      phase({ ...ingest, measureMs: 2000, reps: 1 }),
      phase({ ...base, name: 'ramp@4k', rate: 4000, measureMs: 2000, reps: 1 }),
      capacity(1000, 2000),
      phase({ ...pos, measureMs: 2000, reps: 1 }),
      overload(3000, 1),
    ];
  }
  return [
    phase({ ...base, name: 'decisions@1k', rate: 1000, measureMs: 5000, reps: 3 }),
    // Few shoppers (one or two per zone, nine in ten consenting): most frames are personal turns, ranked by the model.
    phase({ ...base, name: 'personal@1k', rate: 1000, devices: PERSONAL_SHOPPERS, measureMs: 5000, reps: 3 }),
    phase({ ...ingest, measureMs: 5000, reps: 3 }),
    phase({ ...base, name: 'ramp@2k', rate: 2000, measureMs: 4000, reps: 3 }),
    phase({ ...base, name: 'ramp@4k', rate: 4000, measureMs: 4000, reps: 3 }),
    capacity(2000, 4000),
    // Purchases on their own session, each acknowledged only once committed in Redis (docs/delivery.md).
    phase({ ...pos, measureMs: 5000, reps: 3 }),
    overload(8000, 2),
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
    `${store.catalog.length} items, ${CUSTOMERS} profiles, ${RULES} rules, AISLE_RSS_BUDGET_MB ${RSS_BUDGET}${quick ? ', quick' : ''}`);

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
  const rig: Rig = { publisher, receiver, storeId: BENCH_STORE, zones: ZONES, customers: CUSTOMERS, targets, redis: { url: redisUrl, prefix } };
  const results: PhaseResult[] = [];
  let capacity: CapacityResult | undefined;
  let failure: string | undefined;
  const describe = (p: Phase) => (p.mode === 'move' ? 'zone changes (each triggers decisions)' : p.mode === 'pos' ? 'purchases'
    : p.mode === 'mix' ? `events: presence (${(p.moveShare ?? 0) * 100}% moves), ${(p.eslShare ?? 0) * 100}% label taps, ${p.posRate ?? 0} purchases/s`
    : `presence pings, ${(p.moveShare ?? 0) * 100}% moves`);
  try {
    const warmMs = quick ? 3000 : 5000;
    log(`\nwarm-up (not measured): ${warmMs / 1000} s of 1,000 zone changes/s by ${SHOPPERS} shoppers, engine${noFloor ? '' : ' and floor'}`);
    for (const t of targets.filter((x) => !noFloor || x.name === 'engine')) await warmUp(rig, t, SHOPPERS, warmMs);
    for (const item of plan().filter((x) => !only || (x.kind === 'capacity' ? x.name : x.phase.name).includes(only))) {
      if (item.kind === 'capacity') {
        log(`\ncapacity: decision-triggering steps of ${CAPACITY_RATES.map((r) => `${r / 1000}k`).join(', ')} events/s, up to the first with p99 > ${CAPACITY_P99_MS} ms or falling behind`);
        const c = await runCapacity(rig, item.steps, log, CAPACITY_P99_MS);
        results.push(...c.results);
        capacity = c.capacity;
        continue;
      }
      const p = item.phase;
      log(`\n${p.name}: ${p.rate}/s ${describe(p)}, QoS ${p.qos}, ${p.devices} devices, ${p.warmupMs / 1000} s warm-up + ${p.measureMs / 1000} s measured × ${p.reps}` +
        (p.targets.includes('floor') ? (item.kind === 'overload' ? ' (engine; the floor answers probes)' : ', engine and floor') : ''));
      results.push(...(await (item.kind === 'overload' ? runOverload(rig, p, log, quick ? 60_000 : 180_000) : runPhase(rig, p, log))));
    }
  } catch (err) {
    failure = (err as Error).message;
    console.error(`\nbench aborted: ${failure}`);
  }
  await withTimeout(request(engine, 'stop', undefined, 20_000), 20_000, 'engine stop').catch(() => {});

  const observed = await request<Record<string, number>>(receiver, 'observed').catch((): Record<string, number> => ({}));
  log(`\nDelivered besides the screens' frames (the whole run): ${observed['label.update'] ?? 0} label.update to the label gateway, `
    + `${observed['alert.vip'] ?? 0} alert.vip and ${observed['alert.claimed'] ?? 0} alert.claimed to the associate.`);
  const os = await import('node:os');
  const md = markdownTable(results, capacity);
  const setupLine = `${ZONES} zones, ${files.screens.length} screens, ${CUSTOMERS} profiles, ${SHOPPERS} shoppers (${PERSONAL_SHOPPERS} in personal@1k and capacity), ` +
    `${RULES} rules, AISLE_RSS_BUDGET_MB ${RSS_BUDGET}${quick ? ', quick' : ''}; node ${process.version}, ${os.cpus().length} CPUs`;
  log(`\nSummary (medians of repetitions; max = worst frame; shed and lost = totals; RSS = peak, engine (floor)):\n`);
  log(md);
  const outDir = here('results');
  mkdirSync(outDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = join(outDir, `${stamp}.json`);
  writeFileSync(file, JSON.stringify({ startedAt: new Date(started).toISOString(), durationS: (Date.now() - started) / 1000, quick,
    machine: { node: process.version, cpus: os.cpus().length }, setup: { zones: ZONES, screens: files.screens.length,
      customers: CUSTOMERS, shoppers: SHOPPERS, personalShoppers: PERSONAL_SHOPPERS, rules: RULES, overload: OVERLOAD,
      rssBudgetMb: process.env.AISLE_RSS_BUDGET_MB ?? null, mqttUrl, redisUrl },
    failure, ratios: ratiosOf(results), capacity, observed, results }, null, 2));
  const mdFile = join(outDir, `${stamp}.md`);
  writeFileSync(mdFile, [`# Bench ${new Date(started).toISOString()}${quick ? ' (quick)' : ''}`, '', setupLine, '',
    ...(failure ? [`**Aborted:** ${failure}`, ''] : []), md, '',
    `Delivered besides the screens' frames (the whole run): ${observed['label.update'] ?? 0} label.update, ${observed['alert.vip'] ?? 0} alert.vip, ` +
    `${observed['alert.claimed'] ?? 0} alert.claimed.`, ''].join('\n'));
  log(`\nwritten ${file} and ${mdFile}  (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  if (cpuProf) log(`engine CPU profile in ${profDir}`);
  return failure ? 1 : 0;
}

installSignalHandlers();
const code = await main().catch((err: unknown) => { console.error(err); return 1; });
await teardown();
process.exit(code);
