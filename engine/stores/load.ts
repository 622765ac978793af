import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StoreConfig } from '#contracts';

/** The bundled demo store. */
export const DEMO_STORE_PATH = fileURLToPath(new URL('../demo/store.s-001.json', import.meta.url));

/** Reads one store file or every *.json in a folder; an invalid file stops start-up with the field named. */
export function loadStoreConfigs(path = DEMO_STORE_PATH): StoreConfig[] {
  const files = statSync(path).isDirectory()
    ? readdirSync(path).filter((f) => f.endsWith('.json')).sort().map((f) => join(path, f))
    : [path];
  return files.map((f) => {
    const r = StoreConfig.safeParse(JSON.parse(readFileSync(f, 'utf8')));
    if (!r.success) {
      const is = r.error.issues[0]!;
      throw new Error(`${f}: ${is.path.join('.')}: ${is.message}`);
    }
    return r.data;
  });
}
