/**
 * @module console/preview-shopper
 * The preview's "who is in front of the screen" controls: nobody, a member by customer id, or a shopper
 * described by hand (tier, stage, interests, birthday, life stage, consents), and the visit facts.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { TIERS } from '../shared/contracts.js';
import { chipSelect } from './chip-select.js';
import type { DescribedShopper, PreviewState, ShopperKind } from './preview-query.js';
import type { StoreModel } from './store-model.js';

const LIFECYCLES = ['prospect', 'new', 'active', 'dormant', 'churned'] as const;
const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);
const KINDS: Array<[ShopperKind, string]> = [['nobody', 'Nobody'], ['member', 'A member'], ['describe', 'Describe one']];

/** Who is in front: nobody, a member (customer id), or one described by hand (details in `shopperDetails`). */
export function shopperPicker(s: PreviewState, set: (next: Partial<PreviewState>) => void, customerError: string): TemplateResult {
  const val = (e: Event) => (e.target as HTMLInputElement).value;
  return html`<fieldset class="group shopper"><legend>In front of the screen</legend>
    <span class="segmented" role="radiogroup" aria-label="In front of the screen">${KINDS.map(([k, label]) => html`<label class="seg">
      <input type="radio" name="shopper" value=${k} .checked=${s.shopper === k} @change=${() => set({ shopper: k })}><span>${label}</span></label>`)}</span>
    ${s.shopper === 'member' ? html`<label class="field">Customer id
      <input class="customer-id" .value=${s.customerId} placeholder="e.g. c-12347" @input=${(e: Event) => set({ customerId: val(e) })}
        aria-invalid=${customerError ? 'true' : 'false'}>
      ${customerError ? html`<span class="error">${customerError}</span>` : html`<span class="hint">Their stored profile, and their live visit if they are in the store.</span>`}</label>` : nothing}
  </fieldset>`;
}

/** The described shopper's tier, stage, interests, birthday, life stage and consents. */
export function shopperDetails(store: StoreModel, s: PreviewState, set: (next: Partial<PreviewState>) => void): TemplateResult | typeof nothing {
  if (s.shopper !== 'describe') return nothing;
  const d = s.described;
  const setD = (x: Partial<DescribedShopper>) => set({ described: { ...d, ...x } });
  const val = (e: Event) => (e.target as HTMLInputElement).value;
  return html`<details class="described" open><summary>About this shopper</summary><div class="stack">
      <div class="two">
        <label class="field">Tier<select class="tier" @change=${(e: Event) => setD({ tier: val(e) as DescribedShopper['tier'] })}>
          ${TIERS.map((t) => html`<option value=${t} ?selected=${d.tier === t}>${cap(t)}</option>`)}</select></label>
        <label class="field">Stage<select class="lifecycle" @change=${(e: Event) => setD({ lifecycle: val(e) as DescribedShopper['lifecycle'] })}>
          ${LIFECYCLES.map((t) => html`<option value=${t} ?selected=${d.lifecycle === t}>${cap(t)}</option>`)}</select></label>
      </div>
      ${chipSelect({ field: 'preview.interests', label: 'Interests', values: d.interests, onChange: (v) => setD({ interests: v }),
        options: store.categories.map((c) => ({ value: c, label: c })) })}
      <div class="two">
        <label class="field">Birthday<input type="date" .value=${d.birthday} @input=${(e: Event) => setD({ birthday: val(e) })}></label>
        <label class="field">Life stage<input .value=${d.lifeStage} placeholder="e.g. newborn" @input=${(e: Event) => setD({ lifeStage: val(e) })}></label>
      </div>
      <label class="field">First name (for the greeting)<input .value=${d.firstName} @input=${(e: Event) => setD({ firstName: val(e) })}></label>
      <span class="checks">
        <label class="check"><input type="checkbox" .checked=${d.personalization} @change=${(e: Event) => setD({ personalization: (e.target as HTMLInputElement).checked })}>
          Agreed to personal content</label>
        <label class="check"><input type="checkbox" .checked=${d.displayName} @change=${(e: Event) => setD({ displayName: (e.target as HTMLInputElement).checked })}>
          Agreed to show their name</label>
      </span></div></details>`;
}

/** Visit facts (only with a shopper) and the store time of the decision. */
export function visitDetails(store: StoreModel, s: PreviewState, set: (next: Partial<PreviewState>) => void): TemplateResult {
  const val = (e: Event) => (e.target as HTMLInputElement).value;
  return html`<details class="visit" ?open=${!!(s.at || s.dwellSeconds || s.tappedSku)}><summary>Visit and time</summary><div class="stack">
    ${s.shopper !== 'nobody' ? html`<label class="field">Seconds in this zone<input class="dwell" inputmode="numeric" .value=${s.dwellSeconds} placeholder="e.g. 45"
        @input=${(e: Event) => set({ dwellSeconds: val(e) })}></label>
      <aisle-sku-picker single label="Tapped the shelf label of" .store=${store} .values=${s.tappedSku ? [s.tappedSku] : []}
        @change=${(e: CustomEvent<string[]>) => set({ tappedSku: e.detail[0] ?? '' })}></aisle-sku-picker>` : nothing}
    <label class="field">Store time <input type="datetime-local" class="at" .value=${s.at} @input=${(e: Event) => set({ at: val(e) })}>
      <span class="hint">Empty: now. In the store’s time zone (${store.timezone}).</span></label>
  </div></details>`;
}
