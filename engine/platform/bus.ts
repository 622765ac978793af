/**
 * The MQTT port. One inbound handler receives every message of the bus's subscriptions; it is
 * registered before connecting so a persistent session's queued messages are never dropped.
 * A handler may return a promise to apply backpressure: the message is acknowledged (QoS 1)
 * only when that promise settles.
 */
export type MessageHandler = (topic: string, payload: Buffer) => void | Promise<void>;

export interface Bus {
  readonly kind: 'embedded' | 'client';
  /** Where gateways and the simulator reach this broker. */
  readonly url: string;
  subscribe(filter: string): Promise<void>;
  publish(topic: string, payload: string | Buffer, qos?: 0 | 1): Promise<void>;
  isUp(): boolean;
  /** Stops delivery; a persistent session keeps queueing for the next start. */
  close(): Promise<void>;
}
