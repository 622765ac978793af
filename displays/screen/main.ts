/**
 * Entry of `/screen/`: reads the query string and mounts one full-screen `<aisle-screen-player>`.
 *
 * Query: `store`, `screen`, `token` (required unless `demo`), `note=0` hides each item's small note
 * (`why=0`, its old name, still works), `demo=1|hero|grid|idle|offline|setup` plays built-in samples
 * without an engine, `ws` overrides the WebSocket URL, `name` the store name, `tz` the time zone, `lang`
 * the locale for frames without one, `slide` idle slide ms.
 */
import '../shared/zod-setup.js'; // first: before any schema is built
import '@fontsource/inter/400.css';
import '@fontsource/inter/600.css';
import '@fontsource/inter/700.css';
import '@fontsource/inter/800.css';
import '../shared/tokens.css';
import './player.js';

const q = new URLSearchParams(location.search);
const el = document.createElement('aisle-screen-player');
el.storeId = q.get('store') ?? '';
el.screenId = q.get('screen') ?? '';
el.token = q.get('token') ?? '';
el.wsUrl = q.get('ws') ?? '';
el.storeName = q.get('name') ?? '';
el.timeZone = q.get('tz') ?? undefined;
el.locale = q.get('lang') ?? undefined;
el.hideNote = q.get('note') === '0' || q.get('why') === '0';
el.demo = q.get('demo') ?? '';
const slide = Number(q.get('slide'));
if (slide > 0) el.idleSlideMs = slide;
if (el.screenId) document.title = `${el.screenId} · Aislecast`;
document.body.append(el);
