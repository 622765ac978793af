/** Anything shaped like a MAC address (with or without separators) or an e-mail address, anywhere in a text. */
// Separated (aa:bb:…, aa-bb-…, aabb.ccdd.eeff) or 12 bare hex digits with at least one letter: 12 bare decimal
// digits are far more often a barcode, a loyalty number or an order id than a MAC.
const MAC_ANYWHERE = /\b[0-9a-f]{2}([:-])[0-9a-f]{2}(?:\1[0-9a-f]{2}){4}\b|\b[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}\b|\b(?=[0-9]*[a-f])[0-9a-f]{12}\b/gi;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/** True when a text carries something shaped like a raw MAC or an e-mail address (the conformance suite's check). */
export function carriesPersonalId(text: string): boolean {
  MAC_ANYWHERE.lastIndex = 0;
  EMAIL.lastIndex = 0;
  return MAC_ANYWHERE.test(text) || EMAIL.test(text);
}

/** The text with every MAC- or e-mail-shaped part replaced: what gateways write to their logs. */
export function scrub(text: string): string {
  return text.replace(MAC_ANYWHERE, '[mac]').replace(EMAIL, '[email]');
}
