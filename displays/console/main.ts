/** Entry of `/console/`: the merchandiser console (console-app.ts). */
import '../shared/zod-setup.js'; // first: before any schema is built (the engine's CSP allows no eval)
import '@fontsource/inter/400.css';
import '@fontsource/inter/600.css';
import '@fontsource/inter/700.css';
import '@fontsource/inter/800.css';
import '../shared/tokens.css';
import './console-app.js';

document.body.append(document.createElement('aisle-console'));
