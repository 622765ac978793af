/**
 * @module console/rule-fields
 * The rule form's field templates. Each field is bound to a draft path (`caps.perShopperPerDay`) and shows
 * the errors under that path inline (rule-draft.ts `issuesUnder`), so the schema's and the server's issues
 * land on the field they name. Numbers are typed as text and parsed here: a half-typed "1e" stays on
 * screen and reads "Enter a number" instead of vanishing.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { LocalRow, Path } from './rule-draft.js';
import { pathKey } from './rule-draft.js';
import type { StoreModel } from './store-model.js';

/** What a section needs from the form. */
export interface FormCtx {
  store: StoreModel;
  get(path: Path): unknown;
  set(path: Path, value: unknown): void;
  /** The errors to show under `path` now (touched fields, after a save attempt, and the server's). */
  errors(path: Path): string[];
  /** Text as typed in a number field, kept while it is not a number yet. */
  raw(path: Path): string | undefined;
  setRaw(path: Path, text: string): void;
  rows(which: 'headline' | 'badge'): LocalRow[];
  setRows(which: 'headline' | 'badge', rows: LocalRow[]): void;
}

export const fieldId = (path: Path): string => `f-${pathKey(path).replace(/\W/g, '-')}`;

const errorList = (id: string, errors: readonly string[]) =>
  errors.length ? html`<span class="error" id="${id}-err">${errors.join(' · ')}</span>` : nothing;

export function textField(c: FormCtx, path: Path, label: string, o: { hint?: string; multiline?: boolean; placeholder?: string; required?: boolean } = {}): TemplateResult {
  const id = fieldId(path);
  const errors = c.errors(path);
  const value = (c.get(path) as string | undefined) ?? '';
  const onInput = (e: Event) => c.set(path, (e.target as HTMLInputElement).value);
  return html`<label class="field" for=${id} data-field=${pathKey(path)}><span>${label}${o.required ? html` <span aria-hidden="true">*</span>` : nothing}</span>
    ${o.multiline
      ? html`<textarea id=${id} rows="2" .value=${value} @input=${onInput} aria-invalid=${errors.length ? 'true' : 'false'}
          aria-describedby="${id}-err"></textarea>`
      : html`<input id=${id} type="text" .value=${value} @input=${onInput} placeholder=${ifDefined(o.placeholder)}
          ?required=${o.required} aria-invalid=${errors.length ? 'true' : 'false'} aria-describedby="${id}-err">`}
    ${o.hint ? html`<span class="hint">${o.hint}</span>` : nothing}${errorList(id, errors)}</label>`;
}

/** '' → unset; anything else a number (NaN when it is not one, which the schema then names). */
export const parseNumber = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text.trim().replace(',', '.')));

export function numberField(c: FormCtx, path: Path, label: string, o: { hint?: string; placeholder?: string; suffix?: string } = {}): TemplateResult {
  const id = fieldId(path);
  const errors = c.errors(path);
  const v = c.get(path);
  const shown = c.raw(path) ?? (typeof v === 'number' && !Number.isNaN(v) ? String(v) : '');
  return html`<label class="field" for=${id} data-field=${pathKey(path)}><span>${label}</span>
    <span class="with-suffix"><input id=${id} type="text" inputmode="decimal" class="num" .value=${shown} placeholder=${ifDefined(o.placeholder)}
      aria-invalid=${errors.length ? 'true' : 'false'} aria-describedby="${id}-err"
      @input=${(e: Event) => { const t = (e.target as HTMLInputElement).value; c.setRaw(path, t); c.set(path, parseNumber(t)); }}>
      ${o.suffix ? html`<span class="faint">${o.suffix}</span>` : nothing}</span>
    ${o.hint ? html`<span class="hint">${o.hint}</span>` : nothing}${errorList(id, errors)}</label>`;
}

export function checkboxGroup(c: FormCtx, path: Path, label: string, options: ReadonlyArray<{ value: string | number; label: string }>,
  hint?: string): TemplateResult {
  const values = (c.get(path) as Array<string | number> | undefined) ?? [];
  const errors = c.errors(path);
  const id = fieldId(path);
  const toggle = (v: string | number, on: boolean) => {
    const next = options.map((o) => o.value).filter((x) => (x === v ? on : values.includes(x)));
    c.set(path, next.length ? next : undefined);
  };
  return html`<fieldset class="group" data-field=${pathKey(path)} aria-describedby="${id}-err">
    <legend>${label}</legend>
    <span class="checks">${options.map((o) => html`<label class="check"><input type="checkbox" .checked=${values.includes(o.value)}
      @change=${(e: Event) => toggle(o.value, (e.target as HTMLInputElement).checked)}>${o.label}</label>`)}</span>
    ${hint ? html`<span class="hint">${hint}</span>` : nothing}${errorList(id, errors)}</fieldset>`;
}

/** A headline or badge: one text for every language, or one per language (BCP 47 code + text). */
export function localTextField(c: FormCtx, which: 'headline' | 'badge', label: string, hint: string): TemplateResult {
  const rows = c.rows(which);
  const path = ['actions', which];
  const errors = c.errors(path);
  const id = fieldId(path);
  const perLanguage = rows.length > 1 || !!rows[0]?.locale;
  const set = (i: number, k: keyof LocalRow, v: string) => c.setRows(which, rows.map((r, j) => (j === i ? { ...r, [k]: v } : r)));
  return html`<div class="field local" data-field=${pathKey(path)}>
    <span class="field-label" id="${id}-label">${label}</span>
    ${rows.map((r, i) => html`<span class="local-row">
      ${perLanguage ? html`<input class="locale" aria-label="Language of ${label} ${i + 1}" placeholder="en" .value=${r.locale}
          @input=${(e: Event) => set(i, 'locale', (e.target as HTMLInputElement).value)}>` : nothing}
      <input id=${i === 0 ? id : `${id}-${i}`} aria-labelledby="${id}-label" .value=${r.text} aria-invalid=${errors.length ? 'true' : 'false'}
        @input=${(e: Event) => set(i, 'text', (e.target as HTMLInputElement).value)} placeholder=${perLanguage ? 'Text in this language' : 'Same text in every language'}>
      ${perLanguage && rows.length > 1 ? html`<button type="button" class="quiet" aria-label="Remove this language"
          @click=${() => c.setRows(which, rows.filter((_, j) => j !== i))}>×</button>` : nothing}</span>`)}
    <button type="button" class="quiet add-language" @click=${() => c.setRows(which, perLanguage
      ? [...rows, { locale: '', text: '' }] : [{ locale: c.store.locale, text: rows[0]?.text ?? '' }, { locale: '', text: '' }])}>
      + ${perLanguage ? 'Add a language' : 'Translate into other languages'}</button>
    <span class="hint">${hint}</span>${errorList(id, errors)}</div>`;
}
