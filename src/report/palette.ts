/**
 * Okabe–Ito colours (Okabe & Ito, "Color Universal Design", 2008), distinguishable with
 * the common colour-vision deficiencies, in an order that puts the strongest contrasts
 * on white first; past the fourth series lines are also dashed, so they stay apart in
 * grey print.
 */
export const OKABE_ITO = [
  "#0072B2", // blue
  "#E69F00", // orange
  "#009E73", // bluish green
  "#D55E00", // vermillion
  "#CC79A7", // reddish purple
  "#56B4E9", // sky blue
  "#000000", // black
  "#F0E442", // yellow (weak on white: last)
] as const;

const DASHES: readonly (number[] | null)[] = [
  null,
  null,
  null,
  null,
  [8, 4],
  [2, 3],
  [8, 3, 2, 3],
  [12, 4],
];

export function colour(i: number): string {
  return OKABE_ITO[i % OKABE_ITO.length]!;
}

export function dash(i: number): number[] | null {
  return DASHES[i % DASHES.length] ?? null;
}
