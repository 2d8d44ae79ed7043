import { Color, SRGBColorSpace } from 'three';
import { LABEL_PALETTE, labelColor } from '../gltf-transform/label-palette.js';

/** Label colours (sRGB hex): the same Tableau 10 palette the CLI writes into COLOR_0. */
export const SEGMENTATION_PALETTE: readonly string[] = LABEL_PALETTE;

/** The colour of `label` in `palette` (a three.js Color, in the working colour space); past the palette's end, darker rounds of it. */
export function labelColour(label: number, palette: readonly string[] = SEGMENTATION_PALETTE): Color {
  const [r, g, b] = labelColor(label, palette);
  return new Color().setRGB(r / 255, g / 255, b / 255, SRGBColorSpace);
}

/** `count` colours as sRGB bytes (RGB, 3 per label): what the overlay's palette texture holds. */
export function paletteBytes(count: number, palette: readonly string[] = SEGMENTATION_PALETTE): Uint8Array {
  const bytes = new Uint8Array(3 * count);
  for (let label = 0; label < count; label++) bytes.set(labelColor(label, palette), 3 * label);
  return bytes;
}
