/**
 * @module shared/testing
 * Helpers for browser tests of the displays (never imported by app code).
 */

/** `querySelectorAll` that also searches every open shadow root below `root`. */
export function deepQueryAll<E extends Element = HTMLElement>(root: ParentNode, selector: string): E[] {
  const out: E[] = [...root.querySelectorAll<E>(selector)];
  if (root instanceof Element && root.shadowRoot) out.push(...deepQueryAll<E>(root.shadowRoot, selector));
  for (const el of root.querySelectorAll('*')) if (el.shadowRoot) out.push(...deepQueryAll<E>(el.shadowRoot, selector));
  return out;
}

/** Text of every match, trimmed and with whitespace collapsed. */
export function deepTexts(root: ParentNode, selector: string): string[] {
  return deepQueryAll(root, selector).map((e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim());
}

/** A scriptable stand-in for the browser WebSocket (tests cannot open a server in browser mode). */
export class FakeSocket {
  static instances: FakeSocket[] = [];
  static get last(): FakeSocket { return FakeSocket.instances.at(-1)!; }
  static reset(): void { FakeSocket.instances = []; }

  readyState = 0;
  sent: Array<Record<string, unknown>> = [];
  closedByClient = false;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: string }) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;

  constructor(readonly url: string) { FakeSocket.instances.push(this); }

  send(data: string): void { this.sent.push(JSON.parse(data) as Record<string, unknown>); }
  close(): void { this.closedByClient = true; this.readyState = 3; }

  // --- driven by the test, as the server would ---
  open(): void { this.readyState = 1; this.onopen?.({}); }
  message(frame: object): void { this.onmessage?.({ data: JSON.stringify(frame) }); }
  serverClose(): void { this.readyState = 3; this.onclose?.({}); }
  sentOfType(type: string): Array<Record<string, unknown>> { return this.sent.filter((f) => f['type'] === type); }
}

/** Casts FakeSocket to the constructor type `AisleWsClient` accepts. */
export const FakeWebSocket = FakeSocket as unknown as new (url: string) => WebSocket;

export const welcome = (seq = 0, heartbeatMs = 15_000) =>
  ({ type: 'welcome', role: 'screen', storeId: 's-001', target: 'scr-1', seq, heartbeatMs, serverTime: Date.now() });

/** Waits until `check` neither throws nor returns undefined/null/false (or rethrows its last error after `timeoutMs`). */
export async function until<T>(check: () => T, timeoutMs = 3000): Promise<NonNullable<T>> {
  const start = Date.now();
  for (;;) {
    try {
      const v = check();
      if (v !== undefined && v !== null && v !== false) return v as NonNullable<T>;
      throw new Error('not yet');
    } catch (err) {
      if (Date.now() - start > timeoutMs) throw err;
      await new Promise((r) => setTimeout(r, 15));
    }
  }
}

/** An in-memory Storage (localStorage stand-in) for one test. */
export function memoryStorage(): Storage {
  const m = new Map<string, string>();
  return {
    get length() { return m.size; },
    clear: () => m.clear(),
    getItem: (k) => m.get(k) ?? null,
    key: (i) => [...m.keys()][i] ?? null,
    removeItem: (k) => { m.delete(k); },
    setItem: (k, v) => { m.set(k, String(v)); },
  };
}

