import { createHash, type Hash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';
import { splitCsvLine } from './csv.js';

/** One cleaned line item of UCI Online Retail (CC BY 4.0, Chen 2015, doi:10.24432/C5BW33). */
export type RetailRow = {
  invoice: string;
  stockCode: string;
  description: string;
  quantity: number;
  /** Epoch ms; the source's local UK time read as UTC (the data has no zone). */
  ts: number;
  unitPrice: number;
  customerId: string;
  country: string;
};

export type RetailData = {
  rows: RetailRow[];
  /**
   * sha256 of the canonical single CSV (header once + every day's data rows in date order; see
   * models/data/online-retail/README.md), '' when hashing is off.
   */
  sha256: string;
  rawRows: number;
};

/** The shipped file's name inside a data folder: the canonical single CSV, brotli-compressed. */
export const RETAIL_FILE = 'online-retail.csv.br';
/** sha256 of the decompressed canonical CSV (also listed in the folder's SHA256SUMS). */
export const ONLINE_RETAIL_SHA256 = 'c35975c40d0e1e105090fbb11188a409393055f873841bd012915475fc84e69f';

/** Missing, unreadable, corrupt or mismatching data. The message is one line, fit to print as is. */
export class RetailDataError extends Error {
  override name = 'RetailDataError';
}

const PRODUCT_CODE = /^\d{5}[A-Za-z]{0,2}$/;
const REPO_FOLDER = 'models/data/online-retail';
const RESTORE = `restore it with \`git checkout HEAD -- ${REPO_FOLDER}\` (sparse checkout: \`git sparse-checkout add ${REPO_FOLDER}\`)`;

/**
 * Default location: the copy shipped in the repository, `models/data/online-retail/` (the CLIs take another
 * folder from AISLE_DATA_DIR). Provenance, licence and checksums: models/data/online-retail/README.md.
 */
export const defaultRetailDir = (): string =>
  resolve(fileURLToPath(new URL('.', import.meta.url)), 'online-retail');

/** A path as short as it can be said: relative to the working directory when inside it. */
const show = (p: string): string => {
  const r = relative(process.cwd(), p);
  return r && !r.startsWith('..') && !isAbsolute(r) ? r : p;
};

/**
 * Loads and cleans Online Retail as the data's README (models/data/online-retail/README.md) documents: drop
 * rows without CustomerID, cancellations (InvoiceNo starting with C), Quantity ≤ 0, UnitPrice ≤ 0, and
 * non-product StockCodes. Expected: 396,337 rows, 18,402 invoices, 4,334 customers, 3,659 StockCodes.
 *
 * `dir` holds either `online-retail.csv.br` (the shipped form; preferred when both exist) or `by-day/*.csv`
 * (one CSV per day, each with its header). With hashing on (the default) the sha256 of the canonical CSV is
 * computed, and for the compressed file checked against {@link ONLINE_RETAIL_SHA256}. Throws
 * {@link RetailDataError} when the data is missing, corrupt or does not match.
 */
export function loadOnlineRetail(dir = defaultRetailDir(), opts: { hash?: boolean } = {}): RetailData {
  const hash = opts.hash === false ? undefined : createHash('sha256');
  const file = join(dir, RETAIL_FILE);
  if (existsSync(file)) return loadCompressed(file, hash);
  const byDay = join(dir, 'by-day');
  if (existsSync(byDay) && statSync(byDay).isDirectory()) return loadByDay(byDay, hash);
  if (resolve(dir) === defaultRetailDir()) throw new RetailDataError(`Online Retail data file missing: ${show(file)}; ${RESTORE}`);
  throw new RetailDataError(`Online Retail data not found: ${show(dir)} has neither ${RETAIL_FILE} nor by-day/*.csv`);
}

function loadCompressed(file: string, hash: Hash | undefined): RetailData {
  const restore = resolve(file) === join(defaultRetailDir(), RETAIL_FILE) ? RESTORE : 'replace it with a good copy';
  let csv: Buffer;
  try {
    csv = brotliDecompressSync(readFileSync(file));
  } catch (e) {
    throw new RetailDataError(`Online Retail data file ${show(file)} is unreadable or corrupt (${(e as Error).message}); ${restore}`);
  }
  let sha256 = '';
  if (hash) {
    sha256 = hash.update(csv).digest('hex');
    if (sha256 !== ONLINE_RETAIL_SHA256) {
      throw new RetailDataError(`Online Retail data file ${show(file)} fails its checksum: sha256 of the decompressed CSV is ${sha256}, expected ${ONLINE_RETAIL_SHA256}; ${restore}`);
    }
  }
  const rows: RetailRow[] = [];
  const text = csv.toString('utf8');
  const rawRows = parseRows(text, text.indexOf('\n') + 1, rows);
  return { rows, rawRows, sha256 };
}

function loadByDay(byDay: string, hash: Hash | undefined): RetailData {
  const files = readdirSync(byDay).filter((f) => f.endsWith('.csv')).sort();
  if (files.length === 0) throw new RetailDataError(`Online Retail data not found: ${show(byDay)} has no .csv files`);
  const rows: RetailRow[] = [];
  let rawRows = 0;
  files.forEach((f, fi) => {
    const text = readFileSync(join(byDay, f), 'utf8');
    const start = text.indexOf('\n') + 1;
    // Canonical CSV: the first file whole, then every other file without its header line.
    hash?.update(fi === 0 ? text : text.slice(start));
    rawRows += parseRows(text, start, rows);
  });
  return { rows, rawRows, sha256: hash ? hash.digest('hex') : '' };
}

/** Parses data lines from `start` to the end of `text`, appends the cleaned rows, returns the number of data lines. */
function parseRows(text: string, start: number, rows: RetailRow[]): number {
  let rawRows = 0;
  for (let i = start; i > 0 && i < text.length;) {
    const nl = text.indexOf('\n', i);
    const end = nl === -1 ? text.length : nl;
    const line = text.slice(i, end);
    i = end + 1;
    if (line.length === 0) continue;
    rawRows++;
    const c = splitCsvLine(line);
    const invoice = c[0] ?? '';
    const stockCode = c[1] ?? '';
    const quantity = Number(c[3]);
    const unitPrice = Number(c[5]);
    const cust = c[6] ?? '';
    if (!cust || invoice.startsWith('C') || !(quantity > 0) || !(unitPrice > 0) || !PRODUCT_CODE.test(stockCode)) continue;
    const d = c[4] ?? '';
    rows.push({
      invoice, stockCode, description: (c[2] ?? '').trim(), quantity,
      ts: Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10), +d.slice(11, 13), +d.slice(14, 16), +d.slice(17, 19)),
      unitPrice, customerId: String(Math.round(Number(cust))), country: c[7]?.replace(/\r$/, '') ?? '',
    });
  }
  return rawRows;
}
