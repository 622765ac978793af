import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseUntrusted, StoreId, ZoneId } from '#contracts';

/**
 * A secret in a gateway's configuration file: the value itself (tests, demos) or `env:NAME`, read from the
 * environment at start-up, so the file can be committed and the secret kept elsewhere (docs/gateways.md).
 */
export const Secret = z.string().min(1).transform((v, ctx) => {
  if (!v.startsWith('env:')) return v;
  const value = process.env[v.slice(4)];
  if (!value) { ctx.addIssue({ code: 'custom', message: `environment variable ${v.slice(4)} is not set` }); return z.NEVER; }
  return value;
});

/** What every gateway's configuration has (docs/gateways.md §Configuration). */
export const GatewayBase = z.object({
  /** Names this gateway in logs, metrics and its MQTT client id. */
  gatewayId: z.string().regex(/^[A-Za-z0-9._-]{1,48}$/),
  storeId: StoreId,
  mqtt: z.object({
    /** The broker, with the gateway's own user and password (its ACL lets it publish this store's events only); `env:NAME` keeps the password out of the file. */
    url: Secret.refine((v) => /^(mqtts?|tcp|wss?):\/\//.test(v), 'must be an mqtt://, mqtts://, ws:// or wss:// URL (or env:NAME holding one)'),
    /** Events held while the broker is unreachable, at most. */
    maxBuffered: z.number().int().min(1).max(1_000_000).default(10_000),
  }).strict(),
  /** The health and metrics endpoints (and the vendor's webhooks, for HTTP gateways). */
  http: z.object({ host: z.string().default('0.0.0.0'), port: z.number().int().min(0).max(65535).default(8090) }).strict().default({ host: '0.0.0.0', port: 8090 }),
  /** Key of the device pseudonyms (HMAC-SHA256): at least 32 characters; the same for every gateway of a store. */
  pseudonymKey: Secret.refine((v) => v.length >= 32, 'must be at least 32 characters'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
}).strict();
export type GatewayBase = z.infer<typeof GatewayBase>;

/** Vendor place names (a floor, an access point, a room) → the store's zones. */
export const ZoneMap = z.record(z.string().min(1).max(200), ZoneId);

export class GatewayConfigError extends Error {}

/** Reads and validates a gateway's JSON configuration; the error names the file and the field. */
export function loadGatewayConfig<S extends z.ZodType>(path: string, schema: S): z.output<S> {
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch (err) { throw new GatewayConfigError(`${path}: cannot read (${(err as Error).message})`); }
  let json: unknown;
  try { json = JSON.parse(text); } catch (err) { throw new GatewayConfigError(`${path}: not JSON (${(err as Error).message})`); }
  const r = parseUntrusted(schema, json);
  if (!r.success) {
    const lines = r.error.issues.slice(0, 5).map((i) => `  ${i.path.join('.') || '(top)'}: ${i.message}`);
    throw new GatewayConfigError(`${path}: invalid gateway configuration\n${lines.join('\n')}`);
  }
  return r.data as z.output<S>;
}
