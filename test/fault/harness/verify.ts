import type { Redis } from 'ioredis';
import { createKeys } from '../../../engine/platform/keys.js';
import type { Expected } from './plan.js';

export type Applied = { frequency: number; monetary: number; profile?: Record<string, unknown> };

/** Per-customer comparison of the profiles in Redis with what was published. */
export type Diff = {
  ok: boolean;
  expectedPurchases: number;
  /** Σ rfm.frequency over the customers. */
  applied: number;
  /** Σ max(0, expected − frequency). */
  missing: number;
  /** Σ max(0, frequency − expected). */
  doubled: number;
  /** Customers whose frequency or monetary is wrong, with both sides. */
  wrong: string[];
  /** Customers whose profile could not be read (Redis unreachable) on the last poll. */
  unreadable: boolean;
};

/** Every expected customer's rfm.frequency / rfm.monetary, one MGET of their profile keys (JSON). */
export async function readApplied(redis: Redis, prefix: string, customers: readonly string[]): Promise<Map<string, Applied>> {
  const raws = await redis.mget(...customers.map(createKeys(prefix).profile));
  const out = new Map<string, Applied>();
  customers.forEach((c, i) => {
    const raw = raws[i];
    if (!raw) { out.set(c, { frequency: 0, monetary: 0 }); return; }
    const p = JSON.parse(raw) as { rfm?: { frequency?: number; monetary?: number } } & Record<string, unknown>;
    out.set(c, { frequency: p.rfm?.frequency ?? 0, monetary: p.rfm?.monetary ?? 0, profile: p });
  });
  return out;
}

export function diff(expected: Expected, actual: Map<string, Applied>): Diff {
  let exp = 0, applied = 0, missing = 0, doubled = 0;
  const wrong: string[] = [];
  for (const [c, e] of expected) {
    const a = actual.get(c) ?? { frequency: 0, monetary: 0 };
    exp += e.frequency;
    applied += a.frequency;
    missing += Math.max(0, e.frequency - a.frequency);
    doubled += Math.max(0, a.frequency - e.frequency);
    if (a.frequency !== e.frequency || Math.abs(a.monetary - e.monetary) > 0.001) {
      wrong.push(`${c}: frequency ${a.frequency}/${e.frequency}, monetary ${a.monetary}/${e.monetary}`);
    }
  }
  return { ok: wrong.length === 0, expectedPurchases: exp, applied, missing, doubled, wrong, unreadable: false };
}

/** One line for a failure message or the log, e.g. "2871 of 3000 applied, 129 missing, 0 doubled (40 customers wrong: …)". */
export function describeDiff(d: Diff): string {
  const head = `${d.applied} of ${d.expectedPurchases} applied, ${d.missing} missing, ${d.doubled} doubled`;
  if (d.ok) return `${head} — every purchase exactly once`;
  return `${head}${d.unreadable ? ' (Redis unreadable on the last poll)' : ''}; ${d.wrong.length} customer(s) wrong: ${d.wrong.slice(0, 8).join('; ')}${d.wrong.length > 8 ? '; …' : ''}`;
}

/** Σ rfm.frequency over the customers, or undefined when Redis does not answer. */
export async function appliedCount(redis: Redis, prefix: string, expected: Expected): Promise<number | undefined> {
  try { return diff(expected, await readApplied(redis, prefix, [...expected.keys()])).applied; } catch { return undefined; }
}

/** Polls until at least `n` purchases are in the profiles; `applied` is the last count seen. */
export async function untilApplied(redis: Redis, prefix: string, expected: Expected, n: number, timeoutMs: number): Promise<{ ok: boolean; applied: number }> {
  const end = Date.now() + timeoutMs;
  let applied = 0;
  for (;;) {
    applied = (await appliedCount(redis, prefix, expected)) ?? applied;
    if (applied >= n) return { ok: true, applied };
    if (Date.now() > end) return { ok: false, applied };
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Polls until every customer matches, and keeps matching for `holdMs` (a purchase applied twice late,
 * e.g. by a replay after a restart, shows up then). Returns the last diff, matching or not, at `timeoutMs`,
 * or earlier once nothing has changed for `stallMs` (an engine that lost purchases never gets there).
 */
export async function waitUntilApplied(redis: Redis, prefix: string, expected: Expected, timeoutMs: number,
  o: { holdMs?: number; stallMs?: number } = {}): Promise<Diff> {
  const holdMs = o.holdMs ?? 1500;
  const stallMs = o.stallMs ?? 15_000;
  const customers = [...expected.keys()];
  const end = Date.now() + timeoutMs;
  let last: Diff | undefined;
  let okSince: number | undefined;
  let sig = '';
  let changedAt = Date.now();
  for (;;) {
    try {
      last = diff(expected, await readApplied(redis, prefix, customers));
      const now = `${last.applied}|${last.wrong.join()}`;
      if (now !== sig) { sig = now; changedAt = Date.now(); }
    } catch {
      last = last ? { ...last, unreadable: true } : { ok: false, expectedPurchases: 0, applied: 0, missing: 0, doubled: 0, wrong: ['(unreadable)'], unreadable: true };
    }
    if (last.ok && !last.unreadable) {
      okSince ??= Date.now();
      if (Date.now() - okSince >= holdMs) return last;
    } else {
      okSince = undefined;
      if (Date.now() - changedAt > stallMs) return last;
    }
    if (Date.now() > end) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A metric's value from Prometheus text: the sum over its series whose labels include `labels`
 * (undefined when no series matches, i.e. the engine does not have the metric).
 */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  let sum: number | undefined;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = new Map<string, string>();
    for (const kv of (m[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) have.set(kv[1]!, kv[2]!);
    if (Object.entries(labels).every(([k, v]) => have.get(k) === v)) sum = (sum ?? 0) + Number(m[4]);
  }
  return sum;
}

/** Polls /metrics until `pred(value)` holds; returns the last value seen (undefined: never present). */
export async function waitMetric(metrics: () => Promise<string>, name: string, pred: (v: number | undefined) => boolean, timeoutMs: number,
  labels: Record<string, string> = {}): Promise<{ ok: boolean; value: number | undefined }> {
  const end = Date.now() + timeoutMs;
  let value: number | undefined;
  for (;;) {
    try { value = metricValue(await metrics(), name, labels); } catch { /* engine restarting */ }
    if (pred(value)) return { ok: true, value };
    if (Date.now() > end) return { ok: false, value };
    await new Promise((r) => setTimeout(r, 100));
  }
}
