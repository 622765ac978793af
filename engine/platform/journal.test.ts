import { appendFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeLines, encodeLine, openJournal } from './journal.js';
import { silentLogger } from './log.js';

const dir = () => mkdtempSync(join(tmpdir(), 'journal-test-'));
const log = silentLogger();

describe('journal', () => {
  it('keeps appended records across a reopen and replays them in order, once drained they are gone', async () => {
    const d = dir();
    const a = await openJournal({ dir: d, maxBytes: 1 << 20, log });
    await Promise.all(Array.from({ length: 50 }, (_, i) => a.append(`r${i}`)));
    expect(a.pending).toBe(50);
    await a.close(); // as after a crash: nothing drained
    const b = await openJournal({ dir: d, maxBytes: 1 << 20, log });
    expect(b.pending).toBe(50);
    const seen: string[] = [];
    expect(await b.drain(async (r) => { seen.push(r); })).toBe(true);
    expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => `r${i}`));
    expect(b.pending).toBe(0);
    expect(readdirSync(d).filter((f) => f.startsWith('seg-'))).toEqual([]);
  });

  it('group-commits appends that arrive together (one write, one sync)', async () => {
    let writes = 0;
    const j = await openJournal({ dir: dir(), maxBytes: 1 << 20, log, on: { appended: () => { writes++; } } });
    await Promise.all(Array.from({ length: 100 }, (_, i) => j.append(`x${i}`)));
    expect(j.pending).toBe(100);
    expect(writes).toBeLessThan(10);
    await j.close();
  });

  it('stops a drain at the first failure and resumes from the same segment later', async () => {
    const j = await openJournal({ dir: dir(), maxBytes: 1 << 20, log });
    for (const r of ['a', 'b', 'c']) await j.append(r);
    const applied: string[] = [];
    let fail = true;
    const apply = async (r: string) => { if (r === 'b' && fail) throw new Error('store down'); applied.push(r); };
    expect(await j.drain(apply)).toBe(false);
    expect(j.pending).toBe(3);
    fail = false;
    expect(await j.drain(apply)).toBe(true);
    expect(applied).toEqual(['a', 'a', 'b', 'c']); // 'a' again: effects must be idempotent
    expect(j.pending).toBe(0);
    await j.close();
  });

  it('takes appends while it drains, and drains those too', async () => {
    const j = await openJournal({ dir: dir(), maxBytes: 1 << 20, log });
    await j.append('first');
    const seen: string[] = [];
    const done = j.drain(async (r) => { seen.push(r); if (r === 'first') await j.append('during'); });
    expect(await done).toBe(true);
    expect(seen).toEqual(['first', 'during']);
    await j.close();
  });

  it('is bounded: a full journal holds appends back until a drain frees space', async () => {
    let full = 0;
    const line = encodeLine('y'.repeat(100)).length;
    const j = await openJournal({ dir: dir(), maxBytes: line * 3, log, on: { full: () => { full++; } } });
    for (let i = 0; i < 3; i++) await j.append('y'.repeat(100));
    let fourth = false;
    const p = j.append('y'.repeat(100)).then(() => { fourth = true; });
    await new Promise((r) => setTimeout(r, 30));
    expect(fourth).toBe(false);
    expect(full).toBe(1);
    expect(j.pending).toBe(4);
    let drained = 0;
    await j.drain(async () => { drained++; });
    await p;
    expect(fourth).toBe(true);
    expect(drained).toBe(4); // the held append was admitted once space was freed, and drained too
    expect(j.pending).toBe(0);
    await j.close();
  });

  it('skips a torn or damaged line (an append cut short by a crash was never acknowledged)', async () => {
    const d = dir();
    const a = await openJournal({ dir: d, maxBytes: 1 << 20, log });
    await a.append('good-1');
    await a.append('good-2');
    await a.close();
    const seg = join(d, readdirSync(d).find((f) => f.startsWith('seg-'))!);
    appendFileSync(seg, encodeLine('torn').subarray(0, 7));
    writeFileSync(seg, readFileSync(seg, 'utf8').replace('good-1', 'gxod-1'));
    let corrupt = 0;
    const b = await openJournal({ dir: d, maxBytes: 1 << 20, log, on: { corrupt: (n) => { corrupt += n; } } });
    const seen: string[] = [];
    await b.drain(async (r) => { seen.push(r); });
    expect(seen).toEqual(['good-2']);
    expect(corrupt).toBeGreaterThanOrEqual(2);
    await b.close();
  });

  it('encodes and decodes lines with their checksum', () => {
    const text = ['{"a":1}', 'é ü'].map((r) => encodeLine(r).toString('utf8')).join('');
    expect(decodeLines(text)).toEqual({ records: ['{"a":1}', 'é ü'], corrupt: 0 });
  });
});

describe('journal drain with concurrency', () => {
  it('starts records in journal order, several at once, and still stops at a failure', async () => {
    const j = await openJournal({ dir: dir(), maxBytes: 1 << 20, log, concurrency: 4 });
    for (let i = 0; i < 20; i++) await j.append(`r${i}`);
    const started: string[] = [];
    let atOnce = 0;
    let most = 0;
    const ok = await j.drain(async (r) => {
      started.push(r);
      most = Math.max(most, ++atOnce);
      await new Promise((res) => setTimeout(res, 2));
      atOnce--;
    });
    expect(ok).toBe(true);
    expect(started).toEqual(Array.from({ length: 20 }, (_, i) => `r${i}`));
    expect(most).toBe(4);
    for (let i = 0; i < 5; i++) await j.append(`s${i}`);
    expect(await j.drain(async (r) => { if (r === 's2') throw new Error('down'); })).toBe(false);
    expect(j.pending).toBe(5);
    await j.close();
  });
});

describe('journal lines against damage', () => {
  it('never throws on arbitrary bytes, and returns exactly the intact lines around them', () => {
    let seed = 7;
    const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed; };
    for (let round = 0; round < 300; round++) {
      const good = Array.from({ length: rnd() % 5 }, (_, i) => `{"n":${i},"r":${round}}`);
      const parts: Buffer[] = [];
      for (const g of good) {
        parts.push(Buffer.from(Array.from({ length: rnd() % 40 }, () => rnd() % 256).filter((b) => b !== 10)));
        parts.push(Buffer.from('\n'), encodeLine(g));
      }
      parts.push(Buffer.from(Array.from({ length: rnd() % 40 }, () => rnd() % 256)));
      const text = Buffer.concat(parts).toString('utf8');
      const out = decodeLines(text);
      expect(out.records).toEqual(good);
    }
  });
});
