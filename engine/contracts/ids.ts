import { z } from 'zod';

/** DESIGN.md §MQTT: every identifier matches this pattern. */
export const ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

export const Id = z.string().regex(ID_PATTERN, 'must match ^[A-Za-z0-9._:-]{1,64}$');
export const StoreId = Id;
export const DeviceId = Id;
export const CustomerId = Id;
export const ZoneId = Id;
export const ScreenId = Id;
export const LabelId = Id;
export const Sku = Id;

/** Epoch milliseconds. */
export const EpochMs = z.number().int().nonnegative();
