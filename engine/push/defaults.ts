import { MAX_WS_FRAME_BYTES } from '#contracts';

/** The defaults of HubOptions (each documented there; docs/contracts.md §Security and privacy for the edge bounds). */
export const HUB_DEFAULTS = {
  heartbeatMs: 15_000, helloTimeoutMs: 5_000, maxBufferedBytes: 256 * 1024, maxPendingFrames: 10_000, closeTimeoutMs: 2_000,
  maxPayloadBytes: MAX_WS_FRAME_BYTES, maxConnections: 10_000, maxConnectionsPerAddress: 256, maxConnectionsPerToken: 8,
  exemptAddresses: ['127.0.0.0/8', '::1'] as readonly string[], trustedProxies: [] as readonly string[],
  maxFramesPerSecond: 20, frameBurst: 40, maxDroppedFrames: 200,
} as const;
