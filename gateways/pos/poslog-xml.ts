import { XMLParser } from 'fast-xml-parser';

/** A parsed XML element: its children by local name (one, or an array when repeated), `@Attr` attributes, `#text`. */
export type XmlNode = string | { [name: string]: unknown };

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  // `x:LoyaltyID` and `LoyaltyID` read alike: vendors put their extensions under prefixes of their own.
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

/**
 * A POSLog document's `Transaction` elements (under a `POSLog` root, or a lone `Transaction` root), or why not.
 * A DOCTYPE is refused before parsing: POSLog needs none, and refusing it rules out entity expansion tricks.
 */
export function parsePosLogDocument(text: string): { ok: true; transactions: XmlNode[] } | { ok: false; reason: string } {
  if (/<!DOCTYPE/i.test(text)) return { ok: false, reason: 'xml_doctype' };
  let doc: unknown;
  try { doc = parser.parse(text, true); } catch { return { ok: false, reason: 'xml' }; }
  if (!isElement(doc)) return { ok: false, reason: 'xml' };
  if (Object.hasOwn(doc, 'POSLog')) return { ok: true, transactions: children(doc.POSLog, 'Transaction') };
  if (Object.hasOwn(doc, 'Transaction')) return { ok: true, transactions: children(doc, 'Transaction') };
  return { ok: false, reason: 'not_poslog' };
}

const isElement = (n: unknown): n is Record<string, unknown> => n !== null && typeof n === 'object' && !Array.isArray(n);

/** The child elements called `name` (none, one or many alike). */
export function children(node: unknown, name: string): XmlNode[] {
  if (!isElement(node) || !Object.hasOwn(node, name)) return [];
  const v = node[name];
  const all = Array.isArray(v) ? v : [v];
  return all.filter((x): x is XmlNode => typeof x === 'string' || isElement(x));
}

/** The first child element called `name`. */
export const child = (node: unknown, name: string): XmlNode | undefined => children(node, name)[0];

/** An element's text (trimmed; undefined when it has none). */
export function text(node: unknown): string | undefined {
  const t = typeof node === 'string' ? node : isElement(node) && typeof node['#text'] === 'string' ? node['#text'] : undefined;
  return t === undefined || t.trim() === '' ? undefined : t.trim();
}

/** An attribute of an element (namespace prefix removed). */
export function attr(node: unknown, name: string): string | undefined {
  if (!isElement(node)) return undefined;
  const v = node[`@${name}`];
  return typeof v === 'string' ? v.trim() : undefined;
}

/** Text of the first element called one of `names` (tried in order) anywhere below `node`, depth first, at most 32 levels down. */
export function findText(node: unknown, names: readonly string[]): string | undefined {
  for (const name of names) {
    const found = search(node, name, 0);
    if (found !== undefined) return found;
  }
  return undefined;
}

function search(node: unknown, name: string, depth: number): string | undefined {
  if (!isElement(node) || depth > 32) return undefined;
  for (const c of children(node, name)) {
    const t = text(c);
    if (t !== undefined) return t;
  }
  for (const [key, v] of Object.entries(node)) {
    if (key.startsWith('@') || key === '#text') continue;
    for (const c of Array.isArray(v) ? v : [v]) {
      const t = search(c, name, depth + 1);
      if (t !== undefined) return t;
    }
  }
  return undefined;
}
