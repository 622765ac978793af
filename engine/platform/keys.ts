/**
 * One part of a key that has several variable parts. Ids may contain ':' (the key separator) but never
 * '%', so escaping ':' keeps `alert:cooldown:a:b:c` apart for (a:b, c) and (a, b:c); ids without ':' (nearly all)
 * read exactly as docs/contracts.md §Redis keys shows them.
 */
const part = (id: string): string => id.replaceAll(':', '%3A');

/**
 * A Redis Cluster hash tag: only what is between the first `{` and the next `}` picks a key's slot, so keys
 * that carry the same tag live in one slot and one script, MULTI or MGET may touch them together. Ids match
 * ^[A-Za-z0-9._:-]{1,64}$ and the prefix ^[A-Za-z0-9._:-]{1,32}$: neither ever holds a brace, so the tag is
 * exactly the id. On a single Redis a tag is just part of the name.
 */
const tag = (id: string): string => `{${id}}`;

/** Every Redis key and channel the engine uses (docs/contracts.md §Redis keys). No module builds a key by hand. */
export function createKeys(prefix = 'aisle:') {
  return {
    prefix,
    /** The profile (`Profile` JSON); tagged by the customer, as is the de-dupe mark of every write to it (`seen`). */
    profile: (customerId: string) => `${prefix}profile:${tag(customerId)}`,
    device: (deviceId: string) => `${prefix}device:${deviceId}`,
    /** Hash: ruleId → the current `Rule` JSON (docs/rules-api.md). Tagged `{rules}` with every rule's history (one script changes both). */
    rules: () => `${prefix}${tag('rules')}`,
    /** List: the rule's `RuleVersion` JSON entries, newest first, at most 200; kept after a deletion. */
    ruleVersions: (ruleId: string) => `${prefix}${tag('rules')}:versions:${ruleId}`,
    /** Hash: experimentId → the current `Experiment` JSON (docs/experiments-api.md). Tagged `{experiments}` with every history. */
    experiments: () => `${prefix}${tag('experiments')}`,
    /** List: the experiment's `ExperimentVersion` JSON entries, newest first, at most 200; kept after a deletion. */
    experimentVersions: (experimentId: string) => `${prefix}${tag('experiments')}:versions:${experimentId}`,
    /** List: the customer's newest impressions (`ImpressionRecord` JSON), bounded, with a TTL (docs/experiments.md). */
    impressions: (customerId: string) => `${prefix}impressions:${customerId}`,
    /**
     * Experiment counters per arm: sets of exposed and converted shoppers, impressions, revenue per shopper. Every
     * counter and de-dupe mark of an experiment carries its tag: one script counts an event into them together.
     */
    experimentExposed: (experimentId: string, armId: string) => `${prefix}exp:${tag(part(experimentId))}:${part(armId)}:exposed`,
    experimentConverted: (experimentId: string, armId: string) => `${prefix}exp:${tag(part(experimentId))}:${part(armId)}:converted`,
    /** Hash per arm: `impressions` count; and per customer their attributed revenue. */
    experimentCounts: (experimentId: string, armId: string) => `${prefix}exp:${tag(part(experimentId))}:${part(armId)}:counts`,
    experimentRevenue: (experimentId: string, armId: string) => `${prefix}exp:${tag(part(experimentId))}:${part(armId)}:revenue`,
    /** De-dupe marks: an impression (per decision) or a purchase (per event) counts once per experiment. */
    experimentMark: (experimentId: string, kind: 'imp' | 'conv', id: string) => `${prefix}exp:${tag(part(experimentId))}:${kind}:${part(id)}`,
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
    /** Hash: year → visits, per customer (counted once per visit, for associates' alerts); tagged by the customer. */
    visitsByYear: (customerId: string) => `${prefix}visits:year:${tag(customerId)}`,
    /** De-dupe mark: a visit is counted once; the customer's tag, as it is counted together with `visitsByYear`. */
    visitMark: (customerId: string, storeId: string, deviceId: string, enteredAt: number) =>
      `${prefix}visits:mark:${tag(customerId)}:${part(storeId)}:${part(deviceId)}:${enteredAt}`,
    /** Change notices between instances: alerts and claims (`AlertNotice` JSON) for associates connected elsewhere. */
    alertsChanged: () => `${prefix}alerts:changed`,
    /** The store configuration as last PUT (it wins over the file, which only seeds it). */
    store: (storeId: string) => `${prefix}store:${storeId}`,
    /**
     * Durable de-duplication of a state-changing event, set with its effect (docs/delivery.md): the mark of an event
     * that changes a profile carries that profile's tag, so the profile, the mark and the script that sets both share a slot.
     */
    seen: (customerId: string, storeId: string, eventId: string) => `${prefix}seen:${tag(customerId)}:${part(storeId)}:${part(eventId)}`,
    /** Change notices: the payload is `{origin}|{customerId}` of the profile that changed. */
    profileChanged: () => `${prefix}profile:changed`,
    /** Change notices: the payload is `{origin}|{ruleId}` of the rule that changed. */
    rulesChanged: () => `${prefix}rules:changed`,
    /** Change notices: the payload is `{origin}|{experimentId}` of the experiment that changed. */
    experimentsChanged: () => `${prefix}experiments:changed`,
    /** Change notices: the payload is `{origin}|{storeId}` of the configuration that changed. */
    storeChanged: () => `${prefix}store:changed`,
    /** Store partitions (docs/scale.md): the instance holding partition `n`, with a TTL it renews (`Kv.lease`). */
    lease: (partition: number) => `${prefix}lease:p${partition}`,
    /** Hash: instance id → its heartbeat entry, with a TTL renewed by every heartbeat. */
    instances: () => `${prefix}instances`,
    /** Hash: deviceId → `Visit` JSON of the store's open visits, with a TTL (`Kv.hsetMany`); tagged by the store. */
    visits: (storeId: string) => `${prefix}visits:${tag(storeId)}`,
    /** Requests between instances: `{origin}|{storeId}|{screenId}`, a screen joined an instance that does not decide its store (docs/scale.md). */
    screensWanted: () => `${prefix}screens:wanted`,
  };
}
export type Keys = ReturnType<typeof createKeys>;
