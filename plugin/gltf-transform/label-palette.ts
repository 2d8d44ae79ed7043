/**
 * Label colours as CSS hex (sRGB): Tableau 10, distinct for up to ten classes and readable by
 * most colour-blind people. The three.js overlay and glTF COLOR_0 both use it.
 */
export const LABEL_PALETTE: readonly string[] = [
  '#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac',
];

/** sRGB bytes [r, g, b] of label `k`; past the palette's end, each further round of ten is darker, so labels 0 and 10 stay apart. */
export function labelColor(k: number, palette: readonly string[] = LABEL_PALETTE): [number, number, number] {
  const css = palette[k % palette.length]!;
  const shade = 0.7 ** Math.floor(k / palette.length);
  return [1, 3, 5].map((i) => Math.round(parseInt(css.slice(i, i + 2), 16) * shade)) as [number, number, number];
}

/** Linear-light RGB in [0, 1] of label `k`, as glTF's COLOR_0 expects. */
export function labelColorLinear(k: number): [number, number, number] {
  const toLinear = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const [r, g, b] = labelColor(k);
  return [toLinear(r), toLinear(g), toLinear(b)];
}
