import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ConsoleApiError, explainError, type ConsoleApi, type ModelVersionInfo } from './api.js';
import { experimentDetail, experimentDetailStyles } from './experiment-detail.js';
import { ExperimentDetail, readExperimentList, type ExperimentSummary } from './experiment-report.js';
import type { AisleExperimentDialog } from './experiment-dialog.js';
import { modelsLine, nameVersions } from './model-versions.js';
import { routeHref } from './router.js';
import type { ConsoleRole } from './session.js';
import type { StoreModel } from './store-model.js';
import { baseStyles } from './styles.js';
import './experiment-chart.js';
import './experiment-dialog.js';

/**
 * The engine has no experiments API (yet): 501, or the API's 404 for an unknown route (`not_found`; an
 * unknown experiment would be a 404 with its own code, e.g. `experiment.not_found`).
 */
const notBuilt = (err: unknown) => err instanceof ConsoleApiError
  && (err.status === 501 || err.code === 'not_json' || (err.status === 404 && (err.code === 'not_found' || err.code === 'http.404')));

/**
 * `#/experiments` and `#/experiments/{id}`: experiments (`GET /api/v1/experiments`) and one experiment's
 * report (`GET /api/v1/experiments/{id}`: per arm shoppers, impressions, conversions, rate with its
 * interval, revenue per shopper; lift against the holdout with its 95% interval and a verdict). A rule
 * experiment names its rule, a model experiment its versions (`GET /api/v1/models`: the day each was made).
 * A clear empty state while the engine answers 404/501.
 * Classes: `.experiment[data-experiment-id]`, `.models`, `.not-built`, `.new-experiment`.
 */
@customElement('aisle-experiments-page')
export class AisleExperimentsPage extends LitElement {
  static override styles = [baseStyles, experimentDetailStyles, css`
    :host { display: block; }
    .top { display: flex; align-items: center; gap: 12px; flex-wrap: wrap; margin-bottom: 14px; }
    .list { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 12px; }
    .experiment { display: grid; gap: 6px; color: inherit; text-decoration: none; }
    .experiment:hover { background: var(--aisle-surface-2); }
  `];

  @property({ attribute: false }) api!: ConsoleApi;
  @property({ attribute: false }) store!: StoreModel;
  /** The token's role: `console` looks only; undefined when it could not be told (writes are offered, a 403 explains). */
  @property({ attribute: false }) access: ConsoleRole | undefined;
  @property() experimentId: string | undefined;
  @state() private _list: ExperimentSummary[] | undefined;
  @state() private _detail: ExperimentDetail | undefined;
  @state() private _notBuilt = false;
  @state() private _error = '';
  @state() private _ruleNames = new Map<string, string>();
  /** Model versions as the engine lists them; none when it cannot (versions then read by their stamp). */
  @state() private _models: ModelVersionInfo[] = [];
  @state() private _busy = false;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('experimentId') || changed.has('api')) void this._load();
    if (changed.has('store') || changed.has('api')) {
      this.api.rules(this.store.storeId).then((rs) => { this._ruleNames = new Map(rs.map((r) => [r.ruleId, r.name])); }, () => {});
      this.api.models().then((ms) => { this._models = ms; }, () => {});
    }
  }

  override render() {
    return html`<div class="top">
        ${this.experimentId ? html`<a class="button quiet" href=${routeHref({ page: 'experiments' })}>← Experiments</a>` : nothing}
        <h1 tabindex="-1">${this.experimentId ? this._detail?.experiment.name ?? 'Experiment' : 'Experiments'}</h1>
        <span class="spacer"></span>
        ${!this.experimentId && !this._notBuilt && this.access !== 'console' && this._list ? html`<button class="primary new-experiment"
          @click=${() => this.renderRoot.querySelector<AisleExperimentDialog>('aisle-experiment-dialog')?.open()}>+ New experiment</button>` : nothing}
      </div>
      ${this._error ? html`<p class="banner" role="alert">${this._error}</p>` : nothing}
      ${this._notBuilt ? html`<div class="empty not-built"><strong>Experiments are not switched on in this engine yet</strong>
          When they are, this page shows each experiment’s arms, how many shoppers saw them and bought, and whether a rule or a model version beats the holdout.</div>`
        : this.experimentId ? this._detailView() : this._listView()}
      <aisle-experiment-dialog .api=${this.api} .store=${this.store} .experiments=${this._list ?? []}
        @aisle-created=${() => void this._load()}></aisle-experiment-dialog>`;
  }

  private _listView() {
    const l = this._list;
    if (!l) return this._error ? nothing : html`<p class="muted">Loading experiments…</p>`;
    if (!l.length) return html`<div class="empty"><strong>No experiments yet</strong>An experiment shows a rule, or a new model version, to
      some shoppers and keeps a holdout as it is, so you can see whether it really sells more.</div>`;
    const models = nameVersions(this._models, this.store);
    return html`<div class="list">${l.map((x) => html`<a class="card experiment" data-experiment-id=${x.experimentId}
        href=${routeHref({ page: 'experiments', experimentId: x.experimentId })}>
      <span class="row"><strong>${x.name}</strong><span class="spacer"></span><span class="badge status-${x.status}">${x.status}</span></span>
      ${x.kind === 'model' ? modelsLine(x.arms, models, this.store)
        : x.ruleId ? html`<span class="muted">Rule: ${this._ruleNames.get(x.ruleId) ?? x.ruleId}</span>` : nothing}
      <span class="faint">${x.arms.map((a) => `${a.name || a.armId} ${Math.round(a.share * 100)}%`).join(' · ')}</span></a>`)}</div>`;
  }

  private _detailView() {
    const d = this._detail;
    if (!d) return this._error ? nothing : html`<p class="muted">Loading the report…</p>`;
    return experimentDetail(d, this.store, { rules: this._ruleNames, models: nameVersions(this._models, this.store) }, { busy: this._busy,
      setStatus: this.access === 'console' ? undefined : (action) => void this._setStatus(action) });
  }

  private async _setStatus(action: 'start' | 'pause' | 'resume' | 'stop'): Promise<void> {
    this._busy = true;
    try {
      await this.api.setExperimentStatus(this.experimentId!, action);
      await this._load();
    } catch (err) {
      this._error = explainError(err);
    } finally {
      this._busy = false;
    }
  }

  private async _load(): Promise<void> {
    this._error = '';
    this._notBuilt = false;
    try {
      if (this.experimentId) {
        if (this._detail?.experiment.experimentId !== this.experimentId) this._detail = undefined;
        this._detail = ExperimentDetail.parse(await this.api.experiment(this.experimentId));
      } else {
        this._list = readExperimentList(await this.api.experiments());
      }
    } catch (err) {
      if (notBuilt(err)) {
        this._notBuilt = true;
      } else {
        this._error = this.experimentId && err instanceof ConsoleApiError && err.status === 404
          ? 'There is no such experiment (or this token may not see it).' : `Experiments could not be loaded. ${explainError(err)}`;
      }
    }
  }
}

declare global { interface HTMLElementTagNameMap { 'aisle-experiments-page': AisleExperimentsPage } }
