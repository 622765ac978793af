import { z } from 'zod';

const TensorSpec = z.object({
  name: z.string(),
  type: z.literal('float32'),
  /** Dimensions; -1 or a string for a dynamic dimension. */
  shape: z.array(z.union([z.number().int(), z.string()])),
});

/** docs/contracts.md §Models: per version, next to model.onnx. */
export const ModelManifest = z.object({
  name: z.string().min(1),
  version: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
  createdAt: z.string(),
  /** sha256 (hex) of model.onnx. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  inputs: z.array(TensorSpec).min(1),
  outputs: z.array(TensorSpec).min(1),
  /** Feature names in input column order; must equal FEATURE_NAMES of models/features. */
  features: z.array(z.string()).min(1),
  metrics: z.record(z.string(), z.unknown()),
  data: z.object({
    source: z.string(),
    rows: z.number().int().nonnegative(),
    split: z.unknown(),
    sha256: z.string().optional(),
  }).passthrough(),
  seed: z.number().int().optional(),
  /** Files beside the model, relative to the version folder. */
  files: z.object({ golden: z.string().optional(), itemStats: z.string().optional(), card: z.string().optional() }).passthrough().optional(),
}).passthrough();
export type ModelManifest = z.infer<typeof ModelManifest>;
