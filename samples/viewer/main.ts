import * as THREE from 'three';
import { decodeModel } from 'erlangen';
import { GeodesicPatchHelper, MeshSegmenter, SegmentationOverlay, TangentFrameHelper, weldedSurface, type MeshSegmentation, type SegmentationBackend, type WeldedSurface } from 'erlangen/three';
import { exportLabelledGlb } from './export-glb.js';
import { installFileOpening } from './file-opening.js';
import { LegendView } from './legend-view.js';
import { installPointerPicking } from './pointer-picking.js';
import { ProgressView } from './progress-view.js';
import { loadScan, type LoadedScan } from './scan-geometry.js';
import { ViewerScene } from './viewer-scene.js';

// Bundled with the page (Vite copies them next to it): nothing is fetched from elsewhere.
const SAMPLE_MODEL_URL = new URL('../models/human-parts.erlm', import.meta.url).href;
const SAMPLE_SCAN_URL = new URL('../scans/smpl-human/human_man.obj', import.meta.url).href;

type Status = 'loading' | 'segmenting' | 'segmented' | 'error';

/** The scan on screen with its segmentation and helpers. */
interface Shown {
  readonly scan: LoadedScan;
  readonly mesh: THREE.Mesh;
  overlay: SegmentationOverlay | null;
  result: MeshSegmentation | null;
  surface: WeldedSurface | null;
  frames: TangentFrameHelper | null;
  patch: GeodesicPatchHelper | null;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const params = new URLSearchParams(location.search);
const view = new ViewerScene($<HTMLCanvasElement>('canvas'));
const progress = new ProgressView($<HTMLTableElement>('progress'));
const legend = new LegendView($<HTMLTableElement>('legend'), () => view.requestRender());
const surfaceMaterial = new THREE.MeshStandardMaterial({ color: 0xb8b8bc, roughness: 0.85, metalness: 0, side: THREE.DoubleSide });
const backendSelect = $<HTMLSelectElement>('backend-select');
backendSelect.value = params.get('backend') ?? 'auto';
const qualitySelect = $<HTMLSelectElement>('quality-select');
qualitySelect.value = params.get('quality') ?? 'fast';
// `--passes 4` of the CLI: 98.5% instead of 98.2% on FAUST 070–079 for four times the time; smoothing adds nothing after it (README, bundled model).
const QUALITY = { fast: { passes: 1, smoothing: 0 }, accurate: { passes: 4, smoothing: 0 } };

let model: { bytes: Uint8Array; file: string } = { bytes: new Uint8Array(0), file: '' };
let segmenter: MeshSegmenter | null = null;
let shown: Shown | null = null;
let generation = 0;

function setStatus(status: Status): void {
  document.body.dataset.status = status;
}

function showError(error: unknown): void {
  const { message, code } = error as { message?: string; code?: string };
  const box = $('error');
  box.textContent = `${message ?? String(error)}${code ? ` [${code}]` : ''}`;
  box.hidden = false;
  setStatus('error');
  console.error(error);
}

function clearError(): void {
  $('error').hidden = true;
}

/** Fetches bundled or `?mesh=` / `?model=` files; a failed request reads as an error naming the URL. */
async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: the server answered ${response.status} ${response.statusText}; check the URL.`);
  return new Uint8Array(await response.arrayBuffer());
}

function fileName(url: string): string {
  return decodeURIComponent(new URL(url, location.href).pathname.split('/').pop() || url);
}

/** Uses a model file from now on (ModelFileError when it is not one; the previous model stays then). */
function useModel(bytes: Uint8Array, file: string): void {
  const decoded = decodeModel(bytes, file);
  segmenter?.dispose();
  model = { bytes, file };
  segmenter = new MeshSegmenter({ model });
  $('model-name').textContent = `model: ${file} (${decoded.labels.length} labels)`;
}

/** Loads a scan in the page, shows it, segments it in the worker; on failure the previous scan stays. */
async function openScan(bytes: Uint8Array, name: string): Promise<void> {
  const run = ++generation;
  segmenter?.cancel();
  clearError();
  setStatus('loading');
  progress.reset();
  progress.report({ stage: 'load', state: 'start', ms: 0 });
  const start = performance.now();
  let scan: LoadedScan;
  try {
    scan = await loadScan(bytes, name);
  } catch (error) {
    if (run === generation) showError(error);
    return;
  }
  if (run !== generation) return;
  progress.report({ stage: 'load', state: 'done', ms: performance.now() - start });
  const previous = shown;
  const mesh = new THREE.Mesh(scan.geometry, surfaceMaterial);
  if (previous) previous.mesh.visible = false;
  view.scene.add(mesh);
  view.frame(mesh);
  setStatus('segmenting');
  let result: MeshSegmentation;
  try {
    const quality = QUALITY[qualitySelect.value as keyof typeof QUALITY] ?? QUALITY.fast;
    result = await segmenter!.segment(mesh, { backend: backendSelect.value as SegmentationBackend, ...quality, onProgress: (p) => { if (run === generation) progress.report(p); } });
  } catch (error) {
    view.scene.remove(mesh);
    if (previous) {
      previous.mesh.visible = true;
      view.frame(previous.mesh);
    }
    if (run === generation) showError(error);
    return;
  }
  if (run !== generation) {
    view.scene.remove(mesh);
    return;
  }
  if (previous) dropShown(previous);
  const overlay = new SegmentationOverlay(mesh, { labelCount: result.labelNames.length, opacity: Number($<HTMLInputElement>('opacity').value) });
  overlay.setLabels(result.labels, result.confidences);
  overlay.mode = $<HTMLInputElement>('confidence-view').checked ? 'confidence' : 'labels';
  shown = { scan, mesh, overlay, result, surface: null, frames: null, patch: null };
  legend.show(overlay, result.labelNames);
  $('scan-name').textContent = `${name}: ${scan.geometry.getAttribute('position').count.toLocaleString('en')} vertices, ${(scan.source.triangles.length / 3).toLocaleString('en')} triangles (${result.meshVertexCount.toLocaleString('en')} welded)`;
  $('backend').textContent = `backend: ${result.backend}${result.adapter ? ` (${result.adapter})` : ''}${result.fallbackReason ? ` — fell back to cpu: ${result.fallbackReason}` : ''} · total ${progress.total().toFixed(0)} ms`;
  $<HTMLButtonElement>('export-glb').disabled = false;
  updateHelpers();
  setStatus('segmented');
  view.requestRender();
}

function dropShown(old: Shown): void {
  old.overlay?.dispose();
  old.frames?.dispose();
  old.patch?.dispose();
  old.mesh.removeFromParent();
  old.mesh.geometry.dispose();
}

function surfaceOf(current: Shown): WeldedSurface {
  current.surface ??= weldedSurface(current.mesh.geometry);
  return current.surface;
}

function updateHelpers(): void {
  if (!shown) return;
  const wantFrames = $<HTMLInputElement>('show-frames').checked;
  if (wantFrames && !shown.frames) shown.mesh.add(shown.frames = new TangentFrameHelper(shown.mesh, { surface: surfaceOf(shown) }));
  if (shown.frames) shown.frames.visible = wantFrames;
  if (shown.patch) shown.patch.visible = $<HTMLInputElement>('show-patch').checked;
  view.requestRender();
}

installPointerPicking(view, () => shown, {
  hover(pick, x, y) {
    const hover = $('hover');
    hover.hidden = !pick || !shown?.result;
    if (!pick || !shown?.result) return;
    hover.textContent = `${shown.result.labelNames[pick.label] ?? pick.label} · ${(100 * pick.confidence).toFixed(1)}% · vertex ${pick.vertex}`;
    hover.style.left = `${x + 14}px`;
    hover.style.top = `${y + 14}px`;
  },
  click(pick) {
    if (!shown || !$<HTMLInputElement>('show-patch').checked) return;
    if (!shown.patch) shown.mesh.add(shown.patch = new GeodesicPatchHelper(shown.mesh, { surface: surfaceOf(shown) }));
    shown.patch.setCentre(pick.vertex);
    updateHelpers();
  },
});

$<HTMLInputElement>('opacity').addEventListener('input', (event) => {
  if (shown?.overlay) shown.overlay.opacity = Number((event.target as HTMLInputElement).value);
  view.requestRender();
});
$<HTMLInputElement>('confidence-view').addEventListener('change', (event) => {
  if (shown?.overlay) shown.overlay.mode = (event.target as HTMLInputElement).checked ? 'confidence' : 'labels';
  view.requestRender();
});
$('show-frames').addEventListener('change', updateHelpers);
$('show-patch').addEventListener('change', updateHelpers);
backendSelect.addEventListener('change', () => { if (shown) void openScan(shown.scan.bytes, shown.scan.name); });
qualitySelect.addEventListener('change', () => { if (shown) void openScan(shown.scan.bytes, shown.scan.name); });

async function openFile(file: File): Promise<void> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (/\.erlm$/i.test(file.name)) {
    try {
      useModel(bytes, file.name);
    } catch (error) {
      showError(error);
      return;
    }
    if (shown) await openScan(shown.scan.bytes, shown.scan.name);
    return;
  }
  await openScan(bytes, file.name);
}

installFileOpening([$<HTMLInputElement>('file-input'), $<HTMLInputElement>('model-input')], $('drop-hint'), (file) => void openFile(file));

$('export-glb').addEventListener('click', async () => {
  if (!shown?.result) return;
  try {
    const glb = await exportLabelledGlb({ name: shown.scan.name, bytes: shown.scan.bytes, source: shown.scan.source, labels: shown.result.labels, labelNames: shown.result.labelNames });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([glb as Uint8Array<ArrayBuffer>], { type: 'model/gltf-binary' }));
    link.download = shown.scan.name.replace(/\.[^.]+$/, '') + '.labelled.glb';
    link.click();
    URL.revokeObjectURL(link.href);
  } catch (error) {
    showError(error);
  }
});

/** Start: the bundled model, and `?mesh=<url>` or the bundled SMPL body. */
async function start(): Promise<void> {
  try {
    const modelUrl = params.get('model');
    useModel(await fetchBytes(modelUrl ?? SAMPLE_MODEL_URL), modelUrl ? fileName(modelUrl) : 'human-parts.erlm');
    const meshUrl = params.get('mesh');
    await openScan(await fetchBytes(meshUrl ?? SAMPLE_SCAN_URL), meshUrl ? fileName(meshUrl) : 'human_man.obj');
  } catch (error) {
    showError(error);
  }
}

void start();
