import { z } from 'zod';
import { ModelVersion } from './experiment.js';

/** One version in the engine's model folder, as `GET /api/v1/models` lists it (docs/experiments-api.md §Model versions). */
export const ModelVersionInfo = z.object({
  name: z.string(),
  version: ModelVersion,
  createdAt: z.string(),
  /**
   * `serving`: ranks every personal turn outside a model experiment; `pinned`: held loaded for a model
   * experiment's arm; `loading`/`failed`: being pinned, or refused (see `reason`); `available`: on disk, unused.
   */
  use: z.enum(['serving', 'pinned', 'loading', 'failed', 'available']),
  reason: z.string().optional(),
  /** Offline quality at the newest test cutoff of its training run (models/README.md), when its manifest has it. */
  quality: z.object({ cutoff: z.string(), ndcg10: z.number(), recall10: z.number(), gatePassed: z.boolean() }).strict().optional(),
}).strict();
export type ModelVersionInfo = z.infer<typeof ModelVersionInfo>;
