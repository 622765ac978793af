/**
 * @module console/rule-sections
 * The rule form's sections, in the order a merchandiser thinks: the rule, where and when, who, the
 * trigger, what it does, how often (docs/rules.md). Conditions the console cannot edit yet (RFM scores,
 * interests, life stages, consents) are kept as they are and named, never dropped.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { SCREEN_MODES, TIERS, TRIGGER_TYPES } from '../shared/contracts.js';
import { chipSelect } from './chip-select.js';
import { checkboxGroup, fieldId, localTextField, numberField, textField, type FormCtx } from './rule-fields.js';
import { TRIGGER_WORDS } from './rule-words.js';
import { pathKey, type Path } from './rule-draft.js';

const MODE_WORDS: Record<(typeof SCREEN_MODES)[number], string> = { shopper: 'Personal turn', audience: 'Audience', idle: 'Nobody in front (idle)' };
const LIFECYCLES = ['prospect', 'new', 'active', 'dormant', 'churned'] as const;
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);

export function basicsSection(c: FormCtx): TemplateResult {
  return html`<fieldset class="section"><legend>Rule</legend>
    ${textField(c, ['name'], 'Name', { required: true, placeholder: 'e.g. Breakfast table mornings' })}
    ${textField(c, ['description'], 'Description', { multiline: true, hint: 'For your colleagues: what it is for. Never shown to shoppers.' })}
    <div class="two">
      ${numberField(c, ['priority'], 'Priority', { hint: '0–1000; higher goes first. Default 100.' })}
      <label class="check switch" data-field="enabled"><input type="checkbox" .checked=${c.get(['enabled']) !== false}
        @change=${(e: Event) => c.set(['enabled'], (e.target as HTMLInputElement).checked)}> Enabled</label>
    </div>
  </fieldset>`;
}

function storesScope(c: FormCtx): TemplateResult {
  const stores = c.get(['target', 'stores']) as string[] | undefined;
  const here = c.store.storeId;
  const mode = !stores ? 'all' : stores.length === 1 && stores[0] === here ? 'here' : 'some';
  const pick = (m: string) => c.set(['target', 'stores'], m === 'all' ? undefined : m === 'here' ? [here] : stores);
  const errors = c.errors(['target', 'stores']);
  return html`<fieldset class="group" data-field="target.stores"><legend>Applies in</legend>
    <span class="checks">
      <label class="check"><input type="radio" name="scope" .checked=${mode === 'here'} @change=${() => pick('here')}> ${c.store.name} only</label>
      <label class="check"><input type="radio" name="scope" .checked=${mode === 'all'} @change=${() => pick('all')}> Every store</label>
      ${mode === 'some' ? html`<label class="check"><input type="radio" name="scope" checked> These stores: ${stores!.join(', ')}</label>` : nothing}
    </span>
    <span class="hint">A token for one store can only save rules for that store.</span>
    ${errors.length ? html`<span class="error" id="${fieldId(['target', 'stores'])}-err">${errors.join(' · ')}</span>` : nothing}</fieldset>`;
}

export function whereSection(c: FormCtx): TemplateResult {
  const list = (p: Path) => (c.get(p) as string[] | undefined) ?? [];
  const setList = (p: Path) => (v: string[]) => c.set(p, v.length ? v : undefined);
  return html`<fieldset class="section"><legend>Where and when</legend>
    ${storesScope(c)}
    ${chipSelect({ field: 'target.zones', label: 'Zones', values: list(['target', 'zones']), onChange: setList(['target', 'zones']),
      options: c.store.zones.map((z) => ({ value: z.zoneId, label: z.name })), hint: 'None picked: every zone.', errors: c.errors(['target', 'zones']) })}
    ${chipSelect({ field: 'target.screens', label: 'Screens', values: list(['target', 'screens']), onChange: setList(['target', 'screens']),
      options: c.store.screens.map((s) => ({ value: s.screenId, label: s.label })), hint: 'None picked: every screen of those zones.',
      errors: c.errors(['target', 'screens']) })}
    ${checkboxGroup(c, ['target', 'modes'], 'Kinds of content', SCREEN_MODES.map((m) => ({ value: m, label: MODE_WORDS[m] })),
      'None ticked: all three. Rules about the shopper only ever shape personal turns.')}
    ${checkboxGroup(c, ['target', 'daysOfWeek'], 'Days', DAYS.map((d, i) => ({ value: i + 1, label: d })), 'None ticked: every day. Store time.')}
    <div class="two">
      ${timeRange(c, 'hours', 'Hours', 'time', 'From–to, store time; “to” before “from” runs past midnight.')}
      ${timeRange(c, 'dates', 'Dates', 'date', 'Both days included.')}
    </div>
  </fieldset>`;
}

function timeRange(c: FormCtx, key: 'hours' | 'dates', label: string, type: 'time' | 'date', hint: string): TemplateResult {
  const path = ['target', key];
  const v = (c.get(path) as { from?: string; to?: string } | undefined) ?? {};
  const set = (k: 'from' | 'to', x: string) => {
    const next = { ...v, [k]: x || undefined };
    c.set(path, next.from || next.to ? next : undefined);
  };
  const errors = c.errors(path);
  return html`<fieldset class="group" data-field=${pathKey(path)}><legend>${label}</legend>
    <span class="row">
      <input type=${type} aria-label="${label} from" .value=${v.from ?? ''} @input=${(e: Event) => set('from', (e.target as HTMLInputElement).value)}
        aria-invalid=${c.errors([...path, 'from']).length ? 'true' : 'false'}>
      <span class="faint">to</span>
      <input type=${type} aria-label="${label} to" .value=${v.to ?? ''} @input=${(e: Event) => set('to', (e.target as HTMLInputElement).value)}
        aria-invalid=${c.errors([...path, 'to']).length ? 'true' : 'false'}>
      ${v.from || v.to ? html`<button type="button" class="quiet" aria-label="Clear ${label}" @click=${() => c.set(path, undefined)}>Clear</button>` : nothing}
    </span>
    <span class="hint">${hint}</span>${errors.length ? html`<span class="error">${errors.join(' · ')}</span>` : nothing}</fieldset>`;
}

export function whoSection(c: FormCtx): TemplateResult {
  const kept = (['rfm', 'affinities', 'lifeStages', 'consent'] as const).filter((k) => c.get(['target', k]) !== undefined);
  const words: Record<(typeof kept)[number], string> = { rfm: 'RFM scores', affinities: 'interests', lifeStages: 'life stages', consent: 'consents' };
  return html`<fieldset class="section"><legend>Who</legend>
    ${checkboxGroup(c, ['target', 'tiers'], 'Loyalty tiers', TIERS.map((t) => ({ value: t, label: cap(t) })), 'None ticked: anyone.')}
    ${checkboxGroup(c, ['target', 'lifecycle'], 'Customer stage', LIFECYCLES.map((t) => ({ value: t, label: cap(t) })), 'None ticked: anyone.')}
    <p class="hint">Any condition on the shopper makes this a personal rule: it then applies only in a shopper’s own turn, with their consent.</p>
    ${kept.length ? html`<p class="banner info">This rule also has conditions on ${kept.map((k) => words[k]).join(', ')}; the console keeps them as they are.</p>` : nothing}
  </fieldset>`;
}

export function triggerSection(c: FormCtx): TemplateResult {
  const t = c.get(['trigger']) as { type?: string } | undefined;
  const type = t?.type ?? '';
  const defaults: Record<string, object> = { birthday: { withinDays: 7 }, dwell: { seconds: 30 }, winback: { lifecycle: ['dormant', 'churned'] },
    newArrivals: { days: 30, top: 3 }, eslTap: {}, lifeStage: {} };
  const pick = (e: Event) => {
    const v = (e.target as HTMLSelectElement).value;
    c.set(['trigger'], v ? { type: v, ...defaults[v] } : undefined);
  };
  const id = fieldId(['trigger', 'type']);
  return html`<fieldset class="section"><legend>Trigger</legend>
    <label class="field" for=${id} data-field="trigger.type">A moment in the shopper’s visit
      <select id=${id} @change=${pick}>
        <option value="" ?selected=${!type}>None — applies whenever the conditions hold</option>
        ${TRIGGER_TYPES.map((k) => html`<option value=${k} ?selected=${type === k}>${TRIGGER_WORDS[k]}</option>`)}
      </select></label>
    ${triggerFields(c, type)}
  </fieldset>`;
}

function triggerFields(c: FormCtx, type: string): TemplateResult | typeof nothing {
  const list = (p: Path) => (c.get(p) as string[] | undefined) ?? [];
  switch (type) {
    case 'birthday': return numberField(c, ['trigger', 'withinDays'], 'Birthday within', { suffix: 'days', hint: '0 = on the day; at most 31.' });
    case 'dwell': return numberField(c, ['trigger', 'seconds'], 'In the zone for at least', { suffix: 'seconds', hint: 'And nothing bought this visit.' });
    case 'winback': return checkboxGroup(c, ['trigger', 'lifecycle'], 'Members who are', [{ value: 'dormant', label: 'Dormant' }, { value: 'churned', label: 'Churned' }]);
    case 'newArrivals': return html`<div class="two">${numberField(c, ['trigger', 'days'], 'Arrived within', { suffix: 'days' })}
      ${numberField(c, ['trigger', 'top'], 'In their top', { suffix: 'favourite categories' })}</div>`;
    case 'eslTap': return html`<aisle-sku-picker label="Shelf labels of these products (none: any label)" .store=${c.store}
        .values=${list(['trigger', 'skus'])} .errors=${c.errors(['trigger', 'skus'])}
        @change=${(e: CustomEvent<string[]>) => c.set(['trigger', 'skus'], e.detail.length ? e.detail : undefined)}></aisle-sku-picker>
      ${chipSelect({ field: 'trigger.categories', label: '…or of these categories', values: list(['trigger', 'categories']),
        options: c.store.categories.map((x) => ({ value: x, label: x })), onChange: (v) => c.set(['trigger', 'categories'], v.length ? v : undefined),
        errors: c.errors(['trigger', 'categories']) })}`;
    case 'lifeStage': {
      const stages = list(['trigger', 'stages']);
      return html`<label class="field" data-field="trigger.stages">Life stages (comma-separated; empty: any)
        <input .value=${stages.join(', ')} placeholder="expecting, newborn, toddler" @change=${(e: Event) => {
          const v = (e.target as HTMLInputElement).value.split(',').map((s) => s.trim()).filter(Boolean);
          c.set(['trigger', 'stages'], v.length ? v : undefined);
        }}>${c.errors(['trigger', 'stages']).map((x) => html`<span class="error">${x}</span>`)}</label>`;
    }
    default: return nothing;
  }
}
