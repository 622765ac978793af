/**
 * The access point's HTTP API, as far as the bridge uses it (docs/gateways/openepaperlink.md §The access point):
 * `POST /imgupload` (multipart: `mac`, `dither`, `file`), `POST /jsonupload` (form: `mac`, `json`),
 * `GET /led_flash?mac=…&pattern=…` and `GET /get_db` (the tag records, paged with `pos`). Every answer is classified:
 * done, busy (the AP's "come back later": 409, or 503/429, or that text; or not reachable: try again later), or
 * refused (anything else: trying again will not help). Never throws.
 */
import { httpUrlOf, normalizeTagMac } from './config.js';

export type ApAnswer =
  | { outcome: 'ok' }
  | { outcome: 'busy'; detail: string }
  | { outcome: 'refused'; detail: string };

export type ApClient = {
  uploadImage(mac: string, image: Buffer, contentType: string, filename: string): Promise<ApAnswer>;
  uploadJson(mac: string, commands: unknown[]): Promise<ApAnswer>;
  flashLed(mac: string, pattern: string): Promise<ApAnswer>;
  /** Every tag record the AP knows (MAC and hardware type), or undefined when it cannot be read. */
  tagTypes(): Promise<Map<string, number> | undefined>;
};

const BUSY_TEXT = /come back later/i;

async function classify(res: Response): Promise<ApAnswer> {
  let body = '';
  try { body = (await res.text()).slice(0, 200); } catch { /* the status says enough */ }
  if (res.status === 409 || res.status === 503 || res.status === 429 || BUSY_TEXT.test(body)) {
    return { outcome: 'busy', detail: `${res.status} ${body.trim()}`.trim() };
  }
  if (res.ok) return { outcome: 'ok' };
  return { outcome: 'refused', detail: `${res.status} ${body.trim()}`.trim() };
}

export function createApClient(baseUrl: string, o: { timeoutMs?: number; fetch?: typeof fetch } = {}): ApClient {
  const f = o.fetch ?? fetch;
  const timeoutMs = o.timeoutMs ?? 15_000;
  const call = async (route: string, init: RequestInit = {}, query?: Record<string, string>): Promise<ApAnswer> => {
    const url = new URL(httpUrlOf(baseUrl, route));
    for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, v);
    try {
      return await classify(await f(url, { ...init, signal: AbortSignal.timeout(timeoutMs) }));
    } catch (err) {
      // Not reachable (rebooting, Wi-Fi gone) or too slow: like busy, worth another try later.
      return { outcome: 'busy', detail: `unreachable: ${(err as Error).message.slice(0, 120)}` };
    }
  };

  return {
    uploadImage(mac, image, contentType, filename) {
      const form = new FormData();
      form.set('mac', mac);
      // The image is already in the panel's three colours: dithering could only add noise.
      form.set('dither', '0');
      form.set('file', new Blob([new Uint8Array(image)], { type: contentType }), filename);
      return call('/imgupload', { method: 'POST', body: form });
    },
    uploadJson(mac, commands) {
      const body = new URLSearchParams({ mac, json: JSON.stringify(commands) });
      return call('/jsonupload', { method: 'POST', body });
    },
    flashLed(mac, pattern) {
      return call('/led_flash', { method: 'GET' }, { mac, pattern });
    },
    async tagTypes() {
      const types = new Map<string, number>();
      let pos = 0;
      for (let page = 0; page < 100; page++) {
        let json: unknown;
        try {
          const url = new URL(httpUrlOf(baseUrl, '/get_db'));
          if (pos > 0) url.searchParams.set('pos', String(pos));
          const res = await f(url, { signal: AbortSignal.timeout(timeoutMs) });
          if (!res.ok) return undefined;
          json = await res.json();
        } catch { return undefined; }
        const doc = json as { tags?: unknown; continu?: unknown };
        if (!Array.isArray(doc?.tags)) return undefined;
        for (const t of doc.tags as { mac?: unknown; hwType?: unknown }[]) {
          const mac = normalizeTagMac(t?.mac);
          if (mac && typeof t.hwType === 'number' && Number.isInteger(t.hwType)) types.set(mac, t.hwType);
        }
        if (typeof doc.continu !== 'number' || !Number.isInteger(doc.continu) || doc.continu <= pos) break;
        pos = doc.continu;
      }
      return types;
    },
  };
}
