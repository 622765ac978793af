// Lists optionalDependencies missing from the lockfile: exactly what makes `npm ci` fail (docs/conventions.md §Toolchain notes).
import { readFileSync } from 'node:fs';
const pk = JSON.parse(readFileSync(process.argv[2] ?? 'package-lock.json', 'utf8')).packages;
let missing = 0;
for (const [loc, meta] of Object.entries(pk)) {
  for (const dep of Object.keys(meta.optionalDependencies ?? {})) {
    let base = loc;
    let found = false;
    for (;;) {
      if (pk[(base ? base + '/' : '') + 'node_modules/' + dep]) { found = true; break; }
      if (!base) break;
      const i = base.lastIndexOf('/node_modules/');
      base = i === -1 ? '' : base.slice(0, i);
    }
    if (!found) { missing++; console.log(`${loc} -> ${dep} missing from lockfile`); }
  }
}
console.log(missing ? `${missing} missing optional deps` : 'lockfile optional deps complete');
process.exit(missing ? 1 : 0);
