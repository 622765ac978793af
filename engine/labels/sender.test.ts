import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../platform/clock.js';
import type { LabelBody } from './content.js';
import { createLabelSender } from './sender.js';

const body = (over: Partial<LabelBody> = {}): LabelBody => ({ type: 'label.update', labelId: 'L-1', sku: 'A', name: 'Amber', price: 5, updatedAt: Date.now(), ...over });

describe('label sender', () => {
  afterEach(() => { vi.useRealTimers(); });
  it('sends at once, then at most once per interval with the latest content; drops what the label already shows', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const sent: LabelBody[] = [];
    const s = createLabelSender({ clock: systemClock, minIntervalMs: () => 10_000, send: (_s, b) => { sent.push(b); return sent.length; } });
    s.push('s', body());
    expect(sent.map((b) => b.price)).toEqual([5]);
    s.push('s', body({ updatedAt: Date.now() + 1 })); // same content
    s.push('s', body({ price: 6 }));
    s.push('s', body({ price: 7 })); // coalesced: 6 never goes out
    expect(sent).toHaveLength(1);
    expect(s.waiting()).toBe(1);
    vi.advanceTimersByTime(9_999);
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sent.map((b) => b.price)).toEqual([5, 7]);
    // Back to what the label shows before a held-back frame left: nothing is sent.
    s.push('s', body({ price: 8 }));
    s.push('s', body({ price: 7 }));
    vi.advanceTimersByTime(20_000);
    expect(sent.map((b) => b.price)).toEqual([5, 7]);
    // Labels are independent.
    s.push('s', body({ labelId: 'L-2' }));
    expect(sent.map((b) => b.labelId)).toEqual(['L-1', 'L-1', 'L-2']);
    s.close();
  });
  it('a flash goes out even with unchanged content, within the same interval', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const sent: LabelBody[] = [];
    const s = createLabelSender({ clock: systemClock, minIntervalMs: () => 5_000, send: (_s, b) => { sent.push(b); return 1; } });
    s.push('s', body());
    s.push('s', body({ flash: { color: 'green', durationMs: 3000 } }));
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(5_000);
    expect(sent[1]!.flash).toEqual({ color: 'green', durationMs: 3000 });
    s.close();
  });
});
