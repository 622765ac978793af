/**
 * The OpenEPaperLink label bridge, both ways (docs/gateways/openepaperlink.md):
 *
 * - engine → tags: every `label.update` of the store, for a label that has a tag, goes to the access point
 *   (pusher.ts): its content as an image or drawing commands, its flash as an LED command;
 * - tags → engine: a tag woken by a button or NFC becomes one `esl` event (presses.ts) with the label's id, published
 *   through the kit. Tag MACs are the labels' hardware ids: they may be logged, but only labelIds leave the bridge.
 */
import { Counter, Gauge } from 'prom-client';
import type { EslEvent, LabelDisplay, LabelUpdate } from '#contracts';
import type { FeedOutcome } from '../kit/conformance.js';
import type { GatewayRuntime } from '../kit/runtime.js';
import { createApClient, type ApClient } from './ap-client.js';
import { connectApStream, type ApStream } from './ap-stream.js';
import { tagDirectory, tagDisplay, wsUrlOf, type OeplConfig } from './config.js';
import { connectEngine, type EngineLink } from './engine-link.js';
import { parseApMessage, type TagRecord } from './frames.js';
import { createPressDetector } from './presses.js';
import { createPusher } from './pusher.js';

export type BridgeDeps = {
  /** Follow the engine's label frames (default true). */
  engine?: boolean;
  /** Read the AP's WebSocket (default true); without it, tag messages come only through `handleApMessage`. */
  apStream?: boolean;
  /** The AP's HTTP API (default: createApClient(accessPoint)). */
  ap?: ApClient;
  /** Reconnect backoff of both sockets (default 500 ms doubling to 30 s). */
  backoff?: { minMs: number; maxMs: number };
  /** Called with the bridge once it is set up (tests, the conformance suite). */
  onBridge?(bridge: Bridge): void;
};

export type Bridge = {
  /** One text message from the AP's WebSocket, handled; resolves when its events are published (or refused). */
  handleApMessage(text: string): Promise<FeedOutcome>;
  /** One label frame from the engine. */
  handleLabel(label: LabelUpdate): void;
  /** True when no upload or LED command waits or is in flight. */
  idle(): boolean;
  engine?: EngineLink;
  apStream?: ApStream;
};

export function createBridge(rt: GatewayRuntime, config: OeplConfig, deps: BridgeDeps = {}): Bridge {
  const cfg = config.oepl;
  const log = rt.log.child({ mod: 'oepl' });
  const { byMac, byLabel } = tagDirectory(cfg);
  const registers = [rt.metrics.registry];
  const pushes = new Counter({ name: 'aisle_oepl_pushes_total', help: 'Content uploads and LED commands for the access point, by outcome', labelNames: ['kind', 'outcome'] as const, registers });
  const labelFrames = new Counter({ name: 'aisle_oepl_label_frames_total', help: 'label.update frames from the engine, by outcome', labelNames: ['outcome'] as const, registers });
  const taps = new Counter({ name: 'aisle_oepl_taps_total', help: 'Tag records with a button or NFC wake-up, by outcome', labelNames: ['outcome'] as const, registers });
  const engineUp = new Gauge({ name: 'aisle_oepl_engine_connected', help: '1 while connected to the engine', registers });
  const apUp = new Gauge({ name: 'aisle_oepl_ap_connected', help: '1 while the access point stream is connected', registers });

  const ap = deps.ap ?? createApClient(cfg.accessPoint);
  const pusher = createPusher({ ap, mode: cfg.mode, retry: cfg.retry, log, count: (kind, outcome) => pushes.inc({ kind, outcome }) });
  const presses = createPressDetector({ storeId: config.storeId, debounceMs: cfg.debounceMs });
  /** Hardware types the AP reported, by MAC (from tag records and /get_db). */
  const hwTypes = new Map<string, number>();
  /** Per tag: the label's latest frame and the panel it was drawn for (to draw it again when the panel turns out different). */
  const current = new Map<string, { label: LabelUpdate; display: LabelDisplay | undefined }>();
  /**
   * Frames wait (latest per tag) until the AP's tag list was read once, so the first upload after a start is already
   * drawn for the right panel: a refresh costs battery. Bounded: after 5 s they go anyway.
   */
  let held: Map<string, LabelUpdate> | undefined = new Map();
  const unknownLogged = new Set<string>();
  /** AP clock minus ours (seconds), from its `sys` messages. */
  let apClockOffset: number | undefined;
  let engine: EngineLink | undefined;

  const refuse = (reason: string, detail?: string): FeedOutcome => {
    rt.metrics.rejected.inc({ reason });
    if (detail) log.debug({ reason, detail }, 'access point message refused');
    return { accepted: false, reason };
  };

  async function tagRecord(rec: TagRecord): Promise<string | undefined> {
    const tag = byMac.get(rec.mac);
    if (!tag) {
      if (unknownLogged.size < 1000 && !unknownLogged.has(rec.mac)) {
        unknownLogged.add(rec.mac);
        log.info({ tag: rec.mac }, 'tag not in oepl.tags; ignored');
      }
      rt.metrics.rejected.inc({ reason: 'unknown_tag' });
      return 'unknown_tag';
    }
    if (rec.hwType !== undefined) learnHwType(rec.mac, rec.hwType);
    const apNow = apClockOffset === undefined ? undefined : Date.now() / 1000 + apClockOffset;
    const verdict = presses.offer(rec, apNow);
    if (verdict.kind === 'none') return undefined;
    if (verdict.kind !== 'press') {
      taps.inc({ outcome: verdict.kind });
      if (verdict.kind !== 'stale') rt.metrics.duplicates.inc();
      return undefined;
    }
    const event: EslEvent = { type: 'esl', id: verdict.id, ts: Date.now(), storeId: config.storeId, labelId: tag.labelId, action: verdict.action };
    try {
      await rt.publisher.publish(event);
      taps.inc({ outcome: 'published' });
      log.info({ labelId: tag.labelId, action: verdict.action, id: verdict.id }, 'label tapped');
    } catch (err) {
      presses.forget(verdict.id);
      taps.inc({ outcome: 'failed' });
      log.warn({ labelId: tag.labelId, err: (err as Error).message }, 'tap not published');
    }
    return undefined;
  }

  /** A tag's hardware type, from the AP: when it changes the tag's panel, its label is drawn again for it (no flash). */
  function learnHwType(mac: string, hwType: number): void {
    if (hwTypes.get(mac) === hwType) return;
    hwTypes.set(mac, hwType);
    const tag = byMac.get(mac);
    const cur = current.get(mac);
    if (!tag || !cur) return;
    if (tagDisplay(tag, hwType, cur.label.display) !== cur.display) {
      const { flash: _flash, ...again } = cur.label;
      push(again);
    }
  }

  function push(label: LabelUpdate): void {
    const tag = byLabel.get(label.labelId)!;
    if (held) { held.set(tag.mac, label); return; }
    let flashUntil: number | undefined;
    if (label.flash) {
      // docs/labels.md: a replayed frame may carry a flash long over; it lights only until updatedAt + durationMs (engine clock).
      const offset = engine ? engine.engineNow() - Date.now() : 0;
      flashUntil = label.updatedAt !== undefined ? label.updatedAt + label.flash.durationMs - offset : Date.now() + label.flash.durationMs;
      if (flashUntil <= Date.now()) { pushes.inc({ kind: 'flash', outcome: 'expired' }); flashUntil = undefined; }
    }
    const display = tagDisplay(tag, hwTypes.get(tag.mac), label.display);
    current.set(tag.mac, { label, display });
    pusher.submit(tag.mac, label, display, flashUntil);
  }

  async function readTagTypes(): Promise<void> {
    const types = await Promise.race([ap.tagTypes(), new Promise<undefined>((r) => { setTimeout(() => r(undefined), 5000).unref(); })]);
    if (types) {
      for (const [mac, t] of types) learnHwType(mac, t);
      const missing = [...byMac.values()].filter((t) => !types.has(t.mac)).map((t) => ({ tag: t.mac, labelId: t.labelId }));
      if (missing.length) log.warn({ missing: missing.slice(0, 20), count: missing.length }, 'configured tags the access point does not know');
    }
    if (held) {
      const waiting = held;
      held = undefined;
      for (const label of waiting.values()) push(label);
    }
  }

  const bridge: Bridge = {
    async handleApMessage(text) {
      rt.metrics.received.inc({ source: 'ap-ws' });
      const msg = parseApMessage(text);
      switch (msg.kind) {
        case 'invalid': return refuse(msg.reason, msg.detail);
        case 'sys':
          if (msg.apTime !== undefined) apClockOffset = msg.apTime - Date.now() / 1000;
          return { accepted: true };
        case 'error':
          log.warn({ ap: msg.message }, 'access point reports an error');
          return { accepted: true };
        case 'other': return { accepted: true };
        case 'tags': {
          let reason: string | undefined;
          for (const r of msg.records) {
            const refused = r.ok ? await tagRecord(r.record) : refuse(r.reason, r.detail).reason;
            reason ??= refused;
          }
          return reason ? { accepted: false, reason } : { accepted: true };
        }
      }
    },
    handleLabel(label) {
      if (!byLabel.has(label.labelId)) { labelFrames.inc({ outcome: 'unmapped' }); return; }
      labelFrames.inc({ outcome: 'accepted' });
      push(label);
    },
    idle: () => pusher.idle(),
  };

  if (deps.engine !== false) {
    engine = connectEngine({
      url: wsUrlOf(cfg.engineUrl), token: cfg.token, storeId: config.storeId, log: log.child({ side: 'engine' }),
      ...(deps.backoff ? { backoff: deps.backoff } : {}),
      onLabel: (l) => bridge.handleLabel(l),
      onInvalid: (detail) => { labelFrames.inc({ outcome: 'invalid' }); log.warn({ detail }, 'invalid frame from the engine'); },
      onConnected: (v) => engineUp.set(v ? 1 : 0),
    });
    bridge.engine = engine;
  }
  let opened = 0;
  if (deps.apStream !== false) {
    bridge.apStream = connectApStream({
      url: wsUrlOf(cfg.accessPoint), log: log.child({ side: 'ap' }),
      ...(deps.backoff ? { backoff: deps.backoff } : {}),
      onMessage: (text) => { void bridge.handleApMessage(text).catch((err) => log.error({ err: (err as Error).message }, 'tag message failed')); },
      onConnected: (v) => apUp.set(v ? 1 : 0),
      // Learn the tags' hardware types (their panels) again: the AP may have been given new tags.
      onOpen: () => { if (opened++ > 0) void readTagTypes(); },
    });
  }
  void readTagTypes();
  rt.onClose(async () => {
    pusher.close();
    await Promise.all([engine?.close(), bridge.apStream?.close()]);
  });
  deps.onBridge?.(bridge);
  return bridge;
}
