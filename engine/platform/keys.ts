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
