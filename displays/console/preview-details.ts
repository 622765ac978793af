/**
 * @module console/preview-details
 * What a preview says beyond the frame (docs/rules.md §Preview): each item's internal reasons (the ranker's,
 * then what rules did) and every rule's outcome — matched (with its effects), capped (which cap),
 * not matched (the first condition that failed) or disabled. Internal words: never on a screen.
 * Classes: `.why-item[data-sku]`, `.outcome[data-rule-id][data-status]`.
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import type { PreviewScreen, RuleOutcome } from '../shared/contracts.js';
import { formatPrice } from '../shared/format.js';
import type { StoreModel } from './store-model.js';

/** Outcome words; an unknown status (the contract may grow) is shown as sent. */
const STATUS: Record<string, string> = {
  matched: 'Applied', capped: 'Capped', holdout: 'Held out (experiment)', 'not-matched': 'Not matched', disabled: 'Disabled',
};
const statusWords = (s: RuleOutcome['status']): string => STATUS[s] ?? s;

export function itemReasons(store: StoreModel, screen: PreviewScreen, ruleNames: ReadonlyMap<string, string>): TemplateResult {
  const byFrame = new Map(screen.frame.items.map((i) => [i.sku, i]));
  return html`<ol class="why-items">${screen.items.map((it) => {
    const shown = byFrame.get(it.sku);
    const name = shown?.name ?? store.bySku.get(it.sku)?.name ?? it.sku;
    return html`<li class="why-item" data-sku=${it.sku}>
      <span class="why-name">${name}${shown ? html` <span class="faint">${formatPrice(shown.memberPrice ?? shown.price,
        screen.frame.currency ?? store.currency, store.locale)}</span>` : nothing}</span>
      <span class="why-reasons">${it.why.length ? it.why.join(' · ') : 'ranked by the model'}</span>
      ${it.rules.length ? html`<span class="why-rules">${it.rules.map((r) => html`<span class="badge">${ruleNames.get(r) ?? r}</span>`)}</span>` : nothing}
    </li>`;
  })}</ol>`;
}

/** Every rule's outcome; `highlight` (the rule being edited) first. */
export function ruleOutcomes(screen: PreviewScreen, highlight?: string): TemplateResult {
  const list = [...screen.rules].sort((a, b) => Number(b.ruleId === highlight) - Number(a.ruleId === highlight));
  if (!list.length) return html`<p class="faint">No rules for this store.</p>`;
  return html`<ul class="outcomes">${list.map((o) => html`<li class="outcome ${o.ruleId === highlight ? 'mine' : ''}"
      data-rule-id=${o.ruleId} data-status=${o.status}>
    <span class="badge status-${o.status}">${statusWords(o.status)}</span>
    <span class="outcome-text"><strong>${o.ruleId === highlight ? `${o.name} (this rule)` : o.name}</strong>
      <span class="muted">${o.why}</span>
      ${o.effects?.length ? html`<span class="effects">${o.effects.join(' · ')}</span>` : nothing}</span>
  </li>`)}</ul>`;
}

export const previewDetailStyles = css`
  .why-items { margin: 0; padding-left: 20px; display: grid; gap: 8px; }
  .why-item { display: grid; gap: 2px; }
  .why-name { font-weight: 600; }
  .why-reasons { font-size: 13px; color: var(--aisle-ink-muted); }
  .why-rules { display: flex; gap: 4px; flex-wrap: wrap; }
  .outcomes { list-style: none; margin: 0; padding: 0; display: grid; gap: 8px; }
  .outcome { display: flex; gap: 10px; align-items: flex-start; }
  .outcome.mine { padding: 8px; border-radius: 10px; background: rgb(217 178 106 / 0.08); box-shadow: inset 0 0 0 1px rgb(217 178 106 / 0.25); }
  .outcome-text { display: grid; gap: 2px; font-size: 13.5px; }
  .effects { font-size: 12.5px; color: var(--aisle-ok); }
  .status-matched { background: rgb(95 211 154 / 0.16); color: var(--aisle-ok); }
  .status-capped { background: rgb(255 180 84 / 0.16); color: var(--aisle-warn); }
  .status-not-matched { background: rgb(255 255 255 / 0.07); color: var(--aisle-ink-muted); }
  .status-holdout { background: rgb(96 165 250 / 0.16); color: #a9cdfb; }
  .status-disabled { background: rgb(255 255 255 / 0.04); color: var(--aisle-ink-faint); }
`;
