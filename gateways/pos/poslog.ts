import type { PosLine } from '#contracts';
import type { PosSettings } from './config.js';
import { purchase } from './event.js';
import { lookup, mapCustomer, mapSku, safeId } from './ids.js';
import { ignored, refused, type Built } from './intake.js';
import { currencyExponent, parseMoney, parseQuantity, roundTo } from './money.js';
import { attr, child, children, findText, text, type XmlNode } from './poslog-xml.js';
import { toEpochMs } from './time.js';

const TRUE = (v: string | undefined) => v?.toLowerCase() === 'true' || v === '1';
/** RetailTransaction/@TransactionStatus values that are no sale. */
const NOT_SOLD = new Set(['voided', 'postvoided', 'canceled', 'cancelled', 'suspended', 'suspendedretrieved', 'aborted']);
/** Totals tried in order for the purchase's total. */
const TOTAL_TYPES = ['TransactionGrandAmount', 'TransactionNetAmount'];

export type PosLogContext = { storeId: string; settings: PosSettings; now: () => number };

/** One transaction: the keys that identify it (for de-duplication) and, lazily, its event or why there is none. */
export type PosLogSale = { keys: string[]; build(): Built };

/**
 * An ARTS POSLog `Transaction` as a `pos` event (docs/gateways/pos.md §ARTS POSLog). Its identity is
 * RetailStoreID + WorkstationID + SequenceNumber + BusinessDayDate, so the same transaction sent again, by POST
 * or in another file, is a duplicate. Undefined keys (one of the four missing) make it a refusal.
 */
export function posLogSale(tx: XmlNode, ctx: PosLogContext): PosLogSale {
  const cfg = ctx.settings.poslog!;
  const store = text(child(tx, 'RetailStoreID'));
  const workstation = text(child(tx, 'WorkstationID'));
  const sequence = text(child(tx, 'SequenceNumber'));
  const day = text(child(tx, 'BusinessDayDate'));
  const natural = `${store}:${workstation}:${sequence}:${day}`;
  if (!store || !workstation || !sequence || !day || natural.length > 400) return { keys: [], build: () => refused(422, 'transaction_id') };
  return {
    keys: [`poslog:${natural}`],
    build(): Built {
      const here = cfg.locations === undefined ? store === ctx.storeId : lookup(cfg.locations, store) === ctx.storeId;
      if (!here) return ignored('location');
      if (TRUE(attr(tx, 'CancelFlag'))) return ignored('cancelled');
      if (TRUE(attr(tx, 'TrainingModeFlag'))) return ignored('training');
      const rt = child(tx, 'RetailTransaction');
      if (rt === undefined) return ignored('not_a_sale');
      if (NOT_SOLD.has((attr(rt, 'TransactionStatus') ?? '').toLowerCase())) return ignored('voided');
      const currency = text(child(tx, 'CurrencyCode')) ?? text(child(rt, 'CurrencyCode'))
        ?? children(rt, 'Total').map((t) => attr(t, 'Currency') ?? attr(t, 'CurrencyCode')).find((c) => c !== undefined) ?? cfg.currency;
      const exp = currencyExponent(currency);
      if (currency === undefined || exp === undefined) return refused(422, 'currency');

      const lines: PosLine[] = [];
      let sum = 0;
      let returns = 0;
      for (const li of children(rt, 'LineItem')) {
        if (TRUE(attr(li, 'VoidFlag'))) continue;
        if (child(li, 'Return') !== undefined) { returns++; continue; }
        const sale = child(li, 'Sale');
        if (sale === undefined) continue;
        const qtyNode = child(sale, 'Quantity');
        const qty = qtyNode === undefined ? 1 : parseQuantity(text(qtyNode) ?? attr(qtyNode, 'Units'));
        if (qty === undefined) return refused(422, 'quantity');
        const price = (name: string) => { const t = text(child(sale, name)); return t === undefined ? undefined : parseMoney(t, exp); };
        const extended = price('ExtendedAmount');
        const unit = price('ActualSalesUnitPrice') ?? price('RegularSalesUnitPrice') ?? (extended !== undefined ? roundTo(extended / qty, exp) : undefined);
        if (unit === undefined || unit < 0) return refused(422, 'price');
        sum += extended ?? unit * qty;
        const sku = mapSku(ctx.settings.skuMap, [text(child(sale, 'ItemID')), text(child(child(sale, 'POSIdentity'), 'POSItemID'))]);
        if (sku !== undefined) lines.push({ sku, qty, unitPrice: unit });
      }
      if (lines.length === 0 && returns > 0) return ignored('return');

      const totals = children(rt, 'Total');
      const stated = TOTAL_TYPES.map((type) => totals.find((t) => attr(t, 'TotalType') === type)).find((t) => t !== undefined);
      const total = stated !== undefined ? parseMoney(text(stated), exp) : roundTo(sum, exp);
      if (total === undefined) return refused(422, 'total');
      if (total < 0) return ignored('return');

      const when = text(child(tx, 'EndDateTime')) ?? text(child(tx, 'BeginDateTime')) ?? text(child(rt, 'ReceiptDateTime'));
      return purchase({
        id: safeId('poslog:', natural),
        ts: toEpochMs(when, cfg.timezone) ?? ctx.now(),
        storeId: ctx.storeId,
        transactionId: safeId('', text(child(tx, 'TransactionID')) ?? natural),
        customerId: mapCustomer(ctx.settings.customers, findText(tx, cfg.loyaltyElements)),
        currency, total, lines,
      });
    },
  };
}
