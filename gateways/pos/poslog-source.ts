import { mkdir, readdir, readFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../engine/platform/log.js';
import type { GatewayMetrics } from '../kit/metrics.js';
import type { PosSettings } from './config.js';
import { toAnswer, verifyBearer, type Answer, type RawRequest } from './http.js';
import type { Intake, Outcome } from './intake.js';
import { posLogSale } from './poslog.js';
import { parsePosLogDocument } from './poslog-xml.js';

/** A POSLog document is at most this large (a day's journal of a busy till), by POST or as a file. */
export const POSLOG_MAX_BYTES = 16 * 1024 * 1024;
const MAX_TRANSACTIONS = 20_000;

export type PosLogDeps = { settings: PosSettings; storeId: string; intake: Intake; log: Logger; metrics: GatewayMetrics };

/**
 * Handles one POSLog document, its transactions in order (docs/gateways/pos.md §ARTS POSLog). A document of
 * one transaction is answered as that transaction; a longer one 200 with each transaction's outcome, or 503 at
 * the first that could not be published now (those before it stay published; a retry finds them duplicates).
 */
export function createPosLogProcessor(d: PosLogDeps): (xml: string) => Promise<Answer> {
  return async (xml) => {
    const doc = parsePosLogDocument(xml);
    if (!doc.ok) return toAnswer(d.intake.reject({ kind: 'refused', status: 400, reason: doc.reason }));
    if (doc.transactions.length === 0) return toAnswer(d.intake.reject({ kind: 'refused', status: 422, reason: 'no_transactions' }));
    if (doc.transactions.length > MAX_TRANSACTIONS) return toAnswer(d.intake.reject({ kind: 'refused', status: 413, reason: 'too_many_transactions' }));
    const results: Outcome[] = [];
    for (const tx of doc.transactions) {
      const sale = posLogSale(tx, { storeId: d.storeId, settings: d.settings, now: Date.now });
      const o = await d.intake.submit(sale.keys, sale.build);
      if (o.kind === 'retry') return toAnswer(o);
      results.push(o);
    }
    if (results.length === 1) return toAnswer(results[0]!);
    const first = (kind: Outcome['kind']) => results.find((o) => o.kind === kind);
    const summary = first('published') ?? first('duplicate') ?? first('ignored');
    const status = summary ? 200 : toAnswer(results[0]!).status;
    const reason = summary?.kind === 'ignored' ? summary.reason : summary ? undefined : toAnswer(results[0]!).body.reason;
    return { status, body: { outcome: summary?.kind ?? 'refused', ...(reason !== undefined ? { reason } : {}), transactions: results.map((o) => toAnswer(o).body) } };
  };
}

/** `POST {path}` with `Authorization: Bearer <token>`. */
export function createPosLogHandler(d: PosLogDeps, process: (xml: string) => Promise<Answer>): (req: RawRequest) => Promise<Answer> {
  const token = d.settings.poslog!.token!;
  return async (req) => {
    if (!verifyBearer(token, req.header('authorization'))) return toAnswer(d.intake.reject({ kind: 'refused', status: 401, reason: 'auth' }));
    return process(req.body.toString('utf8'));
  };
}

/**
 * Watches a folder for `*.xml` POSLog files (docs/gateways/pos.md §ARTS POSLog), oldest name first: a file is
 * moved to `done/` once every transaction in it was published, found a duplicate or refused, to `failed/` when
 * the document is refused whole; when the broker cannot take more it stays, and the next poll tries again.
 */
export function watchPosLogFolder(d: PosLogDeps, process: (xml: string) => Promise<Answer>): { close(): Promise<void> } {
  const cfg = d.settings.poslog!;
  const dir = cfg.dir!;
  const log = d.log.child({ input: 'folder' });
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  async function moveTo(sub: 'done' | 'failed', name: string): Promise<void> {
    await mkdir(join(dir, sub), { recursive: true });
    const target = join(dir, sub, name);
    const taken = await stat(target).then(() => true, () => false);
    await rename(join(dir, name), taken ? `${target}.${Date.now()}` : target);
  }

  async function scan(): Promise<void> {
    const names = (await readdir(dir)).filter((n) => n.toLowerCase().endsWith('.xml')).sort();
    for (const name of names) {
      if (closed) return;
      const st = await stat(join(dir, name)).catch(() => undefined);
      if (!st?.isFile() || Date.now() - st.mtimeMs < cfg.minAgeMs) continue;
      d.metrics.received.inc({ source: 'poslog-file' });
      if (st.size > POSLOG_MAX_BYTES) {
        d.intake.reject({ kind: 'refused', status: 413, reason: 'too_large' });
        await moveTo('failed', name);
        continue;
      }
      const a = await process(await readFile(join(dir, name), 'utf8'));
      if (a.status === 503) { log.warn({ file: name, reason: a.body.reason }, 'poslog file waits for the broker'); return; }
      await moveTo(a.status === 200 ? 'done' : 'failed', name);
      log.info({ file: name, outcome: a.body.outcome }, 'poslog file processed');
    }
  }

  const tick = () => {
    running = scan().catch((err: Error) => { log.warn({ err: err.message }, 'poslog folder not readable'); })
      .finally(() => { if (!closed) timer = setTimeout(tick, cfg.pollMs); });
  };
  tick();
  return {
    async close() { closed = true; clearTimeout(timer); await running; },
  };
}
