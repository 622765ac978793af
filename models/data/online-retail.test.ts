import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultRetailDir, loadOnlineRetail, ONLINE_RETAIL_SHA256, RETAIL_FILE, RetailDataError } from './online-retail.js';

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');
const HEADER = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n';
const DAY1 = '536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom\n'
  + 'C536379,D,Discount,-1,2010-12-01 09:41:00,27.5,14527.0,United Kingdom\n';
const DAY2 = '536370,22728,"ALARM CLOCK BAKELIKE PINK, BOXED",24,2010-12-02 08:45:00,3.75,12583.0,France\n'
  + '536414,22139,,56,2010-12-02 11:52:00,0.0,,United Kingdom\n';
const tmp = mkdtempSync(join(tmpdir(), 'aislecast-retail-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const folder = (name: string, files: Record<string, string | Buffer>): string => {
  const dir = join(tmp, name);
  for (const [f, body] of Object.entries(files)) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), body);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
};
const br = (s: string): Buffer => brotliCompressSync(s, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } });
const errorOf = (f: () => unknown): Error => {
  try { f(); } catch (e) { return e as Error; }
  throw new Error('expected a throw');
};

describe('the shipped Online Retail file', () => {
  it('decompresses to the canonical CSV (sha256) and cleans to the documented counts', () => {
    const sums = readFileSync(join(defaultRetailDir(), 'SHA256SUMS'), 'utf8');
    expect(sums).toContain(`${ONLINE_RETAIL_SHA256}  online-retail.csv\n`);
    expect(sums).toContain(`${sha(readFileSync(join(defaultRetailDir(), RETAIL_FILE)))}  ${RETAIL_FILE}\n`);

    const d = loadOnlineRetail();
    expect(d.sha256).toBe(ONLINE_RETAIL_SHA256);
    expect(d.rawRows).toBe(541_909);
    expect(d.rows.length).toBe(396_337);
    expect(new Set(d.rows.map((r) => r.invoice)).size).toBe(18_402);
    expect(new Set(d.rows.map((r) => r.customerId)).size).toBe(4_334);
    expect(new Set(d.rows.map((r) => r.stockCode)).size).toBe(3_659);
    expect(d.rows[0]).toEqual({
      invoice: '536365', stockCode: '85123A', description: 'WHITE HANGING HEART T-LIGHT HOLDER', quantity: 6,
      ts: Date.UTC(2010, 11, 1, 8, 26), unitPrice: 2.55, customerId: '17850', country: 'United Kingdom',
    });
  }, 30_000);
});

describe('loadOnlineRetail from another folder', () => {
  it('reads by-day/*.csv and hashes them as one canonical CSV', () => {
    const dir = folder('by-day-ok', { 'by-day/2010-12-02.csv': HEADER + DAY2, 'by-day/2010-12-01.csv': HEADER + DAY1 });
    const d = loadOnlineRetail(dir);
    expect(d.rawRows).toBe(4);
    expect(d.rows.map((r) => [r.invoice, r.description, r.customerId, r.country])).toEqual([
      ['536365', 'WHITE HANGING HEART T-LIGHT HOLDER', '17850', 'United Kingdom'],
      ['536370', 'ALARM CLOCK BAKELIKE PINK, BOXED', '12583', 'France'],
    ]);
    expect(d.sha256).toBe(sha(HEADER + DAY1 + DAY2));
    expect(loadOnlineRetail(dir, { hash: false }).sha256).toBe('');
  });

  it('rejects a compressed file whose CSV fails the checksum, naming the file and both hashes', () => {
    const dir = folder('wrong-data', { [RETAIL_FILE]: br(HEADER + DAY1 + DAY2) });
    const e = errorOf(() => loadOnlineRetail(dir));
    expect(e).toBeInstanceOf(RetailDataError);
    expect(e.message).toContain(join(dir, RETAIL_FILE));
    expect(e.message).toContain(sha(HEADER + DAY1 + DAY2));
    expect(e.message).toContain(ONLINE_RETAIL_SHA256);
    expect(e.message).not.toContain('\n');
    // With hashing off the content is taken as is.
    expect(loadOnlineRetail(dir, { hash: false }).rows.length).toBe(2);
  });

  it('rejects a corrupt (truncated or garbage) compressed file with a one-line message', () => {
    const shipped = readFileSync(join(defaultRetailDir(), RETAIL_FILE));
    for (const [name, bytes] of [['truncated', shipped.subarray(0, 100_000)], ['garbage', Buffer.from('not brotli at all')]] as const) {
      const dir = folder(name, { [RETAIL_FILE]: bytes });
      const e = errorOf(() => loadOnlineRetail(dir, { hash: false }));
      expect(e).toBeInstanceOf(RetailDataError);
      expect(e.message).toMatch(/unreadable or corrupt/);
      expect(e.message).toContain(join(dir, RETAIL_FILE));
      expect(e.message).not.toContain('\n');
    }
  });

  it('says what is missing when the folder has neither form of the data', () => {
    const dir = folder('empty', {});
    const e = errorOf(() => loadOnlineRetail(dir));
    expect(e).toBeInstanceOf(RetailDataError);
    expect(e.message).toBe(`Online Retail data not found: ${dir} has neither ${RETAIL_FILE} nor by-day/*.csv`);
  });
});
