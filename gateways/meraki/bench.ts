/**
 * How long the Meraki gateway takes to answer a POST of 500 observations (docs/gateways/meraki.md §Performance):
 * `npx tsx gateways/meraki/bench.ts [posts=50] [observations=500] [--broker=mqtt://127.0.0.1:1883]`. The gateway runs in this process on a free
 * loopback port with the kit's recording MQTT client (acknowledges at once), so the time is the gateway's own:
 * reading and parsing the body, pseudonyms, zones, contract checks, publishing and waiting for the acks.
 * Measures and asserts nothing else.
 */
import { silentLogger } from '../../engine/platform/log.js';
import { startGateway } from '../kit/runtime.js';
import { createRecordingClient } from '../kit/testing.js';
import { definition } from './gateway.js';
import { postBody, syntheticObservations, testConfig, v3Body } from './testing.js';

const posts = Number(process.argv[2] ?? 50);
const perPost = Number(process.argv[3] ?? 500);
const WARMUP = 5;

// `--broker=mqtt://127.0.0.1:1883`: publish to a real broker (each POST answered after its QoS 1 acknowledgements);
// default: an in-process stand-in that acknowledges at once (the receiver's own cost).
const broker = process.argv.find((a) => a.startsWith('--broker='))?.slice('--broker='.length);
const config = testConfig({}, { logLevel: 'silent', mqtt: { url: broker ?? 'mqtt://127.0.0.1:1', maxBuffered: 1_000_000 } });
const rec = createRecordingClient();
const gw = await startGateway(config, (rt) => definition.setup(rt, config), { log: silentLogger(), ...(broker ? {} : { publisherClient: rec.client }) });
if (broker) { const t0 = Date.now(); while (!gw.runtime.publisher.connected() && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 20)); }

const times: number[] = [];
let bytes = 0;
for (let i = 0; i < WARMUP + posts; i++) {
  // Distinct devices and a fresh time in every POST, so nothing is suppressed as a duplicate.
  const body = v3Body(syntheticObservations(perPost, Date.now() - 1_000, i));
  bytes = Buffer.byteLength(body);
  const t0 = performance.now();
  const r = await postBody(gw, config.meraki.path, body);
  const ms = performance.now() - t0;
  if (r.status !== 200 || r.json?.events !== perPost) throw new Error(`POST ${i}: ${r.status} ${JSON.stringify(r.json)}`);
  if (i >= WARMUP) times.push(ms);
}
await gw.close();

times.sort((a, b) => a - b);
const q = (p: number) => times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)]!;
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
console.log(`meraki: ${posts} POSTs × ${perPost} observations (${(bytes / 1024).toFixed(0)} KiB each), ${broker ? `to ${broker}` : `${rec.sent.length} events to the in-process stand-in`}`);
console.log(`  p50 ${fmt(q(0.5))}   p99 ${fmt(q(0.99))}   max ${fmt(times.at(-1)!)}   mean ${fmt(times.reduce((s, t) => s + t, 0) / times.length)}`);
console.log(`  ${((perPost * 1000) / q(0.5)).toFixed(0)} observations/s at p50 (node ${process.version})`);
