/**
 * Colours of class labels as sRGB bytes: the Tableau 10 palette (distinct for up to ten classes,
 * readable by most colour-blind people), repeated with lower lightness beyond ten.
 */
const TABLEAU_10: readonly (readonly [number, number, number])[] = [
  [78, 121, 167], [242, 142, 43], [225, 87, 89], [118, 183, 178], [89, 161, 79],
  [237, 201, 72], [176, 122, 161], [255, 157, 167], [156, 117, 95], [186, 176, 172],
];

/** sRGB bytes [r, g, b] of label `k`. */
export function labelColor(k: number): [number, number, number] {
  const [r, g, b] = TABLEAU_10[k % TABLEAU_10.length]!;
  // Each further round of ten is darker, so labels 0 and 10 stay apart.
  const shade = 0.7 ** Math.floor(k / TABLEAU_10.length);
  return [Math.round(r * shade), Math.round(g * shade), Math.round(b * shade)];
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
