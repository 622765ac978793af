/**
 * @module console/chip-select
 * A multi-select shown as removable chips plus an "Add…" drop-down of what is left: zones, screens and
 * categories by name, never by id. Native controls only, so Tab, arrows and Enter work as everywhere.
 * Classes: `.chip-select[data-field]`, `.chip[data-value]`.
 */
import { css, html, nothing, type TemplateResult } from 'lit';

export interface ChipOption { value: string; label: string }

export interface ChipSelectOptions {
  /** The field's path (`target.zones`), for tests and errors. */
  field: string;
  label: string;
  options: readonly ChipOption[];
  values: readonly string[];
  onChange: (values: string[]) => void;
  placeholder?: string;
  hint?: string;
  errors?: readonly string[];
}

export function chipSelect(o: ChipSelectOptions): TemplateResult {
  const labelOf = new Map(o.options.map((x) => [x.value, x.label]));
  const left = o.options.filter((x) => !o.values.includes(x.value));
  const id = `f-${o.field.replace(/\W/g, '-')}`;
  const errors = o.errors ?? [];
  return html`<div class="chip-select" data-field=${o.field} role="group" aria-labelledby="${id}-label">
    <span class="field-label" id="${id}-label">${o.label}</span>
    <span class="chips">${o.values.map((v) => html`<span class="chip" data-value=${v}>${labelOf.get(v) ?? v}
        <button type="button" class="chip-x" aria-label="Remove ${labelOf.get(v) ?? v}"
          @click=${() => o.onChange(o.values.filter((x) => x !== v))}>×</button></span>`)}
      ${left.length ? html`<select aria-label="Add to ${o.label}" aria-invalid=${errors.length ? 'true' : 'false'}
          @change=${(e: Event) => { const s = e.target as HTMLSelectElement; if (s.value) o.onChange([...o.values, s.value]); s.value = ''; }}>
          <option value="">${o.placeholder ?? 'Add…'}</option>
          ${left.map((x) => html`<option value=${x.value}>${x.label}</option>`)}</select>` : nothing}</span>
    ${o.hint ? html`<span class="hint">${o.hint}</span>` : nothing}
    ${errors.map((e) => html`<span class="error">${e}</span>`)}
  </div>`;
}

export const chipStyles = css`
  .chip-select { display: grid; gap: 6px; }
  .field-label { font-size: 13px; font-weight: 600; color: var(--aisle-ink-muted); }
  .chips { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
  .chip { display: inline-flex; align-items: center; gap: 2px; padding: 3px 4px 3px 10px; border-radius: 999px; font-size: 13px;
          background: rgb(217 178 106 / 0.14); color: var(--aisle-accent-2); box-shadow: inset 0 0 0 1px rgb(217 178 106 / 0.25); }
  .chip-x { padding: 0 6px; background: transparent; box-shadow: none; color: inherit; font-size: 15px; line-height: 1; border-radius: 999px; }
  .chip-x:hover { background: rgb(255 255 255 / 0.1); }
  .chips select { max-width: 240px; }
`;
