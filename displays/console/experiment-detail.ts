/**
 * @module console/experiment-detail
 * One experiment's report: the chart of conversion rate per arm with its interval, the arms' numbers, and
 * each treatment against the holdout (lift with its 95% interval, the verdict, and how many shoppers per arm
 * a clear answer needs). Numbers in the store's language. What is tested: the rule, or the model versions
 * (by the day each was made; the version strings beside them).
 * Classes: `.arms tr[data-arm-id]`, `.arm-model`, `.models`, `.comparison[data-arm-id]`, `.verdict`, `.power`.
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import { formatPrice } from '../shared/format.js';
import type { RateBar } from './experiment-chart.js';
import { STATUS_ACTIONS, verdictTone, verdictWords, type ExperimentDetail } from './experiment-report.js';
import { modelsLine, versionWords, type ModelNames } from './model-versions.js';
import type { StoreModel } from './store-model.js';

const HOLDOUT = 'holdout';

export interface DetailActions {
  /** undefined: a look-only token (no buttons). */
  setStatus?: ((action: 'start' | 'pause' | 'resume' | 'stop') => void) | undefined;
  busy: boolean;
}

/** Names for what experiments test: rule id → name, model versions → their words. */
export interface TestedNames {
  rules: ReadonlyMap<string, string>;
  models: ModelNames;
}

export function experimentDetail(d: ExperimentDetail, store: StoreModel, names: TestedNames, act: DetailActions): TemplateResult {
  const e = d.experiment;
  const r = d.report;
  const loc = store.locale;
  const pct = new Intl.NumberFormat(loc, { style: 'percent', maximumFractionDigits: 1 });
  const pts = new Intl.NumberFormat(loc, { maximumFractionDigits: 1, signDisplay: 'exceptZero' });
  const int = new Intl.NumberFormat(loc);
  const p = (x: number | null | undefined) => (x === null || x === undefined ? '–' : pct.format(x));
  const range = (lo: number | null | undefined, hi: number | null | undefined, f: (x: number) => string) =>
    lo === null || lo === undefined || hi === null || hi === undefined ? '' : `${f(lo)} to ${f(hi)}`;
  const armName = (id: string) => e.arms.find((a) => a.armId === id)?.name || r?.arms.find((a) => a.armId === id)?.name || id;
  const armModel = (id: string) => {
    const v = e.kind === 'model' ? e.arms.find((a) => a.armId === id)?.model : undefined;
    return v ? html`<br><span class="faint arm-model">${versionWords(names.models, v, store).label} · ${v}</span>` : nothing;
  };
  const bars: RateBar[] = (r?.arms ?? []).filter((a) => a.rate !== null && a.rate !== undefined).map((a) => ({
    label: armName(a.armId), rate: a.rate!, low: a.rateLow ?? undefined, high: a.rateHigh ?? undefined, holdout: a.armId === HOLDOUT }));
  return html`<div class="detail">
    <p class="row"><span class="badge status-${e.status}">${e.status}</span>
      ${e.kind === 'model' ? modelsLine(e.arms, names.models, store)
        : e.ruleId ? html`<span class="muted">Testing the rule <a href="#/rules/${encodeURIComponent(e.ruleId)}">${names.rules.get(e.ruleId) ?? e.ruleId}</a></span>` : nothing}
      ${r?.updatedAt ? html`<span class="faint">Updated ${new Date(r.updatedAt).toLocaleString(loc)}</span>` : nothing}
      <span class="spacer"></span>
      ${act.setStatus ? (STATUS_ACTIONS[e.status] ?? []).map((a) => html`<button class="status-action" data-action=${a.action} ?disabled=${act.busy}
        @click=${() => act.setStatus!(a.action)}>${a.label}</button>`) : nothing}</p>
    ${!r || !r.arms.length ? html`<div class="empty"><strong>No results yet</strong>Numbers appear once shoppers in the experiment have seen its screens.</div>` : html`
    <section class="card"><h2>Conversion rate per arm</h2>
      ${bars.length ? html`<p class="faint">Share of shoppers who bought something they were shown; the whisker is the 95% interval.</p>
        <aisle-experiment-chart .bars=${bars} .locale=${loc}></aisle-experiment-chart>`
        : html`<p class="empty no-rates"><strong>Nothing to chart yet</strong>Rates appear once shoppers in the experiment have seen its screens in a personal turn.</p>`}</section>
    <section class="card"><table class="arms"><thead><tr><th>Arm</th><th>Share</th><th>Shoppers</th><th>Impressions</th><th>Bought</th>
        <th>Conversion</th><th>Revenue per shopper</th></tr></thead>
      <tbody>${r.arms.map((a) => html`<tr data-arm-id=${a.armId}>
        <td><strong>${armName(a.armId)}</strong>${a.armId === HOLDOUT ? html` <span class="faint">(baseline)</span>` : nothing}${armModel(a.armId)}</td>
        <td>${p(e.arms.find((x) => x.armId === a.armId)?.share)}</td>
        <td>${int.format(a.shoppers)}</td><td>${int.format(a.impressions)}</td><td>${int.format(a.conversions)}</td>
        <td>${p(a.rate)} <span class="faint">${range(a.rateLow, a.rateHigh, (x) => pct.format(x))}</span></td>
        <td>${a.revenuePerShopper === null || a.revenuePerShopper === undefined ? '–' : formatPrice(a.revenuePerShopper, store.currency, loc)}</td>
      </tr>`)}</tbody></table></section>
    ${r.comparisons.map((c) => html`<section class="card comparison tone-${verdictTone(c.verdict)}" data-arm-id=${c.armId}>
      <h2>${armName(c.armId)} against ${e.kind === 'model' ? armName(HOLDOUT) : 'the holdout'}</h2>
      <p class="verdict">${verdictWords(c.verdict)}</p>
      ${c.verdictText ? html`<p class="muted verdict-text">${c.verdictText}</p>` : nothing}
      ${c.absLift === null || c.absLift === undefined ? nothing : html`<p class="lift">Conversion ${pts.format(c.absLift * 100)} points
        <span class="faint">(95%: ${range(c.absLow, c.absHigh, (x) => pts.format(x * 100)) || '–'})</span>${c.relLift === null || c.relLift === undefined ? ''
          : html`, that is ${pts.format(c.relLift * 100)}% <span class="faint">(95%: ${range(c.relLow, c.relHigh, (x) => `${pts.format(x * 100)}%`) || '–'})</span>`}</p>`}
      ${c.revenueDiff !== null && c.revenueDiff !== undefined ? html`<p>Revenue per shopper ${c.revenueDiff >= 0 ? '+' : ''}${formatPrice(c.revenueDiff, store.currency, loc)}
        <span class="faint">(95%: ${range(c.revenueLow, c.revenueHigh, (x) => formatPrice(x, store.currency, loc)) || '–'})</span></p>` : nothing}
      ${c.neededPerArm ? html`<p class="power faint">A clear answer needs about ${int.format(Math.ceil(c.neededPerArm))} shoppers per arm${
        (() => { const n = r.arms.find((a) => a.armId === c.armId)?.shoppers; return n !== undefined ? ` (this arm has ${int.format(n)})` : ''; })()}.</p>` : nothing}
    </section>`)}`}
  </div>`;
}

export const experimentDetailStyles = css`
  .detail { display: grid; gap: 14px; }
  .comparison { display: grid; gap: 6px; }
  .verdict { font-size: 18px; font-weight: 800; }
  .tone-better .verdict { color: var(--aisle-ok); }
  .tone-worse .verdict { color: var(--aisle-danger); }
  .tone-neutral .verdict { color: var(--aisle-accent-2); }
  .status-running { background: rgb(95 211 154 / 0.16); color: var(--aisle-ok); }
  .status-draft, .status-paused { background: rgb(255 180 84 / 0.14); color: var(--aisle-warn); }
  td { font-variant-numeric: tabular-nums; }
`;
