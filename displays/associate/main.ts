/**
 * Entry of `/associate/`: the store associate's VIP alerts (associate-app.ts).
 *
 * Query (all optional): `store`, `associate`, `token` sign in at once (the token is then removed from the
 * address, session.ts); `lang` the language of the app's own words before the first alert; `ws` overrides the
 * WebSocket URL.
 */
import '../shared/zod-setup.js'; // first: before any schema is built (the engine's CSP allows no eval)
import '@fontsource/inter/400.css';
import '@fontsource/inter/600.css';
import '@fontsource/inter/700.css';
import '@fontsource/inter/800.css';
import '../shared/tokens.css';
import './associate-app.js';
import { sessionFromPage } from './session.js';

const start = sessionFromPage();
const el = document.createElement('aisle-associate-app');
el.prefill = start.prefill;
if (start.lang) el.locale = start.lang;
if (start.ws) el.wsUrl = start.ws;
el.session = start.session;
document.body.append(el);
