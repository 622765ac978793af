/**
 * The MQTT port. One inbound handler receives every message of the bus's subscriptions; it is
 * registered before connecting so a persistent session's queued messages are never dropped.
 * A QoS 1 message is acknowledged only when the handler's promise resolves (docs/delivery.md);
 * a handler that returns nothing has its message acknowledged at once. Acknowledgements leave in
 * arrival order, as MQTT requires, but handling is not serialised: up to `maxUnacked` messages
 * are worked on at the same time.
 */
export type MessageHandler = (topic: string, payload: Buffer) => void | Promise<void>;

export interface Bus {
  readonly kind: 'embedded' | 'client';
  /** Where gateways and the simulator reach this broker. */
  readonly url: string;
  subscribe(filter: string): Promise<void>;
  publish(topic: string, payload: string | Buffer, qos?: 0 | 1): Promise<void>;
  isUp(): boolean;
  /** Messages taken and not yet acknowledged. */
  readonly unacked: number;
  /**
   * Stops taking messages (new ones stay unacknowledged, so the broker redelivers them to the next
   * session) and waits up to `timeoutMs` for those held to finish and be acknowledged.
   */
  stopTaking(timeoutMs: number): Promise<void>;
  /** Stops delivery; a persistent session keeps queueing for the next start. */
  close(): Promise<void>;
}
