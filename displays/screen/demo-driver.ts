/**
 * @module screen/demo-driver
 * `?demo=…` without an engine: feeds the built-in sample frames through the player's normal frame path.
 * - `hero`, `grid`: that frame; `idle`: the idle loop with an offers slide; `offline`: hero + offline pill;
 *   `setup`: the rejected-token message; `1` (or anything else): cycle hero → grid → idle.
 */
import type { ConnectionStatus } from '../shared/ws-client.js';
import { DEMO_FRAMES, DEMO_GRID, DEMO_HERO, DEMO_IDLE } from './demo-frames.js';

export interface DemoTarget {
  receive(raw: unknown): void;
  expire(): void;
  setStatus(status: ConnectionStatus): void;
}

/** Starts the demo; returns a function that stops it. */
export function startDemo(target: DemoTarget, mode: string, cycleMs = 12_000): () => void {
  let seq = 100;
  const send = (frame: object) => target.receive({ ...frame, seq: ++seq });
  switch (mode) {
    case 'hero': case 'grid':
      target.setStatus('online'); send(DEMO_FRAMES[mode]); return () => {};
    case 'idle':
      target.setStatus('online'); send(DEMO_IDLE); target.expire(); return () => {};
    case 'offline':
      send(DEMO_HERO); target.setStatus('offline'); return () => {};
    case 'setup':
      target.receive({ type: 'error', code: 'ws.unauthorized', message: 'demo: token rejected' });
      target.setStatus('rejected'); return () => {};
  }
  target.setStatus('online');
  const steps = [() => send(DEMO_HERO), () => send(DEMO_GRID), () => { send(DEMO_IDLE); target.expire(); }];
  let i = 0;
  steps[0]!();
  const t = setInterval(() => { i = (i + 1) % steps.length; steps[i]!(); }, cycleMs);
  return () => clearInterval(t);
}
