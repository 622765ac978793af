import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { decisionsTopic, DecisionMessage, type ExperimentReport, type ModelVersionInfo, type PreviewResult, type ScreenContent } from '#contracts';
import { assignArm } from '../../engine/experiments/stats/assign.js';
import { parseProfilesNdjson } from '../../engine/profiles/import.js';
import { createHeuristicRanker } from '../../engine/scoring/heuristic.js';
import { createScoring, type Scoring } from '../../engine/scoring/index.js';
import { DEMO_SHOPPERS_PATH } from '../../engine/simulator/start.js';
import { loadStoreConfigs } from '../../engine/stores/load.js';
import { silentLogger } from '../../engine/platform/log.js';
import { readFileSync } from 'node:fs';
import { startTestEngine, type TestEngine } from '../helpers/engine.js';
import { eventually } from '../helpers/eventually.js';
import { uniqueId } from '../helpers/fixtures.js';
import { connectWs, type TestWs } from '../helpers/ws-client.js';
import { startMosquitto } from '../fault/harness/mosquitto.js';
import { perFileScope } from '../fault/harness/scope.js';

/**
 * A model experiment end to end: the two bundled model versions served side by side by real ONNX Runtime
 * sessions, on a real broker and Redis, in the demo store with its real members. Each shopper's personal
 * turn is ranked by their arm's version (on both instances alike), screens confirm what they showed, and a
 * purchase of it converts in that arm.
 */
describe('a model experiment in the store', () => {
  const scope = perFileScope();
  const storeId = uniqueId('m');
  const expId = uniqueId('xm');
  const store = (() => {
    const demo = loadStoreConfigs()[0]!;
    // One screen in the kitchen (the test tokens open scr-kitchen-1): one shopper, one personal turn.
    return { ...demo, storeId, screens: demo.screens.filter((s) => s.screenId === 'scr-kitchen-1') };
  })();
  const members = parseProfilesNdjson(readFileSync(DEMO_SHOPPERS_PATH, 'utf8')).profiles.filter((p) => p.consent.personalization).slice(0, 40);
  let versions: ModelVersionInfo[];
  let arms: { armId: string; name: string; share: number; model: string }[];
  let a: TestEngine;
  let b: TestEngine;
  let scoringA: Scoring;
  let scoringB: Scoring;
  let screen: TestWs;
  let sub: MqttClient;
  const decisions: DecisionMessage[] = [];
  const inArm = (arm: string) => members.find((m) => assignArm(expId, m.customerId, arms) === arm)!;
  const api = async <T>(t: TestEngine, method: string, path: string, body?: unknown) => {
    const res = await fetch(`http://127.0.0.1:${t.port}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body),
      headers: { authorization: `Bearer tok-merch-${t.storeId}-xxx`, 'content-type': 'application/json' } });
    return { status: res.status, body: await res.json() as T };
  };

  beforeAll(async () => {
    const prefix = `${uniqueId('test')}:`;
    const scoring = () => createScoring({ fallback: createHeuristicRanker(), log: silentLogger() });
    scoringA = await scoring();
    scoringB = await scoring();
    a = await startTestEngine({ mqttUrl: inject('mosquittoUrl'), redisUrl: inject('redisUrl'), storeId, prefix, store, profiles: members, deps: { ranker: scoringA } });
    const own = await startMosquitto(scope);
    b = await startTestEngine({ mqttUrl: own.url, redisUrl: inject('redisUrl'), storeId, prefix, store, profiles: members, deps: { ranker: scoringB } });
    sub = await mqtt.connectAsync(inject('mosquittoUrl'), { clientId: uniqueId('sub'), reconnectPeriod: 0 });
    sub.on('message', (_t, payload) => { const r = DecisionMessage.safeParse(JSON.parse(String(payload))); if (r.success) decisions.push(r.data); });
    await sub.subscribeAsync(decisionsTopic(storeId), { qos: 1 });
    screen = await connectWs(a.port, { role: 'screen', token: a.screenToken('scr-kitchen-1'), storeId, screenId: 'scr-kitchen-1' });
    await screen.next((f) => f.type === 'screen.content');
  });
  afterAll(async () => {
    await screen?.close();
    await sub?.endAsync();
    await b?.close();
    await a?.close();
    await scoringA?.close();
    await scoringB?.close();
  });

  it('lists the bundled versions and starts an experiment of the newest against the one before', async () => {
    const listed = await api<ModelVersionInfo[]>(a, 'GET', '/api/v1/models');
    expect(listed.status).toBe(200);
    versions = listed.body;
    expect(versions.length).toBeGreaterThanOrEqual(2);
    expect(versions[0]!.use).toBe('serving');
    arms = [{ armId: 'treatment', name: 'Newest', share: 0.5, model: versions[0]!.version },
      { armId: 'holdout', name: 'Previous', share: 0.5, model: versions[1]!.version }];
    const created = await api(a, 'POST', '/api/v1/experiments', { experimentId: expId, name: 'Newest model vs previous', kind: 'model', stores: [storeId],
      status: 'running', arms });
    expect(created.status).toBe(201);
    // Both instances hold the previous version beside the serving one.
    for (const t of [a, b]) {
      await eventually(async () => {
        const v = await api<ModelVersionInfo[]>(t, 'GET', '/api/v1/models');
        return v.body.find((x) => x.version === versions[1]!.version)?.use === 'pinned' ? true : undefined;
      });
    }
  });

  it('ranks each shopper with their arm\'s version, the same on both instances', async () => {
    for (const arm of ['treatment', 'holdout']) {
      const m = inArm(arm);
      const want = arms.find((x) => x.armId === arm)!.model;
      for (const t of [a, b]) {
        const p = await api<PreviewResult>(t, 'POST', '/api/v1/rules/preview', { storeId, screenId: 'scr-kitchen-1', customerId: m.customerId });
        expect(p.status).toBe(200);
        expect(p.body.screens[0]!.ranker).toBe(`model:ranker@${want}`);
      }
    }
  });

  it('counts the impression and the purchase in the arm whose model ranked the turn', async () => {
    const results: Record<string, ScreenContent> = {};
    for (const arm of ['treatment', 'holdout']) {
      const m = inArm(arm);
      const from = screen.frames.length;
      await a.publish('presence', { deviceId: `d-${m.customerId}`, customerId: m.customerId, zoneId: 'z-kitchen', source: 'wifi' });
      const f = await screen.next<ScreenContent>((x) => x.type === 'screen.content' && (x as ScreenContent).reason === 'shopper', 8000, from);
      results[arm] = f;
      const d = await eventually(async () => decisions.find((x) => x.decisionId === f.decisionId));
      expect(d.customerId).toBe(m.customerId);
      expect(d.ranker).toBe(`model:ranker@${arms.find((x) => x.armId === arm)!.model}`);
      screen.ws.send(JSON.stringify({ type: 'impression', screenId: 'scr-kitchen-1', decisionId: f.decisionId, skus: f.items.map((i) => i.sku), renderedAt: Date.now() }));
      await a.publish('presence', { deviceId: `d-${m.customerId}`, zoneId: null, source: 'wifi' });
      // The next shopper's turn waits for this one to end.
      await new Promise((r) => setTimeout(r, 200));
    }
    for (const arm of ['treatment', 'holdout']) {
      const m = inArm(arm);
      const item = results[arm]!.items[0]!;
      await a.publish('pos', { id: uniqueId('pos'), transactionId: uniqueId('tx'), customerId: m.customerId, currency: store.currency, total: item.price,
        lines: [{ sku: item.sku, qty: 1, unitPrice: item.price }] });
    }
    await a.engine.settle();
    const report = await eventually(async () => {
      const g = await api<{ report: ExperimentReport }>(b, 'GET', `/api/v1/experiments/${expId}`);
      const r = g.body.report;
      return r && r.arms.length === 2 && r.arms.every((x) => x.conversions === 1) ? r : undefined;
    }, 10_000);
    for (const arm of report.arms) expect(arm).toMatchObject({ shoppers: 1, impressions: 1, conversions: 1 });
  });
});
