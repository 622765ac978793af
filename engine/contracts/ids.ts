import { z } from 'zod';

/** docs/contracts.md §MQTT topics and events: every identifier matches this pattern. */
export const ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

export const Id = z.string().regex(ID_PATTERN, 'must match ^[A-Za-z0-9._:-]{1,64}$');
export const StoreId = Id;
/** Six hex octets, with or without separators: what a raw Wi-Fi/BLE MAC address looks like as a whole id. */
export const MAC_PATTERN = /^([0-9A-Fa-f]{2}[:.-]?){5}[0-9A-Fa-f]{2}$/;
/** A MAC written with separators anywhere inside an id: aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff. */
const MAC_INSIDE = [
  /(?:^|[^0-9A-Fa-f])[0-9A-Fa-f]{2}([:-])(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}(?![0-9A-Fa-f])/,
  /(?:^|[^0-9A-Fa-f])[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}(?![0-9A-Fa-f])/,
];

/** True when an id is, or contains, something shaped like a raw MAC address. */
export const looksLikeMac = (s: string): boolean => MAC_PATTERN.test(s) || MAC_INSIDE.some((re) => re.test(s));

/**
 * A pseudonymous device id. docs/contracts.md §Security and privacy: raw MAC addresses never enter the engine; gateways
 * pseudonymise them (keyed HMAC), so an id that is or contains anything shaped like a MAC is refused.
 */
export const DeviceId = Id.refine((s) => !looksLikeMac(s), 'looks like a raw MAC address; gateways must pseudonymise device ids');
export const CustomerId = Id;
export const ZoneId = Id;
export const ScreenId = Id;
export const LabelId = Id;
export const Sku = Id;

/** Epoch milliseconds. */
export const EpochMs = z.number().int().nonnegative();
