/**
 * The POS gateway (docs/gateways/pos.md): Square and Shopify webhooks and ARTS POSLog XML (posted, or dropped in
 * a folder) become canonical `pos` events, each published once per vendor sale and answered only after the broker
 * acknowledged it.
 */
import type { GatewayDefinition } from '../kit/definition.js';
import { PosConfig } from './config.js';
import { mountPost } from './http.js';
import { createIntake } from './intake.js';
import { createPosLogHandler, createPosLogProcessor, POSLOG_MAX_BYTES, watchPosLogFolder } from './poslog-source.js';
import { createShopifyHandler } from './shopify.js';
import { createSquareHandler } from './square.js';

/** Webhook bodies are small; an order of a few hundred lines stays far below this. */
const WEBHOOK_MAX_BYTES = 2 * 1024 * 1024;

export const definition: GatewayDefinition<typeof PosConfig> = {
  kind: 'pos',
  config: PosConfig,
  setup(rt, config) {
    const pos = config.pos;
    const log = rt.log.child({ mod: 'pos' });
    const intake = createIntake({ publisher: rt.publisher, metrics: rt.metrics, log, ackTimeoutMs: pos.ackTimeoutMs });
    const common = { metrics: rt.metrics, intake, log };
    if (pos.square) {
      const handle = createSquareHandler({ settings: pos, storeId: config.storeId, intake, log: log.child({ vendor: 'square' }) });
      mountPost(rt.app, pos.square.path, { ...common, maxBytes: WEBHOOK_MAX_BYTES, source: 'square', handle });
    }
    if (pos.shopify) {
      const handle = createShopifyHandler({ settings: pos, storeId: config.storeId, intake });
      mountPost(rt.app, pos.shopify.path, { ...common, maxBytes: WEBHOOK_MAX_BYTES, source: 'shopify', handle });
    }
    if (pos.poslog) {
      const deps = { settings: pos, storeId: config.storeId, intake, log: log.child({ vendor: 'poslog' }), metrics: rt.metrics };
      const process = createPosLogProcessor(deps);
      if (pos.poslog.token !== undefined) mountPost(rt.app, pos.poslog.path, { ...common, maxBytes: POSLOG_MAX_BYTES, source: 'poslog', handle: createPosLogHandler(deps, process) });
      if (pos.poslog.dir !== undefined) {
        const folder = watchPosLogFolder(deps, process);
        rt.onClose(() => folder.close());
      }
    }
    log.info({ square: !!pos.square, shopify: !!pos.shopify, poslogHttp: pos.poslog?.token !== undefined, poslogFolder: pos.poslog?.dir !== undefined }, 'pos gateway ready');
  },
};
