/** Bodies larger than this are refused with 413 (docs/gateways/meraki.md §Receiver). */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

/**
 * A request body as text, read up to `max` bytes: undefined when it is larger (by its Content-Length, or
 * once the bytes read pass it, for chunked bodies), so nothing larger is ever held in memory.
 */
export async function readBodyText(req: Request, max = MAX_BODY_BYTES): Promise<string | undefined> {
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > max) return undefined;
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) { await reader.cancel().catch(() => undefined); return undefined; }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}
