import { EVENT_TYPES, type EventType } from './events.js';

/** docs/contracts.md §MQTT topics and events: the topic layout. */
export const TOPIC_ROOT = 'aisle/v1';
export const INBOUND_SUBSCRIPTION = `${TOPIC_ROOT}/stores/+/+`;
export const DEADLETTER_TOPIC = `${TOPIC_ROOT}/deadletter`;

export const eventTopic = (storeId: string, type: EventType): string => `${TOPIC_ROOT}/stores/${storeId}/${type}`;
export const decisionsTopic = (storeId: string): string => `${TOPIC_ROOT}/stores/${storeId}/decisions`;
export const alertsTopic = (storeId: string): string => `${TOPIC_ROOT}/stores/${storeId}/alerts`;
/** Engines only: frames for screens whose socket another instance holds. */
export const framesTopic = (storeId: string): string => `${TOPIC_ROOT}/stores/${storeId}/frames`;
/** What the engine consumes besides the transactional types (their own session): presence, and frames of other instances. */
export const ENGINE_SUBSCRIPTIONS = [`${TOPIC_ROOT}/stores/+/presence`, `${TOPIC_ROOT}/stores/+/frames`] as const;

export type ParsedTopic =
  | { kind: 'event'; storeId: string; type: EventType }
  | { kind: 'outbound'; storeId: string; type: 'decisions' | 'alerts' | 'frames' }
  | { kind: 'unknown'; storeId?: string; type?: string };

/** Splits `aisle/v1/stores/{storeId}/{type}`. Outbound topics share the wildcard and must be told apart. */
export function parseTopic(topic: string): ParsedTopic {
  const parts = topic.split('/');
  if (parts.length !== 5 || parts[0] !== 'aisle' || parts[1] !== 'v1' || parts[2] !== 'stores') return { kind: 'unknown' };
  const storeId = parts[3]!;
  const type = parts[4]!;
  if ((EVENT_TYPES as readonly string[]).includes(type)) return { kind: 'event', storeId, type: type as EventType };
  if (type === 'decisions' || type === 'alerts' || type === 'frames') return { kind: 'outbound', storeId, type };
  return { kind: 'unknown', storeId, type };
}
