import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { open, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { Logger } from './log.js';

export type JournalOptions = {
  dir: string;
  /** Records applied at once during a drain (default 1: strictly one after another). */
  concurrency?: number;
  /** Appends wait (and their events stay unacknowledged at the broker) while the journal holds this much. */
  maxBytes: number;
  log: Logger;
  /** Observation hooks (metrics). */
  on?: { appended?(n: number): void; full?(): void; corrupt?(n: number): void; changed?(pending: number, bytes: number): void };
};

type Segment = { seq: number; path: string; records: number; bytes: number };
type Waiter = { line: Buffer; resolve: () => void; reject: (err: Error) => void };

const SEGMENT = /^seg-(\d{12})\.log$/;
const name = (seq: number) => `seg-${String(seq).padStart(12, '0')}.log`;

/** One line: 8 hex digits of CRC-32, a space, the record, a newline. A torn or damaged line is skipped on replay. */
export const encodeLine = (record: string): Buffer => {
  const body = Buffer.from(record, 'utf8');
  return Buffer.concat([Buffer.from(crc32(body).toString(16).padStart(8, '0') + ' '), body, Buffer.from('\n')]);
};

/** The records of a segment's text, and how many lines were damaged (a crash mid-write leaves at most one). */
export function decodeLines(text: string): { records: string[]; corrupt: number } {
  const records: string[] = [];
  let corrupt = 0;
  for (const line of text.split('\n')) {
    if (!line) continue;
    const body = line.slice(9);
    if (line.length < 10 || line[8] !== ' ' || Number.parseInt(line.slice(0, 8), 16) !== crc32(Buffer.from(body, 'utf8'))) { corrupt++; continue; }
    records.push(body);
  }
  return { records, corrupt };
}

/**
 * A durable local journal of records (docs/delivery.md): segment files of CRC-checked lines.
 * `append` resolves only after the record is on disk (fdatasync); appends that arrive together share
 * one write and one sync (group commit). `drain` replays every record, started in order, and deletes a
 * segment once all of its records were applied. Bounded: when full, appends wait until a drain frees space.
 */
export async function openJournal({ dir, maxBytes, log, on, concurrency = 1 }: JournalOptions) {
  mkdirSync(dir, { recursive: true });
  const sealed: Segment[] = [];
  let pending = 0;
  let bytes = 0;
  for (const f of readdirSync(dir).filter((x) => SEGMENT.test(x)).sort()) {
    const path = join(dir, f);
    const { records, corrupt } = decodeLines(readFileSync(path, 'utf8'));
    if (corrupt) on?.corrupt?.(corrupt);
    const size = statSync(path).size;
    sealed.push({ seq: Number(SEGMENT.exec(f)![1]), path, records: records.length, bytes: size });
    pending += records.length;
    bytes += size;
  }
  let nextSeq = (sealed.at(-1)?.seq ?? 0) + 1;
  if (pending) log.warn({ dir, pending, bytes }, 'journal holds events from an earlier run; they are applied once the store is reachable');

  let active: (Segment & { fh: FileHandle }) | undefined;
  let queue: Waiter[] = [];
  let writing: Promise<void> | undefined;
  let full: Waiter[] = [];
  let draining: Promise<boolean> | undefined;
  let closed = false;
  const changed = () => on?.changed?.(pending, bytes);

  async function writeLoop(): Promise<void> {
    while (queue.length) {
      const batch = queue;
      queue = [];
      try {
        if (!active) {
          const seq = nextSeq++;
          const path = join(dir, name(seq));
          active = { seq, path, records: 0, bytes: 0, fh: await open(path, 'a') };
        }
        const buf = Buffer.concat(batch.map((w) => w.line));
        await active.fh.write(buf);
        await active.fh.datasync();
        active.records += batch.length;
        active.bytes += buf.length;
        on?.appended?.(batch.length);
        for (const w of batch) w.resolve();
      } catch (err) {
        for (const w of batch) { pending--; bytes -= w.line.length; w.reject(err as Error); }
        changed();
      }
    }
    writing = undefined;
  }

  function enqueue(w: Waiter): void {
    pending++;
    bytes += w.line.length;
    changed();
    queue.push(w);
    writing ??= writeLoop();
  }

  function admitWaiting(): void {
    while (full.length && bytes + full[0]!.line.length <= maxBytes) enqueue(full.shift()!);
  }

  /** Closes the active segment so a drain can read it; new appends open the next one. */
  async function seal(): Promise<void> {
    while (writing) await writing;
    if (!active) return;
    const { fh, ...seg } = active;
    active = undefined;
    await fh.close();
    if (seg.records) sealed.push(seg); else await unlink(seg.path).catch(() => {});
  }

  async function drainAll(apply: (record: string) => Promise<void>): Promise<boolean> {
    for (;;) {
      if (!sealed.length) {
        if (!active?.records && !queue.length && !writing) return true;
        await seal();
        continue;
      }
      const seg = sealed[0]!;
      const { records, corrupt } = decodeLines(readFileSync(seg.path, 'utf8'));
      if (corrupt) { on?.corrupt?.(corrupt); log.warn({ segment: seg.path, corrupt }, 'journal: damaged lines skipped (an append cut short by a crash is never acknowledged)'); }
      // Up to `concurrency` records at work at once, started in journal order (the caller keeps the order
      // of records that touch the same thing); the first failure stops the drain once those at work settle.
      let failed: Error | undefined;
      const running = new Set<Promise<void>>();
      for (const r of records) {
        if (failed) break;
        const p: Promise<void> = apply(r).catch((err: Error) => { failed ??= err; }).finally(() => running.delete(p));
        running.add(p);
        if (running.size >= concurrency) await Promise.race(running);
      }
      await Promise.all(running);
      if (failed) {
        log.warn({ err: failed.message }, 'journal replay paused; it resumes when the store is reachable');
        return false;
      }
      await unlink(seg.path);
      sealed.shift();
      pending -= seg.records;
      bytes -= seg.bytes;
      changed();
      admitWaiting();
    }
  }

  return {
    /** Resolves once the record is durable on disk; waits while the journal is full. */
    append(record: string): Promise<void> {
      if (closed) return Promise.reject(new Error('journal closed'));
      return new Promise<void>((resolve, reject) => {
        const w = { line: encodeLine(record), resolve, reject };
        if (bytes + w.line.length > maxBytes || full.length) {
          if (!full.length) {
            on?.full?.();
            log.error({ dir, bytes, maxBytes }, 'journal full: transactional events stay unacknowledged at the broker until the store is back and the journal drains');
          }
          full.push(w);
          return;
        }
        enqueue(w);
      });
    },
    /** Applies every journaled record in order; false when `apply` failed (the rest stays for the next drain). */
    drain(apply: (record: string) => Promise<void>): Promise<boolean> {
      draining ??= drainAll(apply).finally(() => { draining = undefined; });
      return draining;
    },
    /** Records appended (or found at start) and not yet drained. */
    get pending(): number { return pending + full.length; },
    get bytes(): number { return bytes; },
    async close(): Promise<void> {
      closed = true;
      for (const w of full.splice(0)) w.reject(new Error('journal closed'));
      while (writing) await writing;
      if (draining) await draining.catch(() => {});
      if (active) { await active.fh.close(); if (!active.records) await unlink(active.path).catch(() => {}); active = undefined; }
    },
  };
}
export type Journal = Awaited<ReturnType<typeof openJournal>>;
