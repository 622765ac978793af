import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What a version's manifest says about it for people choosing one (GET /api/v1/models). */
export type ModelSummary = { name: string; quality?: { cutoff: string; ndcg10: number; recall10: number; gatePassed: boolean } };

type Cutoff = { cutoff?: unknown; model?: { all?: { ndcg?: unknown; recall?: unknown } } };

/**
 * The model name and its offline quality at the newest test cutoff (NDCG@10, Recall@10 over all test
 * users; models/README.md §Protocol), read from manifest.json; only the name when the manifest has no
 * metrics (a hand-made or test version). Never throws: an unreadable manifest gives an empty name.
 */
export async function readSummary(dir: string): Promise<ModelSummary> {
  let m: { name?: unknown; metrics?: Record<string, unknown> & { gate?: { passed?: unknown } } };
  try { m = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as typeof m; } catch { return { name: '' }; }
  const name = typeof m.name === 'string' ? m.name : '';
  const cutoffs = Object.values(m.metrics ?? {}).filter((c): c is Cutoff => !!c && typeof c === 'object' && typeof (c as Cutoff).cutoff === 'string')
    .sort((a, b) => String(b.cutoff).localeCompare(String(a.cutoff)));
  const newest = cutoffs[0];
  const ndcg = newest?.model?.all?.ndcg;
  const recall = newest?.model?.all?.recall;
  if (typeof ndcg !== 'number' || typeof recall !== 'number') return { name };
  return { name, quality: { cutoff: String(newest!.cutoff), ndcg10: ndcg, recall10: recall, gatePassed: m.metrics?.gate?.passed === true } };
}
