/**
 * A label's `flash` as the AP's LED command (docs/gateways/openepaperlink.md §Flash): `GET /led_flash?mac=…&pattern=…`
 * with a pattern of 12 bytes in hex, which the AP hands to the tag as is. The bytes (the tag firmware's `ledFlash`):
 *
 * | byte | meaning |
 * | --- | --- |
 * | 0 | low nibble: mode (1 = flash, 0 = off); high nibble: how long each blink lights (brightness) |
 * | 1, 4, 7 | colour of sequence 1, 2, 3 (RGB332: `rrrgggbb`) |
 * | 2, 5, 8 | low nibble: blinks in the sequence; high nibble: time between blinks (×100 ms) |
 * | 3, 6, 9 | pause after the sequence (×100 ms) |
 * | 10 | the sequences run this many times, plus one |
 * | 11 | spare (0) |
 *
 * The bridge uses one sequence: three blinks half a second apart and a half-second pause, two seconds a round, repeated
 * for as long as the flash lasts (rounded up to whole rounds).
 */
import type { LabelUpdate } from '#contracts';

type LabelColor = NonNullable<LabelUpdate['flash']>['color'];

/** The flash colours in RGB332, the LED's colour format. */
export const LED_COLORS: Readonly<Record<LabelColor, number>> = {
  green: 0x1c, red: 0xe0, blue: 0x03, yellow: 0xfc, white: 0xff,
};

/** Blink length nibble: about 2 ms, which the tag firmware's notes give as the best compromise of visibility and battery. */
const BLINK = 2;
const BLINKS_PER_ROUND = 3;
/** ×100 ms. */
const BLINK_INTERVAL = 5;
const PAUSE = 5;
export const ROUND_MS = (BLINKS_PER_ROUND * BLINK_INTERVAL + PAUSE) * 100;

/** The 12-byte pattern (24 hex digits, upper case) that flashes `color` for about `durationMs`. */
export function ledPattern(color: LabelColor, durationMs: number): string {
  const rounds = Math.min(256, Math.max(1, Math.ceil(durationMs / ROUND_MS)));
  const bytes = new Uint8Array(12);
  bytes[0] = (BLINK << 4) | 1;
  bytes[1] = LED_COLORS[color];
  bytes[2] = (BLINK_INTERVAL << 4) | BLINKS_PER_ROUND;
  bytes[3] = PAUSE;
  bytes[10] = rounds - 1;
  return Buffer.from(bytes).toString('hex').toUpperCase();
}

/** The pattern that stops a flash (mode 0). */
export const LED_OFF = '00'.repeat(12);
