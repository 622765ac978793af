import { connect } from 'node:net';

/** One HTTP response read off a raw socket (interim 1xx responses included, in order). */
export type RawResponse = { status: number; headers: Record<string, string>; body: Buffer };
export type RawExchange = {
  responses: RawResponse[];
  /** Bytes after the last response that do not parse as one (or a response cut short). */
  rest: Buffer;
  /** The server closed the socket (FIN or reset) within the bound. */
  closed: boolean;
  /** Neither closed nor fully answered within the bound: the socket hung. */
  hung: boolean;
  ms: number;
};

/**
 * Sends raw bytes on a fresh TCP connection, half-closes (FIN) unless told not to, and reads until the
 * server closes the socket or `timeoutMs` passes. `node:net`, not fetch: the bytes need not be HTTP.
 */
export function rawExchange(port: number, data: Buffer, o: { halfClose?: boolean; timeoutMs?: number; abort?: Promise<void> } = {}): Promise<RawExchange> {
  const timeoutMs = o.timeoutMs ?? 2000;
  const started = performance.now();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let done = false;
    const socket = connect({ port, host: '127.0.0.1', noDelay: true });
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const { responses, rest } = parseResponses(Buffer.concat(chunks));
      resolve({ responses, rest, closed, hung: !closed, ms: performance.now() - started });
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', () => finish(true)); // a reset is an answer too: the server let go of the socket
    socket.on('close', () => finish(true));
    socket.on('end', () => finish(true));
    socket.on('connect', () => {
      socket.write(data, () => { if (o.halfClose !== false) socket.end(); });
    });
    void o.abort?.then(() => finish(false));
  });
}

/** Splits a byte stream into HTTP/1.x responses (Content-Length, chunked, or to the end); what does not parse is `rest`. */
export function parseResponses(buf: Buffer): { responses: RawResponse[]; rest: Buffer } {
  const responses: RawResponse[] = [];
  let at = 0;
  while (at < buf.length) {
    const headEnd = buf.indexOf('\r\n\r\n', at);
    if (headEnd < 0) break;
    const head = buf.subarray(at, headEnd).toString('latin1').split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3})/.exec(head[0] ?? '');
    if (!m) break;
    const headers: Record<string, string> = {};
    for (const line of head.slice(1)) {
      const i = line.indexOf(':');
      if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    const status = Number(m[1]);
    let bodyStart = headEnd + 4;
    let body: Buffer;
    if (status < 200 || status === 204 || status === 304) body = Buffer.alloc(0);
    else if (headers['transfer-encoding']?.toLowerCase().includes('chunked')) {
      const parts: Buffer[] = [];
      for (;;) {
        const lineEnd = buf.indexOf('\r\n', bodyStart);
        if (lineEnd < 0) return { responses, rest: buf.subarray(at) };
        const size = parseInt(buf.subarray(bodyStart, lineEnd).toString('latin1'), 16);
        if (!Number.isFinite(size)) return { responses, rest: buf.subarray(at) };
        bodyStart = lineEnd + 2;
        if (size === 0) { const trailerEnd = buf.indexOf('\r\n', bodyStart); bodyStart = trailerEnd < 0 ? buf.length : trailerEnd + 2; break; }
        parts.push(buf.subarray(bodyStart, bodyStart + size));
        bodyStart += size + 2;
      }
      body = Buffer.concat(parts);
    } else if (headers['content-length'] !== undefined) {
      const n = Number(headers['content-length']);
      body = buf.subarray(bodyStart, bodyStart + n);
      bodyStart += n;
    } else { body = buf.subarray(bodyStart); bodyStart = buf.length; }
    responses.push({ status, headers, body });
    at = bodyStart;
    if (status === 101) break; // the rest is WebSocket frames
  }
  return { responses, rest: buf.subarray(at) };
}
