import * as THREE from 'three';
import type { OverlayPick, SegmentationOverlay } from 'erlangen/three';
import type { ViewerScene } from './viewer-scene.js';

/** What the pointer can pick: the mesh on screen and its overlay. */
export interface Pickable {
  readonly mesh: THREE.Mesh;
  readonly overlay: SegmentationOverlay | null;
}

/** Callbacks of {@link installPointerPicking}. */
export interface PointerPickingHandlers {
  /** The pointer moved over `pick` (null: over nothing labelled); `x`, `y` are canvas pixels. */
  hover(pick: OverlayPick | null, x: number, y: number): void;
  /** A click (not a drag) on a labelled point. */
  click(pick: OverlayPick): void;
}

/** Raycasts the pointer against the shown mesh: hover reports the nearest corner's label, a click picks a vertex. */
export function installPointerPicking(view: ViewerScene, current: () => Pickable | null, handlers: PointerPickingHandlers): void {
  const raycaster = new THREE.Raycaster();
  const pickAt = (event: PointerEvent): OverlayPick | null => {
    const shown = current();
    if (!shown?.overlay) return null;
    const rect = view.canvas.getBoundingClientRect();
    const pointer = new THREE.Vector2(((event.clientX - rect.left) / rect.width) * 2 - 1, -((event.clientY - rect.top) / rect.height) * 2 + 1);
    raycaster.setFromCamera(pointer, view.camera);
    const hit = raycaster.intersectObject(shown.mesh, false)[0];
    return hit ? shown.overlay.pick(hit) : null;
  };
  const canvasPoint = (event: PointerEvent) => {
    const rect = view.canvas.getBoundingClientRect();
    return [event.clientX - rect.left, event.clientY - rect.top] as const;
  };
  view.canvas.addEventListener('pointermove', (event) => handlers.hover(pickAt(event), ...canvasPoint(event)));
  view.canvas.addEventListener('pointerleave', (event) => handlers.hover(null, ...canvasPoint(event)));
  // Orbiting is a drag: only a press and release within a few pixels counts as a click.
  let downAt: { x: number; y: number } | null = null;
  view.canvas.addEventListener('pointerdown', (event) => { downAt = { x: event.clientX, y: event.clientY }; });
  view.canvas.addEventListener('pointerup', (event) => {
    if (!downAt || Math.hypot(event.clientX - downAt.x, event.clientY - downAt.y) > 4) return;
    const pick = pickAt(event);
    if (pick) handlers.click(pick);
  });
}
