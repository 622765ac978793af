import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StoreConfig, parseUntrusted } from '#contracts';

/** The bundled demo store. */
export const DEMO_STORE_PATH = fileURLToPath(new URL('../demo/store.s-001.json', import.meta.url));

/** Reads one store file or every *.json in a folder; an invalid file stops start-up with the field named. */
export function loadStoreConfigs(path = DEMO_STORE_PATH): StoreConfig[] {
  let isDir: boolean;
  try { isDir = statSync(path).isDirectory(); } catch { throw new Error(`${path}: no such store file or folder`); }
  const files = isDir
    ? readdirSync(path).filter((f) => f.endsWith('.json')).sort().map((f) => join(path, f))
    : [path];
  return files.map((f) => {
    let json: unknown;
    try { json = JSON.parse(readFileSync(f, 'utf8').replace(/^\uFEFF/, '')); } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw new Error(`${f}: ${e.code === 'EISDIR' ? 'is a folder, not a store file' : e.code === 'ENOENT' ? 'no such file' : `not JSON (${e.message})`}`);
    }
    const r = parseUntrusted(StoreConfig, json);
    if (!r.success) {
      const is = r.error.issues[0]!;
      throw new Error(`${f}: ${is.path.join('.')}: ${is.message}`);
    }
    return r.data;
  });
}
