/** The single source of every message type that crosses a boundary (docs/contracts.md). */
export * from './ids.js';
export * from './events.js';
export * from './profile.js';
export * from './store-config.js';
export * from './tokens.js';
export * from './ws.js';
export * from './decision.js';
export * from './model-manifest.js';
export * from './topics.js';
export * from './visit.js';
export * from './journal.js';
export * from './parse.js';
export * from './rule.js';
export * from './preview.js';
export * from './experiment.js';
export * from './models-api.js';
export * from './associates.js';
