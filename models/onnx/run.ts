import * as ort from 'onnxruntime-node';
import { INPUT_NAME, OUTPUT_NAME } from './export.js';

/** Runs an exported scorer with ONNX Runtime (CPU, one intra-op thread) on a row-major [n, F] matrix. */
export async function runOnnx(model: Uint8Array | string, X: Float32Array, n: number, F: number): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(model as Uint8Array, { executionProviders: ['cpu'], intraOpNumThreads: 1 });
  try {
    const out = await session.run({ [INPUT_NAME]: new ort.Tensor('float32', X.subarray(0, n * F), [n, F]) });
    const t = out[OUTPUT_NAME];
    if (!t) throw new Error(`onnx: no output ${OUTPUT_NAME}`);
    return Float32Array.from(t.data as Float32Array);
  } finally {
    await session.release();
  }
}
