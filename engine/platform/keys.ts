/** Every Redis key and channel the engine uses (docs/contracts.md §Redis keys). No module builds a key by hand. */
export function createKeys(prefix = 'aisle:') {
  return {
    prefix,
    profile: (customerId: string) => `${prefix}profile:${customerId}`,
    device: (deviceId: string) => `${prefix}device:${deviceId}`,
    visit: (storeId: string, deviceId: string) => `${prefix}visit:${storeId}:${deviceId}`,
    rules: () => `${prefix}rules`,
    impressions: (customerId: string) => `${prefix}impressions:${customerId}`,
    /** Durable de-duplication of state-changing events (POS): SET NX with a TTL. */
    seen: (storeId: string, eventId: string) => `${prefix}seen:${storeId}:${eventId}`,
    /** Change notices: the payload is the customerId whose profile changed. */
    profileChanged: () => `${prefix}profile:changed`,
    rulesChanged: () => `${prefix}rules:changed`,
  };
}
export type Keys = ReturnType<typeof createKeys>;
