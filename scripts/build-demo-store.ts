/**
 * Builds the bundled demo store from the real UCI Online Retail data (CC BY 4.0, Chen 2015,
 * doi:10.24432/C5BW33), shipped in models/data/online-retail/ (or AISLE_DATA_DIR):
 * engine/demo/store.s-001.json and engine/demo/profiles.ndjson.
 * Deterministic: the same data and seed give byte-identical files. Run with `npm run demo:data`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Profile, TIERS } from '../engine/contracts/profile.js';
import { StoreConfig } from '../engine/contracts/store-config.js';
import { seededRandom } from '../engine/simulator/random.js';
import { categorize } from '../models/data/categories.js';
import { defaultRetailDir, loadOnlineRetail, type RetailRow } from '../models/data/online-retail.js';
import { firstSaleDates, newLineItems, newLines } from './demo-data/arrivals.js';
import { buildCatalog } from './demo-data/catalog.js';
import { deriveFamilies } from './demo-data/family.js';
import { customerHistories, productStats, type CustomerHistory } from './demo-data/history.js';
import { buildLayout } from './demo-data/layout.js';
import { lifeStagesFor } from './demo-data/life-stage.js';
import { assignConsents } from './demo-data/persona.js';
import { buildProfile, rawRfm, selectCustomers } from './demo-data/profiles.js';
import { scoreRfm } from './demo-data/rfm.js';
import { summarize } from './demo-data/summary.js';
import { lifecycleFor, tierFor, tierThresholds } from './demo-data/segments.js';

const SEED = 20111209;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'engine/demo');

let rows: RetailRow[];
try {
  ({ rows } = loadOnlineRetail(process.env['AISLE_DATA_DIR'] ?? defaultRetailDir(), { hash: false }));
} catch (e) {
  console.error(`demo:data: ${(e as Error).message}`);
  process.exit(1);
}
const asOf = rows.reduce((m, r) => Math.max(m, r.ts), 0);

const stats = productStats(rows);
const categoryByCode = new Map(stats.map((p) => [p.stockCode, categorize(p.description)]));
const bestSellers = buildCatalog(stats, categorize, seededRandom(SEED + 1), { size: 400, promos: 20 });
// The data's new lines (first sold in its last 30 days) follow the year's best sellers: catalog order stays
// popularity order, and the `newArrivals` trigger has something to find.
const arrivals = firstSaleDates(rows);
const listed = new Set(bestSellers.map((c) => c.sku));
const fresh = newLineItems(newLines(stats.filter((p) => !listed.has(p.sku)), arrivals, asOf), categorize);
const families = deriveFamilies([...bestSellers, ...fresh]);
const catalog = [...bestSellers, ...fresh].map((it) => {
  const family = families.get(it.sku);
  const lifeStages = lifeStagesFor(it.name);
  return { ...it, ...(family ? { family } : {}), arrivedAt: arrivals.get(it.sku)!, ...(lifeStages ? { lifeStages } : {}) };
});
const store = StoreConfig.parse({
  storeId: 's-001', name: 'Aislecast Demo Store — Shoreditch', currency: 'GBP', timezone: 'Europe/London', locale: 'en-GB',
  ...buildLayout(catalog), catalog,
});

const histories = [...customerHistories(rows, (code) => categoryByCode.get(code) ?? 'other').values()];
const thresholds = tierThresholds(histories.map((h) => h.monetary));
const score = scoreRfm(histories.map((h) => rawRfm(h, asOf)));
const tierOf = (h: CustomerHistory) => tierFor(h.monetary, thresholds);
const stageOf = (h: CustomerHistory) => { const r = rawRfm(h, asOf); return lifecycleFor(r.recencyDays, r.frequency); };
const quotas = [
  ...TIERS.map((t) => ({ name: t, min: 8, test: (h: CustomerHistory) => tierOf(h) === t })),
  ...(['new', 'active', 'dormant', 'churned'] as const).map((s) => ({ name: s, min: 12, test: (h: CustomerHistory) => stageOf(h) === s })),
];
const chosen = selectCustomers(histories, seededRandom(SEED + 2), { count: 450, quotas });
const consents = assignConsents(chosen.length, seededRandom(SEED + 3));
const personas = seededRandom(SEED + 4);
// Profiles see the 400 best sellers only, as before the new lines were added: which of a shopper's older
// items are kept and what they "browsed" stay exactly as built (profiles.ndjson is unchanged).
const profiles = chosen.map((h, i) => Profile.parse(buildProfile(h, consents[i]!, { asOf, score, thresholds, catalog: bestSellers }, personas)));

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'store.s-001.json'), `${JSON.stringify(store, null, 1)}\n`);
writeFileSync(join(outDir, 'profiles.ndjson'), profiles.map((p) => JSON.stringify(p)).join('\n') + '\n');
console.log(JSON.stringify({ asOf: new Date(asOf).toISOString(), thresholds, ...summarize(store, profiles, asOf) }, null, 2));
