// Cost of one bucket() call, as a personal decision pays it: `npx tsx engine/experiments/stats/bench-bucket.ts [calls]`.
// Measures batches (one call is below the timer's resolution) and prints the per-call time of each batch.
import { assignArm, bucket } from './assign.js';

const calls = Number(process.argv[2] ?? 1_000_000);
const batch = 10_000;
const arms = [{ armId: 'treatment', share: 0.8 }, { armId: 'holdout', share: 0.2 }];
let sink = 0;
for (let i = 0; i < 50_000; i++) sink += bucket('exp-warm', `c-${i}`);

const perCall = (f: (i: number) => void): number[] => {
  const out: number[] = [];
  for (let b = 0; b < calls / batch; b++) {
    const t0 = process.hrtime.bigint();
    for (let i = b * batch; i < (b + 1) * batch; i++) f(i);
    out.push(Number(process.hrtime.bigint() - t0) / batch);
  }
  return out.sort((a, b) => a - b);
};
const show = (name: string, ns: number[]) => {
  const q = (p: number) => `${ns[Math.min(ns.length - 1, Math.floor(p * ns.length))]!.toFixed(0)} ns`;
  console.log(`${name}: per call, over batches of ${batch}: p50 ${q(0.5)}  p90 ${q(0.9)}  max ${q(1)}`);
};
show('bucket()   ', perCall((i) => { sink += bucket('exp-2024-07-shelf', `cust-${i}`); }));
show('assignArm()', perCall((i) => { sink += assignArm('exp-2024-07-shelf', `cust-${i}`, arms).length; }));
console.log(`${calls} calls each (checksum ${sink.toFixed(3)})`);
