/** `npm run model:train`: trains and evaluates end to end, writes models/artifacts/<name>/<version>/. */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDataset } from '../data/baskets.js';
import { loadOnlineRetail, defaultRetailDir, type RetailData } from '../data/online-retail.js';
import { writeVersion } from './artifacts.js';
import { metricsTable } from './model-card.js';
import { DEFAULT_SPECS, runPipeline } from './run-pipeline.js';

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const name = args.get('name') ?? 'ranker';
const seed = Number(args.get('seed') ?? 1);
const months = Number(args.get('months') ?? 5);
const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../artifacts');
const t0 = Date.now();
const log = (m: string): void => console.log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${m}`);

log('loading Online Retail…');
let raw: RetailData;
try {
  raw = loadOnlineRetail(process.env.AISLE_DATA_DIR ?? defaultRetailDir());
} catch (e) {
  console.error(`model:train: ${(e as Error).message}`);
  process.exit(1);
}
const ds = buildDataset(raw.rows);
log(`${ds.rows} rows, ${ds.baskets.length} baskets, ${ds.customers.length} customers, ${ds.skus.length} SKUs; sha256 ${raw.sha256}`);
const res = await runPipeline(ds, { seed, months, specs: DEFAULT_SPECS, log });
for (const c of res.cutoffs) console.log('\n' + metricsTable(c));
const { dir } = writeVersion(res, { root, name, createdAt: new Date(), seed, dataSha256: raw.sha256, rows: ds.rows });
log(`wrote ${dir}`);
if (!res.gate.passed) {
  console.error(`GATE FAILED: ${res.gate.reasons.join('; ')}`);
  process.exit(1);
}
log('gate passed');
