import type { EvalResult } from '../eval/evaluate.js';
import type { CutoffReport } from './run-pipeline.js';

const f = (x: number): string => (Number.isFinite(x) ? x.toFixed(4) : 'n/a');
const row = (r: EvalResult): string =>
  `| ${r.name} | ${f(r.all.recall)} | ${f(r.all.ndcg)} | ${f(r.all.hr)} | ${f(r.explore.recall)} | ${f(r.explore.ndcg)} | ${f(r.explore.hr)} | ${f(r.auc)} | ${r.latencyMs.toFixed(2)} |`;

/** Metrics table (markdown) for one cutoff: every baseline and the model. */
export function metricsTable(c: CutoffReport): string {
  return [
    `### Cutoff ${c.cutoff} (${c.users} customers with history; candidate recall ${f(c.candidateRecall)})`,
    '',
    '| ranker | Recall@10 | NDCG@10 | HR@10 | explore Recall@10 | explore NDCG@10 | explore HR@10 | AUC (candidates) | ms/user |',
    '|---|---|---|---|---|---|---|---|---|',
    ...Object.values(c.baselines).map(row),
    row({ ...c.model, name: `**model (${c.selected.spec}, ${c.selected.epochs} ep)**` }),
  ].join('\n');
}

export function modelCard(o: { name: string; version: string; createdAt: string; features: readonly string[]; cutoffs: CutoffReport[];
  sha256: string; dataSha256: string; rows: number; seed: number; finalAsOf: string; spec: string; epochs: number; gate: { passed: boolean; reasons: string[] } }): string {
  return `# Model card: ${o.name} ${o.version}

Created ${o.createdAt}. model.onnx sha256 \`${o.sha256}\`. Seed ${o.seed}.

## What it is
A two-stage ranker for in-store personalization: shared candidate generation (own repeat items, co-purchase
neighbours of recent and browsed items, the zone's categories, recently popular items; ≤ 200) and a learned
scorer (${o.spec}, ${o.epochs} epochs, Adam, sampled negatives) over ${o.features.length} dense features built by
\`models/features\` (the same function at training and serving). Input \`features\` float32 [N, ${o.features.length}],
output \`score\` float32 [N, 1] (probability-like, higher is better). ONNX ir_version 8, opset 17.

## Intended use
Ordering a store's in-stock items for a consenting, known shopper on screens and e-paper labels (Aislecast engine),
with a non-personal fallback when no profile exists.

## Out of scope
Decisions with legal or similarly significant effects (credit, pricing per person, eligibility); shoppers who did not
consent to personalization; inferring sensitive traits; forecasting demand or stock.

## Data
Online Retail, UCI Machine Learning Repository, CC BY 4.0 — Chen, D. (2015). *Online Retail* [Dataset].
https://doi.org/10.24432/C5BW33 . Changes: converted to per-day CSV by the Spark guide authors; cleaned here by
dropping rows without CustomerID, cancellations, Quantity ≤ 0, UnitPrice ≤ 0 and non-product StockCodes
(${o.rows.toLocaleString('en')} rows remain). Dataset sha256 \`${o.dataSha256}\`. Invoices are baskets; SKU ids are
\`SKU-<StockCode>\`, customers \`c-<CustomerID>\`. Categories come from a keyword rule on descriptions
(\`models/data/categories.ts\`). The shipped model and item-stats.json use all data up to ${o.finalAsOf}.

## Evaluation protocol
For a cutoff, train on invoices before it; the target is each customer's first invoice on or after it (customers
with history only), as a set of distinct items; the whole catalog (items sold before the cutoff) is ranked; exact
Recall@10, NDCG@10 (ideal DCG over min(|target|, 10) hits) and HR@10. "Explore" = target items the customer never
bought, with the customer's own items removed from the ranking. AUC is per customer over the shared candidate set.
Ties fall back to popularity. Model selection (architecture, epochs) used only the month before each cutoff.
The model's decision time is the time of the target invoice (the shopper is in the store), used for the hour,
weekday and days-since-last-purchase features.

${o.cutoffs.map(metricsTable).join('\n\n')}

Gate (beat the best baseline on NDCG@10 and Recall@10 at both cutoffs; ONNX Runtime = TypeScript within 1e-5):
**${o.gate.passed ? 'passed' : 'FAILED'}**${o.gate.reasons.length ? ` — ${o.gate.reasons.join('; ')}` : ''}.

## Caveats
- Online wholesaler data (many B2B customers, large repeat baskets), not in-store retail; in-store behaviour differs.
- No learned zone, dwell, label-tap or birthday effects yet: those feature slots exist (with "known" flags) but are
  always unknown in the training data, so the model gives them no weight. Browsing is also absent from training.
- UK-local times read as UTC; no seasonality beyond 30-day popularity; categories are heuristic.
- Repeat purchases dominate the metric; the explore slice is the harder, more useful part for discovery.

## Features (input column order)
${o.features.map((n, i) => `${i}. \`${n}\``).join('\n')}
`;
}
