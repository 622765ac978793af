/**
 * @module associate/notifier
 * The sound and vibration for a new VIP: two short WebAudio beeps (no audio file) and `navigator.vibrate`
 * where the phone has it. The choice is remembered in `localStorage`; it is on by default.
 *
 * Browsers let a page make sound only after the person interacted with it: the AudioContext is created
 * (or resumed) on the first tap or key press (`unlock()`, which the app wires to pointerdown and keydown),
 * and `locked` says whether that has happened, so the app can say "tap once to allow sound".
 * Vibration has the same rule in Chrome; before a tap it is silently skipped.
 */

const KEY = 'aislecast.associate.sound';
/** At most one alert sound per this many ms: a reconnect's replay of several new alerts beeps once. */
const MIN_GAP_MS = 1500;

export interface Notifier {
  readonly enabled: boolean;
  /** No user gesture yet: sound cannot play. */
  readonly locked: boolean;
  setEnabled(on: boolean): void;
  /** Call from a user gesture (tap, key): creates or resumes the audio context. */
  unlock(): void;
  /** A new VIP: beep and buzz, if enabled (and not just done). */
  alert(): void;
}

type AudioCtor = new () => AudioContext;

export interface NotifierOptions {
  storage?: Storage | undefined;
  /** Injectable for tests; default `window.AudioContext`. */
  AudioContext?: AudioCtor | undefined;
  vibrate?: ((pattern: number[]) => boolean) | undefined;
  now?: () => number;
}

export function createNotifier({ storage = safeLocalStorage(), AudioContext: Ctor = globalThis.AudioContext,
  vibrate = typeof navigator !== 'undefined' && 'vibrate' in navigator ? (p: number[]) => navigator.vibrate(p) : undefined,
  now = Date.now }: NotifierOptions = {}): Notifier {
  let enabled = storage?.getItem(KEY) !== '0';
  let ctx: AudioContext | undefined;
  let unlocked = false;
  let last = -Infinity;

  const beep = (at: number, freq: number) => {
    if (!ctx) return;
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'sine';
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.35, at + 0.015);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.16);
    osc.connect(gain).connect(ctx.destination);
    osc.start(at);
    osc.stop(at + 0.18);
  };

  return {
    get enabled() { return enabled; },
    get locked() { return !unlocked; },
    setEnabled(on) {
      enabled = on;
      try { storage?.setItem(KEY, on ? '1' : '0'); } catch { /* private mode: not remembered */ }
    },
    unlock() {
      unlocked = true;
      if (!Ctor) return;
      try {
        ctx ??= new Ctor();
        if (ctx.state === 'suspended') void ctx.resume().catch(() => {});
      } catch { ctx = undefined; }
    },
    alert() {
      if (!enabled || now() - last < MIN_GAP_MS) return;
      last = now();
      if (ctx && ctx.state === 'running') {
        const t = ctx.currentTime + 0.01;
        beep(t, 880);
        beep(t + 0.22, 1175);
      }
      if (unlocked) {
        try { vibrate?.([180, 90, 180]); } catch { /* not allowed here */ }
      }
    },
  };
}

function safeLocalStorage(): Storage | undefined {
  try { return globalThis.localStorage; } catch { return undefined; }
}
