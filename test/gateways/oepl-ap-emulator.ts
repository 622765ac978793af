/**
 * An emulator of an OpenEPaperLink access point's documented HTTP and WebSocket API, for the label bridge's tests
 * (gateways/openepaperlink). Written from the AP's documentation and behaviour, not its code:
 *
 * - `POST /imgupload` (multipart: `mac`, `dither`, `file`): 200 "Ok, saved"; 400 "parameters incomplete" without a
 *   mac, "mac not found" for an unknown tag; 409 "Come back later" while busy. A PNG upload is decoded (pngjs).
 * - `POST /jsonupload` (form: `mac`, `json`): 200 "Ok, saved"; 400 "Missing parameters" / "mac not found in tagDB";
 *   409 "come back later" while busy.
 * - `GET /led_flash?mac=…&pattern=<24 hex digits>`: 200 "ok, request transmitted"; 400 otherwise.
 * - `GET /get_db[?pos=N]`: `{ "tags": [ … ] }` (records as the AP's WebSocket sends them).
 * - WebSocket `/ws`: `{ "tags": [ record ] }` when a tag checks in or its content changes (an upload re-sends the
 *   tag's record, wake reason unchanged, as the AP does), and `{ "sys": { "currtime" } }` now and then.
 *
 * Busy mode (`busy(n)`) answers the next n uploads and LED commands "come back later" (409 by default, or 503).
 * Everything received is recorded.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PNG } from 'pngjs';
import { WebSocketServer, type WebSocket } from 'ws';

export type EmulatedTag = { mac: string; hwType: number; alias?: string };

export type TagRecordOut = {
  mac: string; hash: string; lastseen: number; nextupdate: number; nextcheckin: number; pending: number; alias: string;
  contentMode: number; LQI: number; RSSI: number; temperature: number; batteryMv: number; hwType: number;
  wakeupReason: number; capabilities: number; modecfgjson: string; isexternal: boolean; apip: string; rotate: number;
  lut: number; invert: number; updatecount: number; updatelast: number; ch: number; ver: number;
};

export type ImageUpload = {
  mac: string; dither: string | undefined; contentType: string; filename: string; bytes: Buffer;
  /** When the file is a PNG: its size and pixels (RGBA). */
  png?: { width: number; height: number; data: Buffer };
  at: number;
};
export type JsonUpload = { mac: string; json: unknown; at: number };
export type LedCommand = { mac: string; pattern: string; at: number };
export type BusyAnswer = { route: string; status: number; at: number };

const WAKE = { timed: 0, nfc: 3, button1: 4, button2: 5 } as const;

export async function startApEmulator(o: { tags: EmulatedTag[]; busyStatus?: 409 | 503 } = { tags: [] }) {
  const tags = new Map<string, TagRecordOut>();
  const now = () => Math.floor(Date.now() / 1000);
  const addTag = (t: EmulatedTag) => {
    tags.set(t.mac.toUpperCase(), {
      mac: t.mac.toUpperCase(), hash: '0'.repeat(32), lastseen: now(), nextupdate: 0, nextcheckin: now() + 40, pending: 0,
      alias: t.alias ?? '', contentMode: 0, LQI: 100, RSSI: -60, temperature: 21, batteryMv: 2900, hwType: t.hwType,
      wakeupReason: WAKE.timed, capabilities: 0x2b, modecfgjson: '', isexternal: false, apip: '0.0.0.0', rotate: 0, lut: 0,
      invert: 0, updatecount: 0, updatelast: 0, ch: 11, ver: 0x0026,
    });
  };
  for (const t of o.tags) addTag(t);

  const images: ImageUpload[] = [];
  const jsons: JsonUpload[] = [];
  const leds: LedCommand[] = [];
  const busyAnswers: BusyAnswer[] = [];
  const received: { method: string; path: string; at: number }[] = [];
  let busyLeft = 0;
  let busyStatus: number = o.busyStatus ?? 409;
  const clients = new Set<WebSocket>();

  const send = (res: ServerResponse, status: number, text: string, type = 'text/plain') => {
    res.writeHead(status, { 'content-type': type, 'access-control-allow-origin': '*' });
    res.end(text);
  };
  const broadcast = (msg: unknown) => { const s = JSON.stringify(msg); for (const c of clients) c.send(s); };
  const sendTag = (mac: string) => { const t = tags.get(mac); if (t) broadcast({ tags: [t] }); };
  const readBody = (req: IncomingMessage) => new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
  const takeBusy = (route: string, res: ServerResponse): boolean => {
    if (busyLeft <= 0) return false;
    busyLeft--;
    busyAnswers.push({ route, status: busyStatus, at: Date.now() });
    send(res, busyStatus, route === '/imgupload' ? 'Come back later' : 'come back later');
    return true;
  };
  /** The AP's hex2mac: 12 or 16 hex digits. */
  const macOf = (s: string | null | undefined) => {
    if (!s || !/^[0-9A-Fa-f]{12}([0-9A-Fa-f]{4})?$/.test(s)) return undefined;
    return s.length === 12 ? `0000${s.toUpperCase()}` : s.toUpperCase();
  };
  /** After new content, the AP re-sends the tag's record (pending one more; wake reason as it was). */
  const contentQueued = (mac: string, mode: number) => {
    const t = tags.get(mac)!;
    t.pending += 1;
    t.contentMode = mode;
    t.updatecount += 1;
    t.updatelast = now();
    sendTag(mac);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://ap');
    received.push({ method: req.method ?? '', path: url.pathname, at: Date.now() });
    if (req.method === 'POST' && url.pathname === '/imgupload') {
      const body = await readBody(req);
      if (takeBusy('/imgupload', res)) return;
      let form: FormData;
      try {
        form = await new Request('http://ap/imgupload', { method: 'POST', body, headers: { 'content-type': req.headers['content-type'] ?? '' } }).formData();
      } catch { return send(res, 400, 'parameters incomplete'); }
      const mac = macOf(form.get('mac') as string | null);
      const file = form.get('file');
      if (!form.get('mac') || !(file instanceof Blob)) return send(res, 400, 'parameters incomplete');
      if (!mac || !tags.has(mac)) return send(res, 400, 'mac not found');
      const bytes = Buffer.from(await file.arrayBuffer());
      const up: ImageUpload = { mac, dither: (form.get('dither') as string | null) ?? undefined, contentType: file.type, filename: (file as File).name ?? '', bytes, at: Date.now() };
      if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
        try { const png = PNG.sync.read(bytes); up.png = { width: png.width, height: png.height, data: png.data }; } catch { /* recorded as bytes */ }
      }
      images.push(up);
      send(res, 200, 'Ok, saved');
      contentQueued(mac, 24);
      return;
    }
    if (req.method === 'POST' && url.pathname === '/jsonupload') {
      const body = await readBody(req);
      if (takeBusy('/jsonupload', res)) return;
      const params = new URLSearchParams(body.toString('utf8'));
      const mac = macOf(params.get('mac'));
      const text = params.get('json');
      if (!params.get('mac') || text === null) return send(res, 400, 'Missing parameters');
      if (!mac || !tags.has(mac)) return send(res, 400, 'mac not found in tagDB');
      let json: unknown;
      try { json = JSON.parse(text); } catch { json = text; }
      jsons.push({ mac, json, at: Date.now() });
      send(res, 200, 'Ok, saved');
      contentQueued(mac, 19);
      return;
    }
    if (req.method === 'GET' && url.pathname === '/led_flash') {
      if (takeBusy('/led_flash', res)) return;
      const mac = macOf(url.searchParams.get('mac'));
      if (!mac || !tags.has(mac)) return send(res, 400, 'parameters are missing');
      const pattern = url.searchParams.get('pattern');
      if (pattern !== null && !/^[0-9A-Fa-f]{24}$/.test(pattern)) return send(res, 400, 'Error: expects 12 hex bytes in pattern');
      leds.push({ mac, pattern: pattern ?? '0'.repeat(24), at: Date.now() });
      return send(res, 200, 'ok, request transmitted');
    }
    if (req.method === 'GET' && url.pathname === '/get_db') {
      const all = [...tags.values()];
      const mac = url.searchParams.get('mac');
      if (mac !== null) {
        const m = macOf(mac);
        if (!m) return send(res, 200, JSON.stringify({ error: 'malformatted parameter' }), 'application/json');
        return send(res, 200, JSON.stringify({ tags: all.filter((t) => t.mac === m) }), 'application/json');
      }
      // Pages of three records, to exercise `continu`.
      const pos = Number(url.searchParams.get('pos') ?? 0) || 0;
      const page = all.slice(pos, pos + 3);
      return send(res, 200, JSON.stringify({ tags: page, ...(pos + 3 < all.length ? { continu: pos + 3 } : {}) }), 'application/json');
    }
    send(res, 404, '');
  }

  const server: Server = createServer((req, res) => { void handle(req, res).catch(() => { if (!res.headersSent) send(res, 500, 'error'); }); });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://ap').pathname !== '/ws') { socket.destroy(); return; }
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
      ws.send(JSON.stringify({ sys: { currtime: now(), heap: 100_000, recordcount: tags.size, apstate: 1, runstate: 2 } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;

  /** A check-in of a tag with a wake-up reason: its record, then `extra` more frames as its state changes (pending, next update). */
  function checkIn(mac: string, wakeupReason: number, extra = 0): void {
    const t = tags.get(mac.toUpperCase());
    if (!t) throw new Error(`unknown tag ${mac}`);
    t.wakeupReason = wakeupReason;
    t.lastseen = now();
    t.nextcheckin = t.lastseen + 40;
    sendTag(t.mac);
    for (let i = 0; i < extra; i++) {
      t.nextupdate = now() + 60 + i;
      t.pending = Math.max(0, t.pending - 1);
      sendTag(t.mac);
      broadcast({ sys: { currtime: now(), heap: 99_000 } });
    }
  }

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    images, jsons, leds, busyAnswers, received,
    tag: (mac: string) => tags.get(mac.toUpperCase()),
    addTag,
    /** The next n uploads and LED commands answer "come back later" (with `status`, 409 by default). */
    busy(n: number, status?: 409 | 503) { busyLeft = n; if (status) busyStatus = status; },
    /** Button 1 or 2, or an NFC reader, wakes the tag: one check-in, reported in 1 + extra frames. */
    press(mac: string, how: 'button1' | 'button2' | 'nfc' = 'button1', extra = 2) { checkIn(mac, WAKE[how], extra); },
    /** An ordinary (timed) check-in. */
    checkIn: (mac: string, extra = 0) => checkIn(mac, WAKE.timed, extra),
    /** Any message on the WebSocket, as is. */
    broadcastRaw(text: string) { for (const c of clients) c.send(text); },
    wsClients: () => clients.size,
    /** Drops every WebSocket client (an AP reboot, Wi-Fi gone). */
    dropClients() { for (const c of clients) c.terminate(); },
    async close(): Promise<void> {
      for (const c of clients) c.terminate();
      wss.close();
      await new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); });
    },
  };
}
export type ApEmulator = Awaited<ReturnType<typeof startApEmulator>>;
