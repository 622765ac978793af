import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
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
  /** sha256 of the canonical single CSV (DATA.md): header once + every file's data rows in name order. */
  sha256: string;
  rawRows: number;
};

const PRODUCT_CODE = /^\d{5}[A-Za-z]{0,2}$/;

/** Default location: `shared/data/online-retail-uci` beside the project (override with AISLE_DATA_DIR in CLIs). */
export const defaultRetailDir = (): string =>
  resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../shared/data/online-retail-uci');

/**
 * Loads and cleans Online Retail the way DATA.md documents: drop rows without CustomerID, cancellations
 * (InvoiceNo starting with C), Quantity ≤ 0, UnitPrice ≤ 0, and non-product StockCodes.
 * Expected: 396,337 rows, 18,402 invoices, 4,334 customers, 3,659 StockCodes.
 */
export function loadOnlineRetail(dir = defaultRetailDir(), opts: { hash?: boolean } = {}): RetailData {
  const byDay = join(dir, 'by-day');
  const files = readdirSync(byDay).filter((f) => f.endsWith('.csv')).sort();
  const hash = opts.hash === false ? undefined : createHash('sha256');
  const rows: RetailRow[] = [];
  let rawRows = 0;
  files.forEach((f, fi) => {
    const text = readFileSync(join(byDay, f), 'utf8');
    const nl = text.indexOf('\n');
    if (hash) {
      if (fi === 0) hash.update(text);
      else hash.update(text.slice(nl + 1));
    }
    const lines = text.slice(nl + 1).split('\n');
    for (const line of lines) {
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
  });
  return { rows, rawRows, sha256: hash ? hash.digest('hex') : '' };
}
