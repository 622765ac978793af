/** Entry of `/`: the landing page. `?token=` is used for the API and added to screen links. */
import '../shared/zod-setup.js'; // first: before any schema is built
import '@fontsource/inter/400.css';
import '@fontsource/inter/700.css';
import '@fontsource/inter/800.css';
import '../shared/tokens.css';
import './landing-page.js';

const el = document.createElement('aisle-landing');
el.token = new URLSearchParams(location.search).get('token') ?? '';
document.body.append(el);
