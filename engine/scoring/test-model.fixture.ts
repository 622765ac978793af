// Test-only helpers: tiny real ONNX models (built with onnx-proto) and version folders on disk.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import onnxProto from 'onnx-proto'; // CJS: default import only (docs/conventions.md §Toolchain notes)

const { onnx } = onnxProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;

const valueInfo = (name: string, dims: (number | string)[]) => onnx.ValueInfoProto.create({
  name,
  type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } },
});

export type LinearModelOptions = {
  weights: readonly number[];
  bias?: number;
  /** 'N1': output [N,1] (default); 'N': output [N] (Flatten-free squeeze through Reshape). */
  outputShape?: 'N' | 'N1';
  inputName?: string;
  outputName?: string;
};

/** ONNX bytes of `score = features · weights + bias`, input float32 [N, F] with a dynamic N. */
export function linearModelBytes(opts: LinearModelOptions): Uint8Array {
  const { weights, bias = 0, outputShape = 'N1', inputName = 'features', outputName = 'score' } = opts;
  const F = weights.length;
  const nodes = [
    onnx.NodeProto.create({ opType: 'MatMul', input: [inputName, 'W'], output: ['XW'] }),
    onnx.NodeProto.create({ opType: 'Add', input: ['XW', 'B'], output: [outputShape === 'N1' ? outputName : 'Z'] }),
  ];
  const initializer = [
    onnx.TensorProto.create({ name: 'W', dataType: FLOAT, dims: [F, 1], floatData: [...weights] }),
    onnx.TensorProto.create({ name: 'B', dataType: FLOAT, dims: [1], floatData: [bias] }),
  ];
  if (outputShape === 'N') {
    nodes.push(onnx.NodeProto.create({ opType: 'Reshape', input: ['Z', 'S'], output: [outputName] }));
    initializer.push(onnx.TensorProto.create({ name: 'S', dataType: onnx.TensorProto.DataType.INT64, dims: [1], int64Data: [-1] }));
  }
  return onnx.ModelProto.encode(onnx.ModelProto.create({
    irVersion: 8, opsetImport: [{ domain: '', version: 13 }], producerName: 'aislecast-test',
    graph: onnx.GraphProto.create({
      name: 'linear', node: nodes, initializer,
      input: [valueInfo(inputName, ['N', F])],
      output: [valueInfo(outputName, outputShape === 'N1' ? ['N', 1] : ['N'])],
    }),
  })).finish();
}

/** What the linear model computes, in float32 steps like ORT's MatMul. */
export function linearScores(rows: readonly (readonly number[])[], weights: readonly number[], bias = 0): number[] {
  return rows.map((r) => {
    let s = 0;
    for (let j = 0; j < weights.length; j++) s = Math.fround(s + Math.fround(Math.fround(r[j] ?? 0) * Math.fround(weights[j]!)));
    return Math.fround(s + Math.fround(bias));
  });
}

export type TestVersionOptions = {
  name?: string;
  version: string;
  createdAt?: string;
  features: readonly string[];
  weights: readonly number[];
  bias?: number;
  outputShape?: 'N' | 'N1';
  /** Written as item-stats.json (anything JSON). */
  itemStats?: unknown;
  /** Golden rows; default: a small deterministic grid. */
  goldenRows?: number[][];
  /** Break the folder on purpose. */
  tamper?: 'sha256' | 'features' | 'golden' | 'corrupt-onnx' | 'manifest-json' | 'shape';
};

/** Writes `<root>/<version>/{model.onnx, manifest.json, golden.json, item-stats.json}`; returns the folder. */
export async function writeTestVersion(root: string, o: TestVersionOptions): Promise<string> {
  const dir = join(root, o.version);
  await mkdir(dir, { recursive: true });
  const F = o.weights.length;
  let bytes: Uint8Array = linearModelBytes({ weights: o.weights, bias: o.bias, outputShape: o.outputShape });
  // Corrupt bytes with a matching sha256: only onnxruntime can notice.
  if (o.tamper === 'corrupt-onnx') bytes = Uint8Array.from(bytes.subarray(0, Math.floor(bytes.length / 2)), (b, i) => (i % 7 === 0 ? b ^ 0xff : b));
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (o.tamper === 'sha256') bytes = Uint8Array.from(bytes, (b, i) => (i === bytes.length - 1 ? b ^ 0x01 : b));
  const rows = o.goldenRows ?? Array.from({ length: 4 }, (_, i) => Array.from({ length: F }, (_, j) => ((i + 1) * (j + 2)) % 5 / 4));
  const scores = linearScores(rows, o.weights, o.bias);
  if (o.tamper === 'golden') scores[0] = scores[0]! + 0.5;
  const features = o.tamper === 'features' ? [...o.features].reverse() : [...o.features];
  const manifest = {
    name: o.name ?? 'test-ranker', version: o.version,
    createdAt: o.createdAt ?? new Date(Date.UTC(2026, 0, 1) + Number(o.version.replace(/\D/g, '') || 0) * 1000).toISOString(),
    sha256,
    inputs: [{ name: 'features', type: 'float32', shape: ['N', o.tamper === 'shape' ? F + 1 : F] }],
    outputs: [{ name: 'score', type: 'float32', shape: o.outputShape === 'N' ? ['N'] : ['N', 1] }],
    features,
    metrics: {}, data: { source: 'test', rows: 0, split: null },
    files: { golden: 'golden.json', itemStats: 'item-stats.json' },
  };
  await writeFile(join(dir, 'model.onnx'), bytes);
  // The format models/pipeline/golden.ts writes.
  await writeFile(join(dir, 'golden.json'), JSON.stringify({
    features, n: rows.length, inputs: rows.flat(), outputs: scores, onnxOutputs: scores, maxAbsDiff: 0, tolerance: 1e-5,
  }));
  await writeFile(join(dir, 'item-stats.json'), JSON.stringify(o.itemStats ?? {}));
  // The manifest goes last: a folder without it is "still being written", never a rejected version.
  await writeFile(join(dir, 'manifest.json'), o.tamper === 'manifest-json' ? '{"name": ' : JSON.stringify(manifest, null, 2));
  return dir;
}
