import { Profile, parseUntrusted } from '#contracts';

export type ImportResult = { profiles: Profile[]; errors: { line: number; message: string }[] };

/** Parses NDJSON profiles, one per line; bad lines are reported with their 1-based number and skipped. */
export function parseProfilesNdjson(text: string): ImportResult {
  const profiles: Profile[] = [];
  const errors: ImportResult['errors'] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('//')) return;
    let json: unknown;
    try { json = JSON.parse(line); } catch (err) { errors.push({ line: i + 1, message: `invalid JSON: ${(err as Error).message}` }); return; }
    const r = parseUntrusted(Profile, json);
    if (r.success) profiles.push(r.data);
    else {
      const is = r.error.issues[0]!;
      errors.push({ line: i + 1, message: `${is.path.join('.') || '(root)'}: ${is.message}` });
    }
  });
  return { profiles, errors };
}
