import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { rng } from '../baselines/index.js';
import { initMlp, predict } from '../train/mlp.js';
import { exportOnnx, importOnnx } from './export.js';
import { runOnnx } from './run.js';

describe('ONNX export vs the TypeScript forward pass', () => {
  for (const hidden of [[], [16, 8]]) {
    it(`matches within 1e-5 (hidden ${JSON.stringify(hidden)})`, async () => {
      const r = rng(42);
      const F = 12;
      const p = initMlp([F, ...hidden, 1], r);
      p.mean = Float32Array.from({ length: F }, () => r() - 0.5);
      p.invStd = Float32Array.from({ length: F }, () => 0.5 + r());
      for (const b of p.b) for (let i = 0; i < b.length; i++) b[i] = r() - 0.5;
      const n = 64;
      const X = Float32Array.from({ length: n * F }, () => r() * 6 - 3);
      const bytes = exportOnnx(p);
      const onnxOut = await runOnnx(bytes, X, n, F);
      const tsOut = predict(p, X, n);
      expect(onnxOut.length).toBe(n);
      for (let i = 0; i < n; i++) expect(Math.abs(onnxOut[i]! - tsOut[i]!)).toBeLessThanOrEqual(1e-5);
      const back = importOnnx(bytes);
      expect(back.sizes).toEqual(p.sizes);
      expect(Array.from(predict(back, X, n))).toEqual(Array.from(tsOut));
    });
  }
  it('declares ir_version 8, opset 17, input features [N, F] and output score', async () => {
    const p = initMlp([3, 1], rng(1));
    const s = await ort.InferenceSession.create(exportOnnx(p), { intraOpNumThreads: 1 });
    expect(s.inputNames).toEqual(['features']);
    expect(s.outputNames).toEqual(['score']);
    const out = await s.run({ features: new ort.Tensor('float32', new Float32Array(6), [2, 3]) });
    expect(out.score!.dims).toEqual([2, 1]);
    await s.release();
  });
});
