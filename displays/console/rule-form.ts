import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Issue } from './api.js';
import { chipStyles } from './chip-select.js';
import { actionsSection, capsSection } from './rule-actions-section.js';
import { issuesUnder, pathKey, setIn, getIn, toRuleInput, type EditorState, type LocalRow, type Path, type Validated } from './rule-draft.js';
import type { FormCtx } from './rule-fields.js';
import { basicsSection, triggerSection, whereSection, whoSection } from './rule-sections.js';
import type { StoreModel } from './store-model.js';
import { baseStyles } from './styles.js';
import './sku-picker.js';

const related = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);

/**
 * The rule form. Validates as you type with the engine's `RuleInput` schema (rule-draft.ts): a field shows
 * its errors once touched, every field after a save attempt, and the server's `issues` (property
 * `serverIssues`) on the fields they name until that field is edited. Enter in a text field saves.
 * Classes: `[data-field="<path>"]` around each field, `.error`, `.summary` (issues no field shows), `.save`.
 *
 * @fires aisle-rule-change - on every edit; `detail` is the `Validated` draft.
 * @fires aisle-rule-submit - on save with a valid draft; `detail` is the `RuleInput`.
 */
@customElement('aisle-rule-form')
export class AisleRuleForm extends LitElement {
  static override styles = [baseStyles, chipStyles, css`
    :host { display: block; }
    form { display: grid; gap: 16px; }
    .section { display: grid; gap: 14px; margin: 0; padding: 16px; border: 0; border-radius: 14px; background: var(--aisle-surface);
               box-shadow: inset 0 0 0 1px var(--aisle-line); }
    .section > legend { float: left; width: 100%; padding: 0; font-size: 13px; font-weight: 800; letter-spacing: 0.12em; text-transform: uppercase; color: var(--aisle-accent); }
    .group { display: grid; gap: 6px; margin: 0; padding: 0; border: 0; min-width: 0; }
    .group > legend { padding: 0; margin-bottom: 6px; font-size: 13px; font-weight: 600; color: var(--aisle-ink-muted); }
    .checks { display: flex; flex-wrap: wrap; gap: 6px 16px; }
    .check { display: inline-flex; align-items: center; gap: 7px; font-size: 14px; cursor: pointer; }
    .switch { align-self: end; padding-bottom: 8px; }
    .two { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 14px; }
    .three { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 14px; }
    @media (max-width: 1200px) { .three { grid-template-columns: minmax(0, 1fr); } }
    .with-suffix { display: flex; align-items: center; gap: 8px; }
    .num { width: 110px; }
    .local { display: grid; gap: 6px; }
    .local-row { display: flex; gap: 6px; }
    .local-row input:not(.locale) { flex: 1; }
    .locale { width: 76px; }
    .add-language, .add-boost { justify-self: start; }
    .boost-row { display: grid; gap: 8px; padding: 10px; border-radius: 10px; background: rgb(0 0 0 / 0.18); }
    .foot { position: sticky; bottom: 0; display: flex; align-items: center; gap: 10px; flex-wrap: wrap; padding: 12px 16px; border-radius: 14px;
            background: rgb(19 34 28 / 0.96); backdrop-filter: blur(8px); box-shadow: 0 -8px 24px rgb(0 0 0 / 0.35), inset 0 0 0 1px var(--aisle-line); }
    .summary { margin: 0; padding-left: 18px; }
  `];

  @property({ attribute: false }) store!: StoreModel;
  /** The state to start from (a new rule, or the stored one); replacing it resets the form. */
  @property({ attribute: false }) initial!: EditorState;
  /** Issues the server answered with (400 `validation`, 403 naming `target.stores`), by path. */
  @property({ attribute: false }) serverIssues: Issue[] = [];
  /** A console token: the form still edits (for the preview), but cannot save. */
  @property({ type: Boolean }) readOnly = false;
  @property({ type: Boolean }) saving = false;
  @property() saveLabel = 'Save rule';
  @state() private _s!: EditorState;
  @state() private _submitted = false;
  private _raw = new Map<string, string>();
  private _touched = new Set<string>();
  private _placed = new Set<string>();
  private _validated: Validated | undefined;
  /** Fields edited since the server's issues arrived: their issues are no longer shown. */
  private _editedSinceServer = new Set<string>();

  /** The current draft, validated. */
  get validated(): Validated {
    return (this._validated ??= toRuleInput(this._s));
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('serverIssues')) this._editedSinceServer = new Set();
    if (changed.has('initial')) {
      this._s = this.initial;
      this._raw = new Map();
      this._touched = new Set();
      this._submitted = false;
      this._validated = undefined;
    }
  }

  override render() {
    this._placed = new Set();
    const c = this._ctx();
    const sections = [basicsSection(c), whereSection(c), whoSection(c), triggerSection(c), actionsSection(c), capsSection(c)];
    const v = this.validated;
    const unplaced = [...(this._submitted ? v.issues : []), ...this._server()]
      .filter((i) => ![...this._placed].some((k) => pathKey(i.path) === k || pathKey(i.path).startsWith(`${k}.`)));
    return html`<form @submit=${this._submit} novalidate>
      ${sections}
      <div class="foot">
        ${this.readOnly ? html`<p class="muted">Look-only token: try the rule in the preview; saving needs a merchandiser token.</p>`
          : html`<button class="primary save" type="submit" ?disabled=${this.saving}>${this.saving ? 'Saving…' : this.saveLabel}</button>`}
        <a class="button" href="#/rules">Cancel</a>
        <span class="spacer"></span>
        ${!v.ok && this._submitted ? html`<span class="error" role="alert">${v.issues.length} thing${v.issues.length > 1 ? 's' : ''} to fix before saving</span>` : nothing}
        ${unplaced.length ? html`<ul class="summary error" role="alert">${unplaced.map((i) => html`<li>${pathKey(i.path) || 'Rule'}: ${i.message}</li>`)}</ul>` : nothing}
      </div>
    </form>`;
  }

  private _ctx(): FormCtx {
    return {
      store: this.store,
      get: (p) => getIn(this._s.draft, p),
      set: (p, v) => this._edit(p, { ...this._s, draft: setIn(this._s.draft, p, v) }),
      errors: (p) => this._errors(p),
      raw: (p) => this._raw.get(pathKey(p)),
      setRaw: (p, t) => { this._raw.set(pathKey(p), t); },
      rows: (w) => this._s[w],
      setRows: (w: 'headline' | 'badge', rows: LocalRow[]) => this._edit(['actions', w], { ...this._s, [w]: rows }),
    };
  }

  private _errors(p: Path): string[] {
    const key = pathKey(p);
    this._placed.add(key);
    const shown = this._submitted || [...this._touched].some((t) => related(t, key));
    return [...(shown ? issuesUnder(this.validated.issues, key) : []), ...issuesUnder(this._server(), key)];
  }

  /** The server's issues still standing: those of fields not edited since. */
  private _server() {
    const edited = [...this._editedSinceServer];
    return this.serverIssues.filter((i) => !edited.some((k) => related(pathKey(i.path), k)));
  }

  private _edit(p: Path, next: EditorState): void {
    const key = pathKey(p);
    this._touched.add(key);
    this._editedSinceServer.add(key);
    this._s = next;
    this._validated = undefined;
    this.dispatchEvent(new CustomEvent('aisle-rule-change', { detail: this.validated }));
  }

  private _submit(e: Event): void {
    e.preventDefault();
    this._submitted = true;
    const v = this.validated;
    if (this.readOnly || this.saving) return;
    if (!v.ok) {
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    this.dispatchEvent(new CustomEvent('aisle-rule-submit', { detail: v.input }));
  }
}

declare global { interface HTMLElementTagNameMap { 'aisle-rule-form': AisleRuleForm } }
