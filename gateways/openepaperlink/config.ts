/**
 * The OpenEPaperLink bridge's configuration (docs/gateways/openepaperlink.md §Configuration): the kit's common part and
 * `oepl`: the engine to follow, the access point to drive, and which tag shows which shelf label.
 */
import { z } from 'zod';
import { LabelDisplay, LabelId, looksLikeMac } from '#contracts';
import { GatewayBase, Secret } from '../kit/config.js';
import { carriesPersonalId } from '../kit/scrub.js';

/**
 * A tag's MAC as the access point spells it: 16 upper-case hex digits (8 octets, most significant first). The AP also
 * accepts 12 digits and reads them as the low six octets (the top two are zero), so `AABBCCDDEEFF` is
 * `0000AABBCCDDEEFF`; separators (`:`, `-`, `.`, space) and case do not matter. Undefined when it is not a MAC.
 */
export function normalizeTagMac(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || raw.length > 40) return undefined;
  const hex = raw.trim().replace(/[:.\-\s]/g, '').toUpperCase();
  if (/^[0-9A-F]{16}$/.test(hex)) return hex;
  if (/^[0-9A-F]{12}$/.test(hex)) return `0000${hex}`;
  return undefined;
}

/**
 * OpenEPaperLink hardware types (`hwType` in the AP's tag records, `tagtypes/XX.json` in its repository) whose panel
 * is one of the label layouts: the black/white/red 2.9" (296×128) and 4.2" (400×300) M2 tags. Any other type is drawn
 * for the display the engine's frame names (or the default), which the AP then scales or crops.
 */
export const HW_TYPE_DISPLAYS: Readonly<Record<number, LabelDisplay>> = {
  0x01: 'bwr-296x128', // M2 2.9"
  0x11: 'bwr-296x128', // M2 2.9" (UC8151)
  0x02: 'bwr-400x300', // M2 4.2"
};

const TagEntry = z.union([
  LabelId,
  z.object({
    labelId: LabelId,
    /** The panel, when it is known: wins over everything else. */
    display: LabelDisplay.optional(),
    /** The AP's hardware type of the tag (decimal, e.g. 1 for the 2.9" M2, 2 for the 4.2"), mapped through HW_TYPE_DISPLAYS. */
    hwType: z.number().int().min(0).max(255).optional(),
  }).strict(),
]);

const HttpUrl = (what: string) => z.string().regex(/^https?:\/\/[^\s/?#]+/, `must be the http:// or https:// address of ${what}`);

export const OeplSettings = z.object({
  /** The Aislecast engine: its /ws is followed as a label gateway. */
  engineUrl: HttpUrl('the Aislecast engine'),
  /** A `label-gateway` token of this store (its subject names the gateway: the hello sends no gatewayId). */
  token: Secret,
  /** The OpenEPaperLink access point, e.g. http://192.168.1.40. */
  accessPoint: HttpUrl('the access point'),
  /** Tag MAC → the shelf label it shows (a labelId, or `{ labelId, display?, hwType? }`). */
  tags: z.record(z.string(), TagEntry),
  /** `png`: the engine's own rendering uploaded to /imgupload; `json`: drawing commands to /jsonupload, drawn by the AP. */
  mode: z.enum(['png', 'json']).default('json'),
  /** One press often yields several tag frames: frames of a tag within this window are one press. */
  debounceMs: z.number().int().min(0).max(60_000).default(1500),
  /** An AP that answers "come back later" (409/503) or cannot be reached is asked again this often, waiting backoffMs, then twice as long each time. */
  retry: z.object({
    attempts: z.number().int().min(1).max(20).default(5),
    backoffMs: z.number().int().min(10).max(60_000).default(1000),
  }).strict().default({ attempts: 5, backoffMs: 1000 }),
}).strict();

export type TagInfo = { mac: string; labelId: string; display?: LabelDisplay; hwType?: number };

/** The tags, keyed by normalized MAC, checked: every key a MAC, no tag twice, no label on two tags, no MAC-shaped labelId. */
export const OeplConfig = GatewayBase.extend({ oepl: OeplSettings }).strict().superRefine((cfg, ctx) => {
  const macs = new Set<string>();
  const labels = new Set<string>();
  for (const [key, entry] of Object.entries(cfg.oepl.tags)) {
    const path = ['oepl', 'tags', key];
    const mac = normalizeTagMac(key);
    if (!mac) { ctx.addIssue({ code: 'custom', path, message: 'must be a tag MAC (16 or 12 hex digits, separators allowed)' }); continue; }
    if (macs.has(mac)) ctx.addIssue({ code: 'custom', path, message: `tag ${mac} is listed twice` });
    macs.add(mac);
    const labelId = typeof entry === 'string' ? entry : entry.labelId;
    // Events carry labelIds: one shaped like a hardware address would put one on the broker.
    if (looksLikeMac(labelId) || carriesPersonalId(labelId) || normalizeTagMac(labelId)) {
      ctx.addIssue({ code: 'custom', path, message: 'labelId must not look like a MAC address (events carry labelIds, never hardware addresses)' });
    }
    if (labels.has(labelId)) ctx.addIssue({ code: 'custom', path, message: `label ${labelId} is on two tags` });
    labels.add(labelId);
  }
});
export type OeplConfig = z.output<typeof OeplConfig>;

/** The configured tags, by normalized MAC and by labelId. Call only on a validated configuration. */
export function tagDirectory(cfg: OeplConfig['oepl']) {
  const byMac = new Map<string, TagInfo>();
  const byLabel = new Map<string, TagInfo>();
  for (const [key, entry] of Object.entries(cfg.tags)) {
    const mac = normalizeTagMac(key)!;
    const info: TagInfo = typeof entry === 'string' ? { mac, labelId: entry } : { mac, ...entry };
    byMac.set(mac, info);
    byLabel.set(info.labelId, info);
  }
  return { byMac, byLabel };
}

/**
 * The panel a tag is drawn for: what the configuration says (display, then hwType), else the hardware type the AP
 * reported for it, else the frame's display (the store configuration's), else undefined (the renderer's default).
 */
export function tagDisplay(tag: TagInfo, seenHwType: number | undefined, frameDisplay: LabelDisplay | undefined): LabelDisplay | undefined {
  if (tag.display) return tag.display;
  const configured = tag.hwType !== undefined ? HW_TYPE_DISPLAYS[tag.hwType] : undefined;
  if (configured) return configured;
  const seen = seenHwType !== undefined ? HW_TYPE_DISPLAYS[seenHwType] : undefined;
  return seen ?? frameDisplay;
}

/** `http(s)://host[/base]` → `ws(s)://host[/base]/ws`. */
export function wsUrlOf(httpUrl: string, path = '/ws'): string {
  const u = new URL(httpUrl);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  u.pathname = `${u.pathname.replace(/\/+$/, '')}${path}`;
  u.search = '';
  u.hash = '';
  return u.toString();
}

/** `http(s)://host[/base]` + `/route` (no double slashes). */
export function httpUrlOf(base: string, route: string): string {
  const u = new URL(base);
  u.pathname = `${u.pathname.replace(/\/+$/, '')}${route}`;
  u.search = '';
  u.hash = '';
  return u.toString();
}
