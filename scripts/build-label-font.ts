/**
 * One-off: builds the shelf-label font `engine/labels/fonts/aisle-label-sans-bold.otf` (docs/labels.md §Rendering),
 * its character list `coverage.txt` and the advance widths `engine/labels/font-metrics.ts` the layout measures with.
 *
 *   apt-get install fonts-noto-cjk      # Noto Sans CJK 2.004 (OFL-1.1), as a collection (.ttc)
 *   npx tsx scripts/build-label-font.ts [path/to/NotoSansCJK-Bold.ttc]
 *
 * Takes the Simplified Chinese face out of the collection, renames it "Aisle Label Sans" (a subset is a Modified
 * Version under the OFL, and a name of our own keeps a browser from silently using an installed Noto instead), and
 * subsets it with harfbuzz (`subset-font`) to: ASCII, Latin-1, common punctuation and currency signs, CJK punctuation
 * and full-width forms, every CJK character in the project's catalogs, demo data and displays, and the 3,755 most
 * common hanzi (GB 2312 level 1). No layout features are kept, so every renderer draws the plain advance widths the
 * layout measures (no kerning to disagree about).
 */
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import subsetFont from 'subset-font';

const ROOT = resolve(import.meta.dirname, '..');
const SOURCE = process.argv[2] ?? '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc';
const OUT_DIR = join(ROOT, 'engine/labels/fonts');
const FONT_FILE = 'aisle-label-sans-bold.otf';
const FAMILY = 'Aisle Label Sans';
const SOURCE_FAMILY = 'Noto Sans CJK SC';

// ---------- sfnt reading and writing ----------

interface Table { tag: string; data: Buffer }

function tableDirectory(buf: Buffer, at: number): Table[] {
  const n = buf.readUInt16BE(at + 4);
  const tables: Table[] = [];
  for (let i = 0; i < n; i++) {
    const rec = at + 12 + i * 16;
    const offset = buf.readUInt32BE(rec + 8);
    tables.push({ tag: buf.toString('latin1', rec, rec + 4), data: buf.subarray(offset, offset + buf.readUInt32BE(rec + 12)) });
  }
  return tables;
}

/** Every face of a collection (or the one face of a plain font file). */
function faces(buf: Buffer): Table[][] {
  if (buf.toString('latin1', 0, 4) !== 'ttcf') return [tableDirectory(buf, 0)];
  const count = buf.readUInt32BE(8);
  return Array.from({ length: count }, (_, i) => tableDirectory(buf, buf.readUInt32BE(12 + i * 4)));
}

function table(face: Table[], tag: string): Buffer {
  const t = face.find((x) => x.tag === tag);
  if (!t) throw new Error(`no ${tag} table`);
  return t.data;
}

/** A Windows/English name record's text (`undefined` when the font has none). */
function nameOf(face: Table[], id: number): string | undefined {
  const name = table(face, 'name');
  const count = name.readUInt16BE(2);
  const strings = name.readUInt16BE(4);
  for (let i = 0; i < count; i++) {
    const r = 6 + i * 12;
    const [platform, encoding, language, nameId, length, offset] = [0, 2, 4, 6, 8, 10].map((o) => name.readUInt16BE(r + o));
    if (platform === 3 && encoding === 1 && language === 0x409 && nameId === id) {
      return name.subarray(strings + offset!, strings + offset! + length!).swap16().toString('utf16le');
    }
  }
  return undefined;
}

/** A format-0 name table with Windows/Unicode/English records. */
function nameTable(records: Array<[number, string]>): Buffer {
  const sorted = [...records].sort((a, b) => a[0] - b[0]);
  const strings = sorted.map(([, text]) => Buffer.from(text, 'utf16le').swap16());
  const head = Buffer.alloc(6 + sorted.length * 12);
  head.writeUInt16BE(0, 0);
  head.writeUInt16BE(sorted.length, 2);
  head.writeUInt16BE(head.length, 4);
  let offset = 0;
  sorted.forEach(([id], i) => {
    const r = 6 + i * 12;
    [3, 1, 0x409, id, strings[i]!.length, offset].forEach((v, k) => head.writeUInt16BE(v, r + k * 2));
    offset += strings[i]!.length;
  });
  return Buffer.concat([head, ...strings]);
}

function checksum(data: Buffer): number {
  const padded = Buffer.concat([data, Buffer.alloc((4 - (data.length % 4)) % 4)]);
  let sum = 0;
  for (let i = 0; i < padded.length; i += 4) sum = (sum + padded.readUInt32BE(i)) >>> 0;
  return sum;
}

/** A standalone font file from a face's tables, with checksums and head.checkSumAdjustment set. */
function writeSfnt(tables: Table[]): Buffer {
  const sorted = [...tables].sort((a, b) => (a.tag < b.tag ? -1 : 1));
  const n = sorted.length;
  const entrySelector = Math.floor(Math.log2(n));
  const searchRange = 2 ** entrySelector * 16;
  const header = Buffer.alloc(12 + n * 16);
  header.write('OTTO', 0, 'latin1');
  [n, searchRange, entrySelector, n * 16 - searchRange].forEach((v, i) => header.writeUInt16BE(v, 4 + i * 2));
  const bodies: Buffer[] = [];
  let offset = header.length;
  let headAt = -1;
  sorted.forEach((t, i) => {
    const data = Buffer.from(t.data);
    if (t.tag === 'head') { data.writeUInt32BE(0, 8); headAt = offset; }
    const r = 12 + i * 16;
    header.write(t.tag, r, 'latin1');
    header.writeUInt32BE(checksum(data), r + 4);
    header.writeUInt32BE(offset, r + 8);
    header.writeUInt32BE(data.length, r + 12);
    const padded = Buffer.concat([data, Buffer.alloc((4 - (data.length % 4)) % 4)]);
    bodies.push(padded);
    offset += padded.length;
  });
  const out = Buffer.concat([header, ...bodies]);
  out.writeUInt32BE((0xb1b0afba - checksum(out)) >>> 0, headAt + 8);
  return out;
}

/** Code point → glyph id, from the cmap's format 12 (or format 4) subtable. */
function cmap(face: Table[]): Map<number, number> {
  const t = table(face, 'cmap');
  const map = new Map<number, number>();
  const subtables = Array.from({ length: t.readUInt16BE(2) }, (_, i) => ({
    platform: t.readUInt16BE(4 + i * 8), encoding: t.readUInt16BE(6 + i * 8), offset: t.readUInt32BE(8 + i * 8),
  }));
  const pick = subtables.find((s) => t.readUInt16BE(s.offset) === 12) ?? subtables.find((s) => t.readUInt16BE(s.offset) === 4);
  if (!pick) throw new Error('no usable cmap');
  const at = pick.offset;
  if (t.readUInt16BE(at) === 12) {
    const groups = t.readUInt32BE(at + 12);
    for (let g = 0; g < groups; g++) {
      const r = at + 16 + g * 12;
      const [start, end, glyph] = [t.readUInt32BE(r), t.readUInt32BE(r + 4), t.readUInt32BE(r + 8)];
      for (let c = start; c <= end; c++) map.set(c, glyph + c - start);
    }
    return map;
  }
  const segs = t.readUInt16BE(at + 6) / 2;
  const ends = at + 14;
  const starts = ends + segs * 2 + 2;
  const deltas = starts + segs * 2;
  const ranges = deltas + segs * 2;
  for (let s = 0; s < segs; s++) {
    const [end, start, delta, range] = [t.readUInt16BE(ends + s * 2), t.readUInt16BE(starts + s * 2), t.readInt16BE(deltas + s * 2), t.readUInt16BE(ranges + s * 2)];
    for (let c = start; c <= end && c !== 0xffff; c++) {
      const glyph = range === 0 ? c + delta : t.readUInt16BE(ranges + s * 2 + range + (c - start) * 2);
      if (glyph !== 0) map.set(c, (glyph + (range === 0 ? 0 : delta)) & 0xffff);
    }
  }
  return map;
}

function advance(face: Table[], glyph: number): number {
  const metrics = table(face, 'hhea').readUInt16BE(34);
  const hmtx = table(face, 'hmtx');
  return hmtx.readUInt16BE(Math.min(glyph, metrics - 1) * 4);
}

// ---------- the character set ----------

const range = (from: number, to: number) => String.fromCodePoint(...Array.from({ length: to - from + 1 }, (_, i) => from + i));

/** The 3,755 level-1 hanzi of GB 2312 (rows 16–55), the everyday set of Simplified Chinese. */
function gb2312Level1(): string {
  const gbk = new TextDecoder('gbk');
  let out = '';
  for (let hi = 0xb0; hi <= 0xd7; hi++) for (let lo = 0xa1; lo <= 0xfe; lo++) if (hi < 0xd7 || lo <= 0xf9) out += gbk.decode(Uint8Array.of(hi, lo));
  return out;
}

const CJK = /^(?:\p{Script=Han}|[\u3000-\u303f\uff00-\uffef])$/u;

/** CJK characters in the project's words: catalogs, demo rules, displays (files read as they are today). */
function projectCjk(): string {
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|json)$/.test(entry)) for (const ch of readFileSync(path, 'utf8')) if (CJK.test(ch)) found.add(ch);
    }
  };
  for (const dir of ['engine/i18n', 'engine/demo', 'engine/labels', 'displays']) walk(join(ROOT, dir));
  return [...found].join('');
}

const WANTED = [
  range(0x20, 0x7e), // ASCII
  range(0xa0, 0xff), // Latin-1: umlauts, ß, £, ¥, NBSP
  '–—‘’‚“”„•…‰‹›€™−№', // punctuation and currency signs prices and names use
  range(0x3000, 0x3011), '〔〕〖〗〜', // CJK punctuation
  range(0xff01, 0xff5e), range(0xffe0, 0xffe6), // full-width forms, ￥ ￡
  projectCjk(),
  gb2312Level1(),
].join('');

// ---------- build ----------

const source = faces(readFileSync(SOURCE)).find((f) => nameOf(f, 1) === SOURCE_FAMILY);
if (!source) throw new Error(`${SOURCE} has no "${SOURCE_FAMILY}" face`);
const version = nameOf(source, 5) ?? '';
const renamed = writeSfnt(source.map((t) => (t.tag !== 'name' ? t : {
  tag: 'name',
  data: nameTable([
    [0, nameOf(source, 0) ?? ''],
    [1, FAMILY], [2, 'Bold'], [3, `${FAMILY} Bold; subset of ${SOURCE_FAMILY} Bold ${version}`], [4, `${FAMILY} Bold`],
    [5, version], [6, 'AisleLabelSans-Bold'],
    [13, nameOf(source, 13) ?? 'SIL Open Font License, Version 1.1'], [14, nameOf(source, 14) ?? 'https://openfontlicense.org'],
  ]),
})));

const chars = [...new Set(WANTED)].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!).join('');
const font = await subsetFont(renamed, chars, {
  targetFormat: 'sfnt', noHinting: true, keepFeatures: [], preserveNameIds: [0, 1, 2, 3, 4, 5, 6, 13, 14],
  dropTables: ['vhea', 'vmtx', 'VORG', 'BASE', 'DSIG'],
});

const built = faces(font)[0]!;
const map = cmap(built);
const upem = table(built, 'head').readUInt16BE(18);
const covered = [...chars].filter((c) => map.has(c.codePointAt(0)!));
const missing = [...chars].filter((c) => !map.has(c.codePointAt(0)!));
const hhea = table(built, 'hhea');
// Widths that are not one em (every hanzi and full-width form is): the layout takes one em for the rest.
const widths = covered
  .map((c) => [c.codePointAt(0)!, advance(built, map.get(c.codePointAt(0)!)!)] as const)
  .filter(([, w]) => w !== upem);

writeFileSync(join(OUT_DIR, FONT_FILE), font);
writeFileSync(join(OUT_DIR, 'coverage.txt'), `${covered.join('')}\n`);
writeFileSync(join(ROOT, 'engine/labels/font-metrics.ts'), `/**
 * @module labels/font-metrics
 * Generated by scripts/build-label-font.ts from fonts/${FONT_FILE}: do not edit. Advance widths in font units of
 * every covered character narrower or wider than one em; every other covered character (hanzi, CJK punctuation,
 * full-width forms) is one em wide.
 */

/** The font's family name, as SVG text and @font-face name it. */
export const LABEL_FONT_FAMILY = ${JSON.stringify(FAMILY)};
/** The font file beside this module. */
export const LABEL_FONT_FILE = ${JSON.stringify(`fonts/${FONT_FILE}`)};
/** Units per em, ascender and descender (hhea), and the advance of the missing-glyph box. */
export const FONT_UNITS = { upem: ${upem}, ascender: ${hhea.readInt16BE(4)}, descender: ${hhea.readInt16BE(6)}, missingGlyph: ${advance(built, 0)} } as const;
/** Code point → advance width, for the characters whose width is not one em. */
export const ADVANCES: ReadonlyMap<number, number> = new Map([
${Array.from({ length: Math.ceil(widths.length / 10) }, (_, i) => `  ${widths.slice(i * 10, i * 10 + 10).map(([c, w]) => `[${c}, ${w}]`).join(', ')},`).join('\n')}
]);
/** How many characters the font draws (the list: fonts/coverage.txt). */
export const COVERED_CHARACTERS = ${covered.length};
`);
console.log(`${FONT_FILE}: ${font.length} bytes, ${covered.length} characters (${widths.length} not one em wide); missing from ${SOURCE_FAMILY}: ${missing.map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase()}`).join(' ') || 'none'}`);
