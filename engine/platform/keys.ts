/**
 * One part of a key that has several variable parts. Ids may contain ':' (the key separator) but never
 * '%', so escaping ':' keeps `visit:{a:b}:{c}` and `visit:{a}:{b:c}` apart; ids without ':' (nearly all)
 * read exactly as docs/contracts.md §Redis keys shows them.
 */
const part = (id: string): string => id.replaceAll(':', '%3A');

/** Every Redis key and channel the engine uses (docs/contracts.md §Redis keys). No module builds a key by hand. */
export function createKeys(prefix = 'aisle:') {
  return {
    prefix,
    profile: (customerId: string) => `${prefix}profile:${customerId}`,
    device: (deviceId: string) => `${prefix}device:${deviceId}`,
    visit: (storeId: string, deviceId: string) => `${prefix}visit:${part(storeId)}:${part(deviceId)}`,
    /** Hash: ruleId → the current `Rule` JSON (docs/rules-api.md). */
    rules: () => `${prefix}rules`,
    /** List: the rule's `RuleVersion` JSON entries, newest first, at most 200; kept after a deletion. */
    ruleVersions: (ruleId: string) => `${prefix}rules:versions:${ruleId}`,
    /** Hash: experimentId → the current `Experiment` JSON (docs/experiments-api.md). */
    experiments: () => `${prefix}experiments`,
    /** List: the experiment's `ExperimentVersion` JSON entries, newest first, at most 200; kept after a deletion. */
    experimentVersions: (experimentId: string) => `${prefix}experiments:versions:${experimentId}`,
    /** List: the customer's newest impressions (`ImpressionRecord` JSON), bounded, with a TTL (docs/experiments.md). */
    impressions: (customerId: string) => `${prefix}impressions:${customerId}`,
    /** Experiment counters per arm: sets of exposed and converted shoppers, impressions, revenue per shopper. */
    experimentExposed: (experimentId: string, armId: string) => `${prefix}exp:${part(experimentId)}:${part(armId)}:exposed`,
    experimentConverted: (experimentId: string, armId: string) => `${prefix}exp:${part(experimentId)}:${part(armId)}:converted`,
    /** Hash per arm: `impressions` count; and per customer their attributed revenue. */
    experimentCounts: (experimentId: string, armId: string) => `${prefix}exp:${part(experimentId)}:${part(armId)}:counts`,
    experimentRevenue: (experimentId: string, armId: string) => `${prefix}exp:${part(experimentId)}:${part(armId)}:revenue`,
    /** De-dupe marks: an impression (per decision) or a purchase (per event) counts once per experiment. */
    experimentMark: (experimentId: string, kind: 'imp' | 'conv', id: string) => `${prefix}exp:${part(experimentId)}:${kind}:${part(id)}`,
    /** Associates (docs/associates.md). Arrival cooldown: set (NX) when a VIP's arrival alert goes out. */
    alertCooldown: (storeId: string, customerId: string) => `${prefix}alert:cooldown:${part(storeId)}:${part(customerId)}`,
    /** The open alert (`AlertVip` JSON, full state with its claim), with a TTL. */
    alert: (storeId: string, alertId: string) => `${prefix}alert:${part(storeId)}:${part(alertId)}`,
    /** The customer's open alert id in a store (taps and lingering update it), with the alert's TTL. */
    alertOf: (storeId: string, customerId: string) => `${prefix}alert:of:${part(storeId)}:${part(customerId)}`,
    /** List: the store's alert ids, newest first (replay after a restart), bounded, with a TTL. */
    alerts: (storeId: string) => `${prefix}alerts:${storeId}`,
    /** Who holds an alert: the associate id, set only if absent (exactly one claim wins). */
    alertClaim: (storeId: string, alertId: string) => `${prefix}alert:claim:${part(storeId)}:${part(alertId)}`,
    /** List: associate views of profiles (`AuditEntry` JSON), newest first, bounded. */
    audit: (storeId: string) => `${prefix}audit:${storeId}`,
    /** Hash: year → visits, per customer (counted once per visit, for associates' alerts). */
    visitsByYear: (customerId: string) => `${prefix}visits:${customerId}`,
    /** De-dupe mark: a visit is counted once. */
    visitMark: (storeId: string, deviceId: string, enteredAt: number) => `${prefix}visits:mark:${part(storeId)}:${part(deviceId)}:${enteredAt}`,
    /** Change notices between instances: alerts and claims (`AlertNotice` JSON) for associates connected elsewhere. */
    alertsChanged: () => `${prefix}alerts:changed`,
    /** The store configuration as last PUT (it wins over the file, which only seeds it). */
    store: (storeId: string) => `${prefix}store:${storeId}`,
    /** Durable de-duplication of state-changing events, set with their effect (docs/delivery.md). */
    seen: (storeId: string, eventId: string) => `${prefix}seen:${part(storeId)}:${part(eventId)}`,
    /** Change notices: the payload is `{origin}|{customerId}` of the profile that changed. */
    profileChanged: () => `${prefix}profile:changed`,
    /** Change notices: the payload is `{origin}|{ruleId}` of the rule that changed. */
    rulesChanged: () => `${prefix}rules:changed`,
    /** Change notices: the payload is `{origin}|{experimentId}` of the experiment that changed. */
    experimentsChanged: () => `${prefix}experiments:changed`,
    /** Change notices: the payload is `{origin}|{storeId}` of the configuration that changed. */
    storeChanged: () => `${prefix}store:changed`,
  };
}
export type Keys = ReturnType<typeof createKeys>;
