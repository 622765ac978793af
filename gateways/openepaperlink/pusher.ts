/**
 * What goes to the access point, per tag (docs/gateways/openepaperlink.md §Retries): at most one content and one flash
 * wait per tag, the latest wins (a frame that comes while the tag's upload is in flight replaces the one waiting);
 * content the AP already has from this bridge is not sent again (an e-paper refresh costs battery); a busy or
 * unreachable AP is asked again after backoffMs, twice as long each time, up to `attempts` tries; anything else is
 * counted and logged, never thrown. The AP is an ESP32: at most two requests at a time, all tags together.
 */
import type { LabelDisplay, LabelUpdate } from '#contracts';
import type { Logger } from '../../engine/platform/log.js';
import { renderLabelPng } from '../../engine/labels/render-png.js';
import type { ApAnswer, ApClient } from './ap-client.js';
import { labelCommands } from './layout.js';
import { ledPattern } from './led.js';

export type PushKind = 'content' | 'flash';
/** sent: the AP took it; unchanged: the AP already has it; coalesced: a newer one replaced it; retried: busy, asked again; failed: given up; expired: a flash whose time was over. */
export type PushOutcome = 'sent' | 'unchanged' | 'coalesced' | 'retried' | 'failed' | 'expired';

type ContentJob = { label: LabelUpdate; display: LabelDisplay | undefined; fingerprint: string; attempts: number };
type FlashJob = { color: NonNullable<LabelUpdate['flash']>['color']; until: number; attempts: number };
type TagState = { content?: ContentJob; flash?: FlashJob; running: boolean; shown?: string };

export type PusherOptions = {
  ap: ApClient;
  mode: 'png' | 'json';
  retry: { attempts: number; backoffMs: number };
  log: Logger;
  count?: (kind: PushKind, outcome: PushOutcome) => void;
  /** Requests to the AP at once. Default 2. */
  concurrency?: number;
  now?: () => number;
};

/** What a label shows, for one display and mode: equal fingerprints draw the same panel. */
export function contentFingerprint(label: LabelUpdate, display: LabelDisplay | undefined, mode: string): string {
  const { sku, name, price, memberPrice, promo, currency, locale } = label;
  return JSON.stringify([mode, display ?? label.display ?? null, sku, name, price, memberPrice ?? null, promo ?? null, currency ?? null, locale ?? null]);
}

const MAX_BACKOFF_MS = 60_000;

export function createPusher(o: PusherOptions) {
  const now = o.now ?? Date.now;
  const count = o.count ?? (() => {});
  const tags = new Map<string, TagState>();
  const limit = o.concurrency ?? 2;
  let active = 0;
  const queue: (() => void)[] = [];
  const sleepers = new Set<() => void>();
  let closed = false;

  const acquire = () => new Promise<void>((res) => { if (active < limit) { active++; res(); } else queue.push(() => { active++; res(); }); });
  const release = () => { active--; queue.shift()?.(); };
  const sleep = (ms: number) => new Promise<void>((res) => {
    const done = () => { clearTimeout(t); sleepers.delete(done); res(); };
    const t = setTimeout(done, ms);
    sleepers.add(done);
  });
  const state = (mac: string) => { let s = tags.get(mac); if (!s) { s = { running: false }; tags.set(mac, s); } return s; };

  async function send(mac: string, job: ContentJob | FlashJob, kind: PushKind): Promise<ApAnswer | 'expired'> {
    await acquire();
    try {
      if (kind === 'flash') {
        const f = job as FlashJob;
        const left = f.until - now();
        if (left <= 0) return 'expired';
        return await o.ap.flashLed(mac, ledPattern(f.color, left));
      }
      const c = job as ContentJob;
      if (o.mode === 'json') return await o.ap.uploadJson(mac, labelCommands(c.label, c.display));
      return await o.ap.uploadImage(mac, renderLabelPng(c.label, c.display), 'image/png', `${c.label.labelId}.png`);
    } catch (err) {
      // A label that cannot be drawn (a bug, never the AP's fault): counted, logged, not retried.
      return { outcome: 'refused', detail: `cannot draw: ${(err as Error).message.slice(0, 120)}` };
    } finally { release(); }
  }

  async function run(mac: string, st: TagState): Promise<void> {
    st.running = true;
    try {
      while (!closed) {
        const kind: PushKind | undefined = st.flash ? 'flash' : st.content ? 'content' : undefined;
        if (!kind) break;
        const job = kind === 'flash' ? st.flash! : st.content!;
        if (kind === 'flash') st.flash = undefined; else st.content = undefined;
        if (kind === 'content' && (job as ContentJob).fingerprint === st.shown) { count(kind, 'unchanged'); continue; }
        const answer = await send(mac, job, kind);
        const labelId = kind === 'content' ? (job as ContentJob).label.labelId : undefined;
        if (answer === 'expired') { count(kind, 'expired'); continue; }
        if (answer.outcome === 'ok') {
          if (kind === 'content') st.shown = (job as ContentJob).fingerprint;
          count(kind, 'sent');
          continue;
        }
        if (answer.outcome === 'refused') {
          count(kind, 'failed');
          o.log.warn({ tag: mac, labelId, kind, answer: answer.detail }, 'access point refused');
          continue;
        }
        job.attempts++;
        if (job.attempts >= o.retry.attempts) {
          count(kind, 'failed');
          o.log.warn({ tag: mac, labelId, kind, attempts: job.attempts, answer: answer.detail }, 'access point still busy; giving up until the next update');
          continue;
        }
        count(kind, 'retried');
        o.log.debug({ tag: mac, kind, attempt: job.attempts, answer: answer.detail }, 'access point busy; trying again');
        // Unless a newer one came meanwhile (it wins), this one waits its turn again.
        if (kind === 'flash' && !st.flash) st.flash = job as FlashJob;
        if (kind === 'content' && !st.content) st.content = job as ContentJob;
        await sleep(Math.min(MAX_BACKOFF_MS, o.retry.backoffMs * 2 ** (job.attempts - 1)));
      }
    } finally {
      st.running = false;
    }
  }

  const kick = (mac: string, st: TagState) => {
    if (!st.running && !closed) void run(mac, st).catch((err) => o.log.error({ err: (err as Error).message }, 'pusher failed'));
  };

  return {
    /** A label's new frame for its tag: its content (unless the AP has it) and its flash (while it lasts, `until` on this machine's clock). */
    submit(mac: string, label: LabelUpdate, display: LabelDisplay | undefined, flashUntil?: number): void {
      if (closed) return;
      const st = state(mac);
      const fingerprint = contentFingerprint(label, display, o.mode);
      if (st.content) { count('content', 'coalesced'); st.content = undefined; }
      if (fingerprint === st.shown && !st.running) count('content', 'unchanged');
      else st.content = { label, display, fingerprint, attempts: 0 };
      if (label.flash && flashUntil !== undefined) {
        if (st.flash) count('flash', 'coalesced');
        st.flash = { color: label.flash.color, until: flashUntil, attempts: 0 };
      }
      kick(mac, st);
    },
    /** True when nothing waits or is in flight. */
    idle(): boolean { return [...tags.values()].every((s) => !s.running && !s.content && !s.flash); },
    /** Forgets what the AP was given (it may have lost it): the next frame of every tag is sent. */
    forgetShown(): void { for (const s of tags.values()) delete s.shown; },
    close(): void { closed = true; for (const wake of [...sleepers]) wake(); },
  };
}
export type Pusher = ReturnType<typeof createPusher>;
