/** Money and quantities as vendors write them, turned into the decimals of a `pos` event (docs/gateways/pos.md §Money and quantities). */

const exponents = new Map<string, number | undefined>();
let known: Set<string> | undefined;

/** The minor-unit exponent of an ISO 4217 currency as Intl reports it (JPY 0, USD 2, KWD 3); undefined for a code Intl does not know. */
export function currencyExponent(code: unknown): number | undefined {
  if (typeof code !== 'string' || !/^[A-Z]{3}$/.test(code)) return undefined;
  if (exponents.has(code)) return exponents.get(code);
  known ??= new Set(Intl.supportedValuesOf('currency'));
  const digits = known.has(code)
    ? new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits
    : undefined;
  exponents.set(code, digits);
  return digits;
}

/** `x` rounded to `decimals` places, without the binary noise of `x * 10 ** d` (0.1 + 0.2 stays 0.3). */
export function roundTo(x: number, decimals: number): number {
  return Number(x.toFixed(decimals));
}

/** An integer amount in minor units (Square's `amount`) as a decimal: 1099 USD → 10.99, 1500 JPY → 1500. */
export function fromMinorUnits(amount: unknown, exponent: number): number | undefined {
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount)) return undefined;
  return roundTo(amount / 10 ** exponent, exponent);
}

const DECIMAL = /^[+-]?\d{1,15}(?:\.\d{1,12})?$/;

/** A decimal written as text ("12.90", Shopify's and POSLog's money) or a finite JSON number; undefined for anything else. */
export function parseDecimal(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw !== 'string') return undefined;
  const s = raw.trim();
  return DECIMAL.test(s) ? Number(s) : undefined;
}

/** Money in a currency: a decimal, rounded to its minor unit. */
export function parseMoney(raw: unknown, exponent: number): number | undefined {
  const x = parseDecimal(raw);
  return x === undefined ? undefined : roundTo(x, exponent);
}

/** Quantities keep at most six decimals (a milligram of a weighed item); nothing real is finer. */
export const QTY_DECIMALS = 6;
const MAX_QTY = 1_000_000;

/**
 * A line quantity: Square's string ("2", "0.42"), Shopify's integer, POSLog's text ("0.420" kg). Positive and
 * at most a million; undefined for anything else (zero included: a line of nothing is no purchase).
 */
export function parseQuantity(raw: unknown): number | undefined {
  const x = parseDecimal(raw);
  if (x === undefined) return undefined;
  const q = roundTo(x, QTY_DECIMALS);
  return q > 0 && q <= MAX_QTY ? q : undefined;
}
