import onnxProto from 'onnx-proto';
import type { MlpParams } from '../train/mlp.js';

const { onnx } = onnxProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;

export const INPUT_NAME = 'features';
export const OUTPUT_NAME = 'score';
export const OPSET = 17;
export const IR_VERSION = 8;

const tensor = (name: string, dims: number[], data: Float32Array) =>
  onnx.TensorProto.create({ name, dataType: FLOAT, dims, floatData: Array.from(data) });
const node = (opType: string, input: string[], output: string[]) => onnx.NodeProto.create({ opType, input, output });
const valueInfo = (name: string, dims: (number | string)[]) => onnx.ValueInfoProto.create({
  name,
  type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
});

/**
 * ONNX graph of the scorer: features [N, F] → Sub(mean) → Mul(invStd) → (MatMul → Add → Relu)* → MatMul → Add
 * → Sigmoid → score [N, 1]. ir_version 8, opset 17.
 */
export function exportOnnx(p: MlpParams, producerVersion = '1'): Uint8Array {
  const F = p.sizes[0]!;
  const nodes = [node('Sub', [INPUT_NAME, 'mean'], ['x_centered']), node('Mul', ['x_centered', 'inv_std'], ['h0'])];
  const inits = [tensor('mean', [F], p.mean), tensor('inv_std', [F], p.invStd)];
  const L = p.W.length;
  for (let l = 0; l < L; l++) {
    const nin = p.sizes[l]!;
    const nout = p.sizes[l + 1]!;
    inits.push(tensor(`W${l}`, [nin, nout], p.W[l]!), tensor(`b${l}`, [nout], p.b[l]!));
    nodes.push(node('MatMul', [`h${l}`, `W${l}`], [`mm${l}`]));
    const last = l + 1 === L;
    nodes.push(node('Add', [`mm${l}`, `b${l}`], [last ? 'logit' : `z${l}`]));
    if (!last) nodes.push(node('Relu', [`z${l}`], [`h${l + 1}`]));
  }
  nodes.push(node('Sigmoid', ['logit'], [OUTPUT_NAME]));
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: 'aislecast-models',
    producerVersion,
    graph: onnx.GraphProto.create({
      name: 'aislecast_ranker',
      node: nodes,
      initializer: inits,
      input: [valueInfo(INPUT_NAME, ['N', F])],
      output: [valueInfo(OUTPUT_NAME, ['N', 1])],
    }),
  });
  return onnx.ModelProto.encode(model).finish();
}

/** Reads the scorer weights back from an exported model (the inverse of exportOnnx). */
export function importOnnx(bytes: Uint8Array): MlpParams {
  const m = onnx.ModelProto.decode(bytes);
  const inits = new Map((m.graph?.initializer ?? []).map((t) => [t.name ?? '', t]));
  const get = (name: string): { data: Float32Array; dims: number[] } => {
    const t = inits.get(name);
    if (!t) throw new Error(`onnx: missing initializer ${name}`);
    return { data: Float32Array.from(t.floatData ?? []), dims: (t.dims ?? []).map(Number) };
  };
  const mean = get('mean').data;
  const W: Float32Array[] = [];
  const b: Float32Array[] = [];
  const sizes = [mean.length];
  for (let l = 0; inits.has(`W${l}`); l++) {
    const w = get(`W${l}`);
    W.push(w.data);
    b.push(get(`b${l}`).data);
    sizes.push(w.dims[1]!);
  }
  return { sizes, mean, invStd: get('inv_std').data, W, b };
}
