/**
 * Life stages of demo catalog items (catalog `lifeStages`, the `lifeStage` trigger), from words in the real
 * product name that say who the item is for. Only explicit words count: a "Spaceboy" or "Dolly Girl" design
 * is liked by children but not made for them, so it gets no stage.
 */
const STAGES: readonly (readonly [stage: string, words: RegExp])[] = [
  ['newborn', /\b(?:BABY|BABIES|NEWBORN|INFANTS?)\b/],
  ['toddler', /\bTODDLERS?\b/],
  ['child', /\b(?:CHILDRENS?|CHILDREN'S|CHILDS?|CHILD'S|KIDS|KID'S)\b/],
];

/** The stages a product name names, in life order; undefined when none. */
export function lifeStagesFor(name: string): string[] | undefined {
  const n = name.toUpperCase();
  const stages = STAGES.filter(([, re]) => re.test(n)).map(([s]) => s);
  return stages.length ? stages : undefined;
}
