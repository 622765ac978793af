/** Entry point of `npm run gateway -- <kind> --config <file.json>` (gateways/cli.ts). */
import { run } from './cli.js';

await run(process.argv.slice(2));
