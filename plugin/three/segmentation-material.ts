import { DataTexture, LessEqualDepth, NearestFilter, RGBAFormat, ShaderMaterial, UnsignedByteType } from 'three';

const VERTEX_SHADER = /* glsl */ `
attribute vec3 barycentric;
attribute vec3 cornerLabels;
attribute vec3 cornerConfidences;
varying vec3 vBarycentric;
varying vec3 vCornerLabels;
varying vec3 vCornerConfidences;
varying vec3 vViewPosition;
void main() {
  vBarycentric = barycentric;
  vCornerLabels = cornerLabels;
  vCornerConfidences = cornerConfidences;
  vec4 viewPosition = modelViewMatrix * vec4(position, 1.0);
  vViewPosition = viewPosition.xyz;
  gl_Position = projectionMatrix * viewPosition;
}`;

const FRAGMENT_SHADER = /* glsl */ `
uniform sampler2D palette;
uniform float paletteSize;
uniform float opacity;
uniform float highlight;
uniform float confidenceView;
uniform float shade;
varying vec3 vBarycentric;
varying vec3 vCornerLabels;
varying vec3 vCornerConfidences;
varying vec3 vViewPosition;

// Low confidence dark purple, high confidence yellow (viridis end points and middle).
vec3 confidenceColour(float c) {
  vec3 low = vec3(0.267, 0.005, 0.329), mid = vec3(0.128, 0.567, 0.551), high = vec3(0.993, 0.906, 0.144);
  return c < 0.5 ? mix(low, mid, c * 2.0) : mix(mid, high, c * 2.0 - 1.0);
}

void main() {
  // The nearest corner's label: the largest barycentric weight, ties to the lower corner.
  float label = vCornerLabels.x;
  float confidence = vCornerConfidences.x;
  if (vBarycentric.y > vBarycentric.x && vBarycentric.y >= vBarycentric.z) { label = vCornerLabels.y; confidence = vCornerConfidences.y; }
  else if (vBarycentric.z > vBarycentric.x && vBarycentric.z > vBarycentric.y) { label = vCornerLabels.z; confidence = vCornerConfidences.z; }
  label = floor(label + 0.5);
  if (label < 0.0 || label >= paletteSize) discard;
  vec4 entry = texture2D(palette, vec2((label + 0.5) / paletteSize, 0.5));
  if (entry.a < 0.5) discard;
  vec3 colour = confidenceView > 0.5 ? confidenceColour(clamp(confidence, 0.0, 1.0)) : entry.rgb;
  float alpha = opacity;
  if (highlight >= 0.0 && abs(label - highlight) > 0.5) {
    colour = mix(colour, vec3(0.6), 0.75);
    alpha *= 0.4;
  }
  // Flat shading from screen-space derivatives keeps the shape readable at full opacity.
  vec3 normal = normalize(cross(dFdx(vViewPosition), dFdy(vViewPosition)));
  float light = mix(1.0, 0.45 + 0.55 * abs(normal.z), shade);
  gl_FragColor = vec4(colour * light, alpha);
}`;

/** Uniforms of the overlay material, set through {@link SegmentationOverlay}. */
export interface SegmentationUniforms {
  palette: { value: DataTexture };
  paletteSize: { value: number };
  opacity: { value: number };
  highlight: { value: number };
  confidenceView: { value: number };
  shade: { value: number };
  [name: string]: { value: unknown };
}

/** A palette texture: RGB per label (sRGB bytes, shown as they are), alpha 255 when the label is visible. */
export function createPaletteTexture(colours: Uint8Array, visible: readonly boolean[]): DataTexture {
  const count = Math.max(1, colours.length / 3);
  const data = new Uint8Array(4 * count);
  for (let label = 0; label < colours.length / 3; label++) {
    data.set(colours.subarray(3 * label, 3 * label + 3), 4 * label);
    data[4 * label + 3] = visible[label] === false ? 0 : 255;
  }
  const texture = new DataTexture(data, count, 1, RGBAFormat, UnsignedByteType);
  texture.magFilter = NearestFilter;
  texture.minFilter = NearestFilter;
  texture.needsUpdate = true;
  return texture;
}

/**
 * The overlay's material: nearest-corner labels coloured from a palette texture, drawn over the
 * target's own surface (polygon offset, no depth writes) so the target's material is untouched.
 * Colours are written as given (sRGB), without tone mapping, so a legend swatch matches the screen.
 */
export function createSegmentationMaterial(palette: DataTexture, options: { opacity: number; shade: number }): ShaderMaterial & { uniforms: SegmentationUniforms } {
  const uniforms: SegmentationUniforms = {
    palette: { value: palette },
    paletteSize: { value: palette.image.width },
    opacity: { value: options.opacity },
    highlight: { value: -1 },
    confidenceView: { value: 0 },
    shade: { value: options.shade },
  };
  const material = new ShaderMaterial({
    name: 'SegmentationOverlayMaterial',
    uniforms,
    vertexShader: VERTEX_SHADER,
    fragmentShader: FRAGMENT_SHADER,
    transparent: true,
    depthWrite: false,
    depthFunc: LessEqualDepth,
    polygonOffset: true,
    polygonOffsetFactor: -1,
    polygonOffsetUnits: -4,
    toneMapped: false,
  });
  return material as ShaderMaterial & { uniforms: SegmentationUniforms };
}
