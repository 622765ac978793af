import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** A version folder seen on disk, ordered by what its manifest says (full checks come at load). */
export type VersionDir = {
  dir: string;
  version: string;
  createdAt: string;
  /** Changes whenever the manifest or any model file changes: a rejected folder is retried only then. */
  fingerprint: string;
  /** The manifest could not be read for ordering; it sorts as newest so that loading reports why. */
  unreadable: boolean;
};

const FILES = ['model.onnx', 'golden.json', 'item-stats.json'];

/** Orders versions: createdAt (as a date when it parses), then version with numeric collation. */
export function compareVersions(a: Pick<VersionDir, 'createdAt' | 'version'>, b: Pick<VersionDir, 'createdAt' | 'version'>): number {
  const ta = Date.parse(a.createdAt), tb = Date.parse(b.createdAt);
  const byTime = Number.isNaN(ta) || Number.isNaN(tb) ? a.createdAt.localeCompare(b.createdAt) : ta - tb;
  return byTime || a.version.localeCompare(b.version, 'en', { numeric: true });
}

/** Reads one folder's manifest header and fingerprint; undefined when it has no manifest.json yet (still being written). */
export async function readVersionDir(dir: string): Promise<VersionDir | undefined> {
  let text: string;
  try { text = await readFile(join(dir, 'manifest.json'), 'utf8'); } catch { return undefined; }
  const h = createHash('sha256').update(text);
  for (const f of FILES) {
    const s = await stat(join(dir, f)).catch(() => undefined);
    h.update(`|${f}:${s ? `${s.size}:${s.mtimeMs}` : '-'}`);
  }
  let m: { version?: unknown; createdAt?: unknown } = {};
  try { m = JSON.parse(text) as typeof m; } catch { /* unreadable: sorted first, rejected at load */ }
  const ok = typeof m.version === 'string' && typeof m.createdAt === 'string';
  return {
    dir, fingerprint: h.digest('hex'), unreadable: !ok,
    version: ok ? (m.version as string) : dir, createdAt: ok ? (m.createdAt as string) : '',
  };
}

/** All version folders under `versionsDir`, newest first (unreadable manifests first of all). */
export async function listVersions(versionsDir: string): Promise<VersionDir[]> {
  const entries = await readdir(versionsDir, { withFileTypes: true }).catch(() => []);
  const found = await Promise.all(entries.filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => readVersionDir(join(versionsDir, e.name))));
  return found.filter((v): v is VersionDir => v !== undefined)
    .sort((a, b) => Number(b.unreadable) - Number(a.unreadable) || compareVersions(b, a));
}

/**
 * Resolves the folder of versions to serve from: `root/name` when a name is given; `root` itself
 * when it directly holds versions (AISLE_MODEL_DIR pointing at one model); otherwise the name
 * folder whose newest version is newest. Undefined when nothing is there.
 */
export async function resolveVersionsDir(root: string, name?: string): Promise<string | undefined> {
  if (name) return join(root, name);
  if ((await listVersions(root)).length > 0) return root;
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  let best: { dir: string; newest: VersionDir } | undefined;
  for (const e of entries) {
    if (!e.isDirectory() || e.name.startsWith('.')) continue;
    const dir = join(root, e.name);
    const newest = (await listVersions(dir)).find((v) => !v.unreadable);
    if (newest && (!best || compareVersions(newest, best.newest) > 0)) best = { dir, newest };
  }
  return best?.dir;
}
