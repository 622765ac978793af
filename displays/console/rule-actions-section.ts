/**
 * @module console/rule-actions-section
 * What a rule does (pins, exclusions, boosts, template, headline, badge) and how often (caps), for the
 * rule form. Products are picked by name from the catalog; categories from the catalog's own.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { chipSelect } from './chip-select.js';
import { localTextField, numberField, type FormCtx } from './rule-fields.js';
import { productName } from './store-model.js';

type Boost = { categories?: string[]; brands?: string[]; skus?: string[]; factor?: number };

function boosts(c: FormCtx): TemplateResult {
  const list = (c.get(['actions', 'boost']) as Boost[] | undefined) ?? [];
  const set = (next: Boost[]) => c.set(['actions', 'boost'], next.length ? next : undefined);
  const options = c.store.categories.map((x) => ({ value: x, label: x }));
  return html`<fieldset class="group boosts" data-field="actions.boost"><legend>Boosts</legend>
    <span class="hint">Bring categories forward (×2 doubles their chances) or push them back (×0.5). Between ×0.1 and ×10.</span>
    ${list.map((b, i) => html`<div class="boost-row" data-index=${i}>
      ${chipSelect({ field: `actions.boost.${i}.categories`, label: `Boost ${i + 1}: categories`, values: b.categories ?? [], options,
        onChange: (v) => set(list.map((x, j) => (j === i ? { ...x, categories: v.length ? v : undefined } : x))),
        errors: [...c.errors(['actions', 'boost', i, 'categories']), ...c.errors(['actions', 'boost', i]).filter((e) => !/factor/i.test(e))] })}
      ${b.skus?.length || b.brands?.length ? html`<p class="hint">Also: ${[...(b.skus ?? []).map((s) => productName(c.store, s)), ...(b.brands ?? [])].join(', ')}</p>` : nothing}
      ${numberField(c, ['actions', 'boost', i, 'factor'], 'Factor', { suffix: '×' })}
      <button type="button" class="quiet danger" @click=${() => set(list.filter((_, j) => j !== i))}>Remove boost ${i + 1}</button>
    </div>`)}
    <button type="button" class="add-boost" @click=${() => set([...list, { factor: 2 }])}>+ Add a boost</button>
  </fieldset>`;
}

export function actionsSection(c: FormCtx): TemplateResult {
  const pins = (c.get(['actions', 'pin']) as string[] | undefined) ?? [];
  const excluded = (c.get(['actions', 'exclude', 'categories']) as string[] | undefined) ?? [];
  const exclude = c.get(['actions', 'exclude']) as { skus?: string[]; brands?: string[] } | undefined;
  const trigger = (c.get(['trigger']) as { type?: string } | undefined)?.type;
  return html`<fieldset class="section"><legend>What it does</legend>
    <aisle-sku-picker label="Pin products (shown first, in this order)" .store=${c.store} .values=${pins} .errors=${c.errors(['actions', 'pin'])}
      @change=${(e: CustomEvent<string[]>) => c.set(['actions', 'pin'], e.detail.length ? e.detail : undefined)}></aisle-sku-picker>
    ${chipSelect({ field: 'actions.exclude.categories', label: 'Never show these categories', values: excluded,
      options: c.store.categories.map((x) => ({ value: x, label: x })), errors: c.errors(['actions', 'exclude']),
      onChange: (v) => c.set(['actions', 'exclude'], { ...exclude, categories: v.length ? v : undefined }),
      hint: 'An exclusion always wins over a pin or a boost.' })}
    ${exclude?.skus?.length || exclude?.brands?.length
      ? html`<p class="hint">Also never shown: ${[...(exclude.skus ?? []).map((s) => productName(c.store, s)), ...(exclude.brands ?? [])].join(', ')}</p>` : nothing}
    ${boosts(c)}
    ${trigger === 'newArrivals' || trigger === 'lifeStage'
      ? numberField(c, ['actions', 'triggered'], 'Boost for the items the trigger finds', { suffix: '×', hint: 'Default ×3.' }) : nothing}
    <label class="field" data-field="actions.template">Layout
      <select @change=${(e: Event) => c.set(['actions', 'template'], (e.target as HTMLSelectElement).value || undefined)}>
        ${[['', 'As the screen decides'], ['hero', 'One big item (hero)'], ['grid', 'Grid of items']].map(([v, l]) =>
          html`<option value=${v!} ?selected=${(c.get(['actions', 'template']) ?? '') === v}>${l}</option>`)}
      </select></label>
    ${localTextField(c, 'headline', 'Headline', 'Shown to shoppers, at most 80 characters. Empty: the trigger’s or the screen’s own words.')}
    ${localTextField(c, 'badge', 'Badge', 'On the items this rule brings forward, e.g. “Offer”. At most 40 characters; never reveal a history.')}
  </fieldset>`;
}

export function capsSection(c: FormCtx): TemplateResult {
  return html`<fieldset class="section"><legend>How often</legend>
    <p class="hint">Leave empty for no limit. A capped rule is skipped until the limit resets.</p>
    <div class="three">
      ${numberField(c, ['caps', 'perShopperPerVisit'], 'Per shopper, per visit')}
      ${numberField(c, ['caps', 'perShopperPerDay'], 'Per shopper, per day')}
      ${numberField(c, ['caps', 'perScreenPerHour'], 'Per screen, per hour')}
    </div>
  </fieldset>`;
}
