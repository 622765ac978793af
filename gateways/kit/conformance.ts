import { Writable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventTopic, InboundEvent } from '#contracts';
import type { GatewayBase } from './config.js';
import type { GatewayDefinition } from './definition.js';
import { gatewayLogger, startGateway, type StartedGateway } from './runtime.js';
import { carriesPersonalId } from './scrub.js';
import { createRecordingClient, type Recorded } from './testing.js';

/** What feeding one vendor input did: accepted (events may follow), or refused with a reason. */
export type FeedOutcome = { accepted: boolean; reason?: string };

/**
 * A gateway under the conformance suite (docs/gateways.md §Conformance): how to start it and how to hand it
 * one vendor input (an HTTP POST to its port, a message to its MQTT handler, a frame from its access point…),
 * with generators of well-formed and hostile vendor input.
 */
export type ConformanceAdapter<In> = {
  definition: GatewayDefinition;
  /** A valid configuration (port 0: any free port). */
  config: GatewayBase;
  /** Gives the gateway one input; resolves when the gateway has handled it (its events published or refused). */
  feed(gw: StartedGateway, input: In): Promise<FeedOutcome>;
  /** Well-formed vendor input, as the vendor documents it, quirks included. */
  valid: fc.Arbitrary<In>;
  /** Anything else: damaged, hostile, wrong types, missing fields, garbage. */
  hostile: fc.Arbitrary<In>;
  /** The raw device identifiers and e-mail addresses in an input: none may appear in an output or a log line. */
  personal(input: In): string[];
  /** For gateways idempotent on the vendor's event id: the same vendor event again. */
  again?(input: In): In;
  /** Events the gateway may publish later by itself (timers): waited for after each feed. Default 0. */
  settleMs?: number;
  /** Stops what the adapter started besides the gateway (an emulator, a broker connection). */
  close?(): Promise<void>;
};

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
/** Generous: a gateway with timers (`settleMs`) waits after every run. */
const TIMEOUT_MS = Math.max(120_000, RUNS * 500);

/**
 * The shared suite every gateway passes: every output is a canonical event of the contract on the topic of
 * its type and the configured store; no raw MAC or e-mail in any output or log line; duplicates suppressed;
 * bad vendor input refused with a reason and counted; never a crash (fast-check, property-based).
 */
export function describeConformance<In>(name: string, adapter: () => ConformanceAdapter<In>): void {
  describe(`conformance: ${name}`, () => {
    let a: ConformanceAdapter<In>;
    let gw: StartedGateway;
    let rec: ReturnType<typeof createRecordingClient>;
    const logs: string[] = [];

    beforeAll(async () => {
      a = adapter();
      rec = createRecordingClient();
      const sink = new Writable({ write(chunk, _enc, cb) { logs.push(String(chunk)); cb(); } });
      const log = gatewayLogger(a.config.gatewayId, 'debug', sink);
      gw = await startGateway(a.config, (rt) => a.definition.setup(rt, a.config), { log, publisherClient: rec.client });
    });
    afterAll(async () => { await gw?.close(); await a?.close?.(); });

    const settle = () => new Promise((r) => setTimeout(r, a.settleMs ?? 0));
    /** Everything the gateway published since index `from`, each checked against the contract. */
    const check = (from: number, input: In, what: string, logsFrom = 0): Recorded[] => {
      const out = rec.sent.slice(from);
      for (const m of out) {
        const parsed = InboundEvent.safeParse(JSON.parse(m.payload));
        expect(parsed.success, `${what}: an output that is not a canonical event: ${m.payload.slice(0, 300)}`).toBe(true);
        if (!parsed.success) continue;
        expect(m.topic, `${what}: topic of a ${parsed.data.type}`).toBe(eventTopic(a.config.storeId, parsed.data.type));
        expect(parsed.data.storeId).toBe(a.config.storeId);
        expect(m.qos).toBe(1);
        expect(carriesPersonalId(m.payload), `${what}: a MAC- or e-mail-shaped text in ${m.payload.slice(0, 300)}`).toBe(false);
      }
      const text = out.map((m) => m.payload).join('\n') + logs.slice(logsFrom).join('\n');
      for (const id of a.personal(input)) {
        if (id.length >= 6) expect(text.includes(id), `${what}: the raw identifier ${id} leaked into an output or a log line`).toBe(false);
      }
      return out;
    };

    it('well-formed vendor input: canonical events only, on their topics, for the configured store; nothing personal leaks; duplicates suppressed', async () => {
      await fc.assert(fc.asyncProperty(a.valid, async (input) => {
        const from = rec.sent.length;
        const logsFrom = logs.length;
        const outcome = await a.feed(gw, input);
        await settle();
        check(from, input, 'valid input', logsFrom);
        expect(outcome.accepted || !!outcome.reason).toBe(true);
        if (a.again && outcome.accepted) {
          const before = rec.sent.length;
          const second = await a.feed(gw, a.again(input));
          await settle();
          expect(rec.sent.length - before, 'a duplicate of a vendor event published again').toBe(0);
          expect(second.reason === undefined || second.reason.length > 0).toBe(true);
        }
      }), { numRuns: RUNS });
    }, TIMEOUT_MS);

    it('hostile vendor input: refused with a reason and counted, or turned into valid events; never a crash', async () => {
      const rejected = async () => (await gw.runtime.metrics.rejected.get()).values.reduce((s, v) => s + v.value, 0);
      await fc.assert(fc.asyncProperty(a.hostile, async (input) => {
        const from = rec.sent.length;
        const logsFrom = logs.length;
        const counted = await rejected();
        const outcome = await a.feed(gw, input);
        await settle();
        check(from, input, 'hostile input', logsFrom);
        if (!outcome.accepted) {
          expect(outcome.reason, 'a refusal without a reason').toBeTruthy();
          expect(await rejected(), `refused (${outcome.reason}) but not counted in aisle_gateway_rejected_total`).toBeGreaterThan(counted);
        }
      }), { numRuns: RUNS });
      const health = await fetch(`http://127.0.0.1:${gw.port}/healthz`);
      expect(health.status).toBe(200);
    }, TIMEOUT_MS);
  });
}
