/**
 * @module console/shelf-labels
 * The live page's shelf labels: what every label of the store shows now, drawn by `<aisle-label-strip>` from the
 * `label.update` frames the console socket receives (the same SVG the engine sends to the panels; docs/labels.md).
 * "All zones" shows every zone's labels small; one zone shows its labels at a readable size. A label near a consenting
 * shopper is ringed (personal: member price or "For you"), a flashing one glows.
 *
 * Classes: `.labels-panel`, `button.label-zone[data-zone-id][aria-pressed]` ("" for all zones), `.label-group[data-zone-id]`
 * with an `aisle-label-strip`, `.labels-empty`; in a zone's card, `button.zone-labels[data-zone-id]`.
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import type { LabelBook } from '../labels/label-book.js';
import type { StripLabel } from '../labels/label-strip.js';
import '../labels/label-strip.js';
import type { StoreModel } from './store-model.js';

/** Labels drawn at this scale when every zone shows (a 296×128 label is 148×64 px), and when one zone does. */
export const ALL_ZONES_SCALE = 0.5;
export const ONE_ZONE_SCALE = 0.8;

export interface ZoneLabels { zoneId: string; name: string; ids: string[]; frames: StripLabel[]; personal: number }

/** Each zone that has labels, in configuration order, with the frames it has so far. */
export function labelsByZone(store: StoreModel, book: LabelBook): ZoneLabels[] {
  return store.zones.flatMap((z) => {
    const ids = store.labels.filter((l) => l.zoneId === z.zoneId).map((l) => l.labelId);
    if (!ids.length) return [];
    const frames = ids.flatMap((id) => { const f = book.get(id); return f ? [f] : []; });
    return [{ zoneId: z.zoneId, name: z.name, ids, frames, personal: frames.filter((f) => f.mode === 'personal').length }];
  });
}

/** "8 shelf labels · 2 personal" in a zone's card: a button that shows the zone's labels below the plan. */
export function zoneLabelsButton(zone: ZoneLabels | undefined, pick: (zoneId: string) => void): TemplateResult | typeof nothing {
  if (!zone) return nothing;
  const n = zone.ids.length;
  return html`<button class="zone-labels quiet" data-zone-id=${zone.zoneId} @click=${() => pick(zone.zoneId)}
      aria-label="${n} shelf label${n === 1 ? '' : 's'}${zone.personal ? `, ${zone.personal} personal` : ''}: show them">
    <span class="tag-icon" aria-hidden="true"></span>${n} shelf label${n === 1 ? '' : 's'}${zone.personal
      ? html` · <strong class="personal">${zone.personal} personal</strong>` : nothing}</button>`;
}

/** The panel: zone picker and the strips, for `labelsByZone()`'s zones. `selected` is a zone id, or '' for all zones. */
export function shelfLabelsPanel(store: StoreModel, zones: ZoneLabels[], selected: string, pick: (zoneId: string) => void): TemplateResult | typeof nothing {
  if (!zones.length) return nothing;
  const one = zones.find((z) => z.zoneId === selected);
  const shown = one ? [one] : zones;
  const personal = zones.reduce((n, z) => n + z.personal, 0);
  const chip = (zoneId: string, name: string, p: number) => html`<button class="label-zone" data-zone-id=${zoneId}
      aria-pressed=${(one?.zoneId ?? '') === zoneId ? 'true' : 'false'} @click=${() => pick(zoneId)}>${name}${p
      ? html` <span class="chip-personal" aria-label="${p} personal" title="${p} personal now">${p}</span>` : nothing}</button>`;
  return html`<section class="labels-panel card" aria-labelledby="labels-title">
    <div class="labels-head">
      <h2 id="labels-title">Shelf labels</h2>
      <span class="faint">${personal ? html`<strong class="personal">${personal}</strong> personal now · ` : nothing}as the shelves show them, live</span>
      <span class="spacer"></span>
      <div class="label-zones" role="group" aria-label="Zone">${chip('', 'All zones', personal)}${zones.map((z) => chip(z.zoneId, z.name, z.personal))}</div>
    </div>
    ${shown.map((z) => html`<div class="label-group" data-zone-id=${z.zoneId}>
      ${one ? nothing : html`<h3 class="label-zone-name">${z.name}</h3>`}
      ${z.frames.length ? html`<aisle-label-strip wrap .labels=${z.frames} .scale=${one ? ONE_ZONE_SCALE : ALL_ZONES_SCALE}
          .currency=${store.currency} .locale=${store.locale}></aisle-label-strip>` : nothing}
      ${z.frames.length < z.ids.length ? html`<p class="labels-empty faint">${z.frames.length ? `No content yet from ${z.ids.length - z.frames.length} of
          ${z.ids.length} labels.` : 'No content from these labels yet: the engine sends every label\'s content when the console connects.'}</p>` : nothing}
    </div>`)}
    <p class="labels-legend faint"><i class="ring" aria-hidden="true"></i> personal (a consenting shopper is near: member price or "For you")
      <i class="glow" aria-hidden="true"></i> flashing to guide them</p>
  </section>`;
}

export const shelfLabelsStyles = css`
  .labels-panel { margin-top: 18px; display: grid; gap: 12px; }
  .labels-head { display: flex; align-items: baseline; gap: 12px; flex-wrap: wrap; }
  .labels-head h2 { font-size: 18px; }
  .label-zones { display: flex; gap: 6px; flex-wrap: wrap; }
  button.label-zone { padding: 5px 12px; font-size: 13px; }
  button.label-zone[aria-pressed='true'] { background: var(--aisle-accent); color: #1d1608; box-shadow: none; }
  .chip-personal { display: inline-grid; place-items: center; min-width: 20px; height: 20px; padding: 0 6px; border-radius: 999px;
                   font-size: 12px; background: rgb(217 178 106 / 0.25); color: var(--aisle-accent-2); }
  button.label-zone[aria-pressed='true'] .chip-personal { background: rgb(29 22 8 / 0.2); color: #1d1608; }
  .label-group { display: grid; gap: 4px; }
  .label-zone-name { font-size: 13px; font-weight: 700; color: var(--aisle-ink-muted); }
  .personal { color: var(--aisle-accent-2); }
  .labels-legend i { display: inline-block; width: 12px; height: 12px; margin: 0 3px 0 10px; vertical-align: -1px; border-radius: 3px; }
  .labels-legend i:first-child { margin-left: 0; }
  .labels-legend .ring { box-shadow: inset 0 0 0 2px var(--aisle-accent); }
  .labels-legend .glow { background: #22e36b; box-shadow: 0 0 6px 1px #22e36b; }
  button.zone-labels { justify-self: start; padding: 4px 6px; font-size: 12.5px; font-weight: 600; color: var(--aisle-ink-muted); }
  button.zone-labels .tag-icon { display: inline-block; width: 14px; height: 9px; border-radius: 2px; background: #f4f4f2;
                                 box-shadow: inset -5px 0 0 #c00000; }
`;
