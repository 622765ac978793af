/**
 * @module console/rule-words
 * A rule in a merchandiser's words, for the rules list: where it applies, when, its trigger, what it does.
 */
import type { Rule } from '../shared/contracts.js';
import { productName, screenLabel, zoneName, type StoreModel } from './store-model.js';

export const TRIGGER_WORDS: Record<string, string> = {
  birthday: 'Birthday coming up', dwell: 'Lingering in the zone', winback: 'Lapsed member is back',
  newArrivals: 'New in their favourite categories', eslTap: 'Tapped a shelf label', lifeStage: 'Life stage (e.g. new parents)',
};

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export function whereWords(r: Rule, m: StoreModel): string {
  const t = r.target;
  const parts: string[] = [];
  if (t.screens?.length) parts.push(t.screens.map((s) => screenLabel(m, s)).join(', '));
  else if (t.zones?.length) parts.push(t.zones.map((z) => zoneName(m, z)).join(', '));
  else parts.push(t.stores?.length === 1 && t.stores[0] === m.storeId ? 'Whole store' : t.stores ? `Stores: ${t.stores.join(', ')}` : 'Every store');
  if (t.daysOfWeek?.length) parts.push(t.daysOfWeek.map((d) => DAYS[d - 1]).join(' '));
  if (t.hours) parts.push(`${t.hours.from}–${t.hours.to}`);
  if (t.dates) parts.push(`${t.dates.from ?? '…'} to ${t.dates.to ?? '…'}`);
  return parts.join(' · ');
}

export function doesWords(r: Rule, m: StoreModel): string {
  const a = r.actions;
  const parts: string[] = [];
  if (a.pin?.length) parts.push(`Pins ${a.pin.slice(0, 2).map((s) => productName(m, s)).join(', ')}${a.pin.length > 2 ? ` +${a.pin.length - 2}` : ''}`);
  if (a.boost?.length) parts.push(`${a.boost.length} boost${a.boost.length > 1 ? 's' : ''}`);
  if (a.exclude) parts.push(`Hides ${[...(a.exclude.categories ?? []), ...(a.exclude.brands ?? [])].join(', ') || `${a.exclude.skus?.length ?? 0} products`}`);
  if (a.headline) parts.push('Headline');
  if (a.badge) parts.push('Badge');
  return parts.join(' · ') || 'Nothing yet';
}

export const triggerWords = (r: Rule): string => (r.trigger ? TRIGGER_WORDS[r.trigger.type] ?? r.trigger.type : 'Always');
