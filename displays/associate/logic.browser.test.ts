import { describe, expect, it, vi } from 'vitest';
import { AlertClaimed, AlertVip } from '../shared/contracts.js';
import { alertStatus, createAlertBook } from './alert-book.js';
import { createClaimOutbox } from './claim-outbox.js';
import { createNotifier } from './notifier.js';
import { loadSession, readQuery, saveSession, sessionFromPage, withoutToken } from './session.js';
import { zoneLabel } from './store-names.js';
import { claimed, memoryStorage, vip } from './test-fakes.js';
import { timeSince, wordsFor } from './words.js';

const V = (over: Record<string, unknown> = {}, customer: Record<string, unknown> = {}) => AlertVip.parse(vip(over, customer));
const C = (alertId: string, associateId: string | null, seq: number) => AlertClaimed.parse(claimed(alertId, associateId, seq));

describe('alert book', () => {
  it('keeps one entry per alert id, the latest seq winning', () => {
    const b = createAlertBook();
    expect(b.apply(V({ seq: 2 }))).toBe('added');
    expect(b.apply(V({ seq: 2 }))).toBe('ignored');
    expect(b.apply(V({ seq: 1, zoneId: 'z-old' }))).toBe('ignored');
    expect(b.apply(V({ seq: 5, zoneId: 'z-home' }))).toBe('updated');
    expect(b.list()).toHaveLength(1);
    expect(b.get('al-1')!.vip!.zoneId).toBe('z-home');
    expect(b.maxSeq).toBe(5);
  });

  it('takes the holder from the newest of alert.claimed and alert.vip.claimedBy', () => {
    const b = createAlertBook();
    b.apply(V({ seq: 1 }));
    expect(alertStatus(b.get('al-1')!, 'ann')).toBe('new');
    b.apply(C('al-1', 'bob', 2));
    expect(alertStatus(b.get('al-1')!, 'ann')).toBe('other');
    b.apply(V({ seq: 3, claimedBy: { associateId: 'bob', claimedAt: 1 } })); // an update keeps the holder
    expect(b.get('al-1')!.holder.associateId).toBe('bob');
    b.apply(C('al-1', null, 4));
    expect(alertStatus(b.get('al-1')!, 'ann')).toBe('released');
    b.apply(C('al-1', 'ann', 6));
    b.apply(V({ seq: 5 })); // older than the claim: content updates, the holder stays
    expect(alertStatus(b.get('al-1')!, 'ann')).toBe('mine');
    b.apply(V({ seq: 7 })); // newer and without claimedBy: nobody holds it now
    expect(alertStatus(b.get('al-1')!, 'ann')).toBe('released');
  });

  it('keeps a claim that arrives before its alert, and lists only alerts with content, newest first', () => {
    const b = createAlertBook();
    expect(b.apply(C('al-2', 'bob', 3))).toBe('claim');
    expect(b.list()).toHaveLength(0);
    b.apply(V({ seq: 1, createdAt: 1000 }));
    b.apply(V({ seq: 2, alertId: 'al-2', createdAt: 2000 }));
    expect(b.list().map((e) => e.alertId)).toEqual(['al-2', 'al-1']);
    expect(b.get('al-2')!.holder.associateId).toBe('bob');
  });

  it('takes the replay after a welcome as the current state, whatever its seqs (restart, another instance)', () => {
    const b = createAlertBook();
    b.apply(V({ seq: 40 }));
    b.apply(C('al-1', 'ann', 41));
    expect(b.apply(V({ seq: 3 }))).toBe('ignored');
    b.welcome();
    expect(b.apply(V({ seq: 3, zoneId: 'z-home' }))).toBe('updated');
    expect(b.get('al-1')!.holder.associateId).toBeNull(); // the replayed alert says nobody holds it
    expect(b.apply(C('al-1', 'bob', 4))).toBe('claim');
    expect(b.apply(C('al-1', 'ann', 2))).toBe('ignored'); // within the connection, seqs count again
  });

  it('drops alerts past their open time', () => {
    const b = createAlertBook();
    b.apply(V({ seq: 1, createdAt: 1_000 }));
    b.apply(V({ seq: 2, alertId: 'al-2', createdAt: 5_000 }));
    expect(b.prune(6_500, 2_000)).toBe(1);
    expect(b.list().map((e) => e.alertId)).toEqual(['al-2']);
  });
});

describe('claim outbox', () => {
  it('sends at once when it can, queues when it cannot', () => {
    const o = createClaimOutbox();
    const sent: unknown[] = [];
    expect(o.request('al-1', 'claim', (f) => { sent.push(f); return true; }, 0).state).toBe('sent');
    expect(o.request('al-2', 'claim', () => false, 0).state).toBe('queued');
    expect(sent).toEqual([{ type: 'claim', alertId: 'al-1' }]);
  });

  it('re-queues unconfirmed actions on disconnect and flushes only what still makes sense', () => {
    const o = createClaimOutbox();
    o.request('al-1', 'claim', () => true, 0);
    o.request('al-2', 'claim', () => false, 0);
    o.request('al-3', 'release', () => false, 0);
    o.request('al-4', 'claim', () => false, 0);
    o.disconnected();
    expect(o.pending('al-1')!.state).toBe('queued');
    const holders: Record<string, string | null> = { 'al-1': null, 'al-2': 'bob', 'al-3': 'ann', 'al-4': 'ann' };
    const sent: unknown[] = [];
    o.flush((f) => { sent.push(f); return true; }, (id) => holders[id], 'ann', 10);
    expect(sent).toEqual([{ type: 'claim', alertId: 'al-1' }, { type: 'release', alertId: 'al-3' }]);
    expect(o.pending('al-2')).toBeUndefined();
    expect(o.notice('al-2')).toEqual({ kind: 'taken', by: 'bob' });
    expect(o.pending('al-4')).toBeUndefined(); // already mine
    expect(o.notice('al-4')).toBeUndefined();
  });

  it('settles on the engine\'s answer and gives up after the answer timeout', () => {
    const o = createClaimOutbox({ answerTimeoutMs: 100 });
    o.request('al-1', 'claim', () => true, 0);
    expect(o.settle('al-1', null, 'ann')).toBe(false);
    expect(o.settle('al-1', 'ann', 'ann')).toBe(true);
    expect(o.size).toBe(0);
    o.request('al-2', 'release', () => true, 0);
    expect(o.settle('al-2', 'ann', 'ann')).toBe(false);
    expect(o.expire(50)).toBe(false);
    expect(o.expire(150)).toBe(true);
    expect(o.notice('al-2')).toEqual({ kind: 'noAnswer' });
  });
});

describe('session', () => {
  it('remembers a complete session only', () => {
    const s = memoryStorage();
    expect(loadSession(s)).toBeUndefined();
    saveSession({ token: 't-0123456789abcdef', storeId: 's-001', associateId: 'ann' }, s);
    expect(loadSession(s)).toEqual({ token: 't-0123456789abcdef', storeId: 's-001', associateId: 'ann' });
    s.setItem('aislecast.associate.session', JSON.stringify({ token: 'x', storeId: 's 001', associateId: 'ann' }));
    expect(loadSession(s)).toBeUndefined();
  });

  it('reads the address, signs in from it and removes the token from it', () => {
    expect(readQuery('?store=s-001&associate=ann&token=abc&lang=de-DE')).toEqual({ storeId: 's-001', associateId: 'ann', token: 'abc', lang: 'de-DE' });
    expect(withoutToken('http://h/associate/?store=s-001&token=abc&associate=ann#/alert/al-1')).toBe('/associate/?store=s-001&associate=ann#/alert/al-1');
    const storage = memoryStorage();
    const replaced: string[] = [];
    const loc = { search: '?store=s-001&associate=ann&token=tok-1', href: 'http://h/associate/?store=s-001&associate=ann&token=tok-1' } as Location;
    const hist = { state: null, replaceState: (_s: unknown, _t: string, url: string) => { replaced.push(url); } } as unknown as History;
    const r = sessionFromPage(loc, hist, storage);
    expect(r.session).toEqual({ token: 'tok-1', storeId: 's-001', associateId: 'ann' });
    expect(replaced).toEqual(['/associate/?store=s-001&associate=ann']);
    expect(loadSession(storage)).toEqual(r.session);
    // no token in the address: the remembered session
    const r2 = sessionFromPage({ search: '', href: 'http://h/associate/' } as Location, hist, storage);
    expect(r2.session).toEqual(r.session);
    expect(replaced).toHaveLength(1);
    // a partial sign-in pre-fills the form
    const r3 = sessionFromPage({ search: '?token=tok-2', href: 'http://h/associate/?token=tok-2' } as Location, hist, memoryStorage());
    expect(r3.session).toBeUndefined();
    expect(r3.prefill).toEqual({ token: 'tok-2' });
  });
});

describe('notifier', () => {
  class FakeAudio {
    static made = 0;
    state = 'running';
    currentTime = 0;
    destination = {};
    constructor() { FakeAudio.made++; }
    resume() { return Promise.resolve(); }
    createOscillator() { const node = { type: '', frequency: { value: 0 }, connect: (g: unknown) => g, start: vi.fn(), stop: vi.fn() }; oscillators.push(node); return node; }
    createGain() { return { gain: { setValueAtTime: vi.fn(), exponentialRampToValueAtTime: vi.fn() }, connect: (x: unknown) => x }; }
  }
  const oscillators: unknown[] = [];

  it('beeps and buzzes only after a user gesture, at most once per burst, and remembers being switched off', () => {
    let t = 0;
    const storage = memoryStorage();
    const vibrate = vi.fn(() => true);
    const n = createNotifier({ storage, AudioContext: FakeAudio as unknown as new () => AudioContext, vibrate, now: () => t });
    expect(n.enabled).toBe(true);
    expect(n.locked).toBe(true);
    n.alert();
    expect(vibrate).not.toHaveBeenCalled();
    expect(oscillators).toHaveLength(0);
    t = 5000;
    n.unlock();
    n.alert();
    expect(oscillators).toHaveLength(2);
    expect(vibrate).toHaveBeenCalledTimes(1);
    t += 500;
    n.alert(); // same burst
    expect(vibrate).toHaveBeenCalledTimes(1);
    n.setEnabled(false);
    t += 5000;
    n.alert();
    expect(vibrate).toHaveBeenCalledTimes(1);
    expect(storage.getItem('aislecast.associate.sound')).toBe('0');
    expect(createNotifier({ storage }).enabled).toBe(false);
  });
});

describe('words', () => {
  it('picks the language and falls back to English', () => {
    expect(wordsFor('de-AT').claim).toBe('Übernehmen');
    expect(wordsFor('zh-TW').claim).toBe('认领');
    expect(wordsFor('fr-FR').claim).toBe('Claim');
    expect(wordsFor(undefined).emptyTitle).toBe('No VIPs in the store right now');
    expect(wordsFor('de-DE').emptyTitle).toBe('Gerade sind keine VIPs im Laden');
  });
  it('says time since in the locale', () => {
    expect(timeSince(10_000, 'en-GB')).toBe('now');
    expect(timeSince(3 * 60_000, 'de-DE')).toMatch(/^vor 3 Min/);
    expect(timeSince(2 * 3_600_000, 'zh-CN')).toContain('2');
  });
  it('names a zone from its id when the name is unknown', () => {
    expect(zoneLabel('z-kitchen', new Map())).toBe('Kitchen');
    expect(zoneLabel('zone_home-2', new Map())).toBe('Home 2');
    expect(zoneLabel('z-kitchen', new Map([['z-kitchen', 'Kitchen & Dining']]))).toBe('Kitchen & Dining');
  });
});
