/**
 * The seed nodes of a Redis URL, one URL each (REDIS_URL with REDIS_CLUSTER=1, docs/deploy.md):
 * `redis://u:p@h1:7000,h2:7001/0` → `redis://u:p@h1:7000/0`, `redis://u:p@h2:7001/0`, every seed with the
 * same user, password and scheme. A URL with one host comes back as it is.
 */
export function redisSeedUrls(url: string): string[] {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/i.exec(url);
  if (!m) return [url];
  const [, scheme, authority, rest] = m as unknown as [string, string, string, string];
  const at = authority.lastIndexOf('@');
  const auth = authority.slice(0, at + 1);
  return authority.slice(at + 1).split(',').map((host) => `${scheme}${auth}${host.trim()}${rest}`);
}
