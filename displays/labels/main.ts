/**
 * Entry of `/labels/`: the label wall, every shelf label of one store live (label-wall.ts, docs/labels.md §The label wall).
 *
 * Query (all optional): `store` and `token` (a label-gateway token of the store) set the wall up at once; the token is
 * then removed from the address and remembered in localStorage (session.ts). `ws` overrides the WebSocket URL, `scale`
 * the size of the labels (screen px per label px, default 0.6), `gateway` the hello's gatewayId (default: the token's
 * own gateway).
 */
import '../shared/zod-setup.js'; // first: before any schema is built (the engine's CSP allows no eval)
import '@fontsource/inter/400.css';
import '@fontsource/inter/700.css';
import '@fontsource/inter/800.css';
import '../shared/tokens.css';
import './label-wall.js';
import { wallFromPage } from './session.js';

const start = wallFromPage();
const el = document.createElement('aisle-label-wall');
el.prefill = start.prefill;
if (start.ws) el.wsUrl = start.ws;
if (start.scale) el.scale = start.scale;
const gateway = new URLSearchParams(location.search).get('gateway')?.trim();
if (gateway) el.gatewayId = gateway;
document.body.append(el);
// A token without a store: the token's one store, when it reaches exactly one (else the setup form asks).
if (start.session) el.session = start.session;
else if (start.prefill.token && !start.prefill.storeId) void el.resolveStore(start.prefill.token);
