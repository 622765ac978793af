import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { formatPrice } from '../shared/format.js';
import { chipStyles } from './chip-select.js';
import { productName, searchCatalog, type CatalogEntry, type StoreModel } from './store-model.js';
import { baseStyles } from './styles.js';

/**
 * Products picked by searching the store's catalog by name (a combobox: type, ↑/↓, Enter picks, Esc
 * closes). The picked ones show as chips by name, in order (pins are shown in this order).
 * Classes: `.search`, `.option[data-sku]`, `.chip[data-value]`.
 *
 * @fires change - `detail` is the new list of skus.
 */
@customElement('aisle-sku-picker')
export class AisleSkuPicker extends LitElement {
  static override styles = [baseStyles, chipStyles, css`
    :host { display: grid; gap: 6px; position: relative; }
    .search { width: 100%; }
    [role='listbox'] { position: absolute; z-index: 20; left: 0; right: 0; top: 100%; margin: 4px 0 0; padding: 4px; list-style: none;
                       background: #1b2d26; border-radius: 10px; box-shadow: 0 12px 40px rgb(0 0 0 / 0.5), inset 0 0 0 1px var(--aisle-line); }
    .option { display: flex; gap: 10px; padding: 7px 10px; border-radius: 7px; cursor: pointer; font-size: 14px; }
    .option[aria-selected='true'], .option:hover { background: rgb(217 178 106 / 0.16); }
    .option .faint { margin-left: auto; }
    .chip button.move { padding: 0 4px; }
  `];

  @property({ attribute: false }) store!: StoreModel;
  @property({ attribute: false }) values: string[] = [];
  @property() label = 'Products';
  /** Only one product (e.g. the preview's tapped shelf label). */
  @property({ type: Boolean }) single = false;
  @property({ attribute: false }) errors: readonly string[] = [];
  @state() private _query = '';
  @state() private _active = 0;
  @state() private _open = false;

  override render() {
    const found = this._results();
    const listId = 'sku-options';
    return html`<label class="field" for="q">${this.label}</label>
      ${this.values.length ? html`<span class="chips">${this.values.map((sku, i) => html`<span class="chip" data-value=${sku}>${productName(this.store, sku)}
        ${!this.single && i > 0 ? html`<button type="button" class="chip-x move" aria-label="Move ${productName(this.store, sku)} earlier"
          @click=${() => this._move(i)}>↑</button>` : nothing}
        <button type="button" class="chip-x" aria-label="Remove ${productName(this.store, sku)}" @click=${() => this._emit(this.values.filter((x) => x !== sku))}>×</button>
      </span>`)}</span>` : nothing}
      ${this.single && this.values.length ? nothing : html`<input id="q" class="search" type="search" role="combobox" autocomplete="off"
        placeholder="Search the catalog by name…" aria-autocomplete="list" aria-controls=${listId} aria-expanded=${this._open && found.length > 0}
        aria-activedescendant=${this._open && found[this._active] ? `opt-${this._active}` : ''} aria-invalid=${this.errors.length ? 'true' : 'false'}
        .value=${this._query} @input=${this._onInput} @keydown=${this._onKey} @blur=${() => setTimeout(() => { this._open = false; }, 150)}>`}
      ${this._open && found.length ? html`<ul role="listbox" id=${listId}>${found.map((c, i) => html`<li role="option" id="opt-${i}" class="option"
          data-sku=${c.sku} aria-selected=${i === this._active} @mousedown=${(e: Event) => { e.preventDefault(); this._pick(c); }}>
          <span>${c.name}</span><span class="faint">${formatPrice(c.memberPrice ?? c.price, this.store.currency, this.store.locale)}${c.inStock ? '' : ' · out of stock'}</span></li>`)}</ul>`
        : this._open && this._query.trim() ? html`<p class="hint">Nothing in the catalog matches “${this._query}”.</p>` : nothing}
      ${this.errors.map((e) => html`<span class="error">${e}</span>`)}`;
  }

  private _results(): CatalogEntry[] {
    return searchCatalog(this.store, this._query, 8).filter((c) => !this.values.includes(c.sku));
  }

  private _onInput = (e: Event) => {
    this._query = (e.target as HTMLInputElement).value;
    this._active = 0;
    this._open = true;
  };

  private _onKey = (e: KeyboardEvent) => {
    const found = this._results();
    if (e.key === 'ArrowDown') { e.preventDefault(); this._open = true; this._active = Math.min(found.length - 1, this._active + 1); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); this._active = Math.max(0, this._active - 1); }
    else if (e.key === 'Enter') {
      e.preventDefault(); // picking, not submitting the rule
      const c = found[this._active];
      if (this._open && c) this._pick(c);
    } else if (e.key === 'Escape' && this._open) { e.stopPropagation(); this._open = false; }
  };

  private _pick(c: CatalogEntry): void {
    this._query = '';
    this._open = false;
    this._active = 0;
    this._emit(this.single ? [c.sku] : [...this.values, c.sku]);
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('input.search')?.focus());
  }

  private _move(i: number): void {
    const v = [...this.values];
    [v[i - 1], v[i]] = [v[i]!, v[i - 1]!];
    this._emit(v);
  }

  private _emit(values: string[]): void {
    this.values = values;
    this.dispatchEvent(new CustomEvent('change', { detail: values }));
  }
}

declare global { interface HTMLElementTagNameMap { 'aisle-sku-picker': AisleSkuPicker } }
