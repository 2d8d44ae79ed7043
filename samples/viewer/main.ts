import * as THREE from 'three';
import { decodeModelFile } from 'erlangen';
import { GeodesicPatchHelper, MeshSegmenter, SegmentationOverlay, TangentFrameHelper, weldedSurface, type MeshSegmentation, type SegmentationBackend, type SegmentationStage, type WeldedSurface } from 'erlangen/three';
import { exportLabelledGlb } from './export-glb.js';
import { installFileOpening } from './file-opening.js';
import { embedGltfBuffers, missingGltfBuffer, uriFileName } from './gltf-buffers.js';
import { LegendView } from './legend-view.js';
import { pageParameter, selectFromParameter } from './page-parameters.js';
import { installPointerPicking } from './pointer-picking.js';
import { ProgressView } from './progress-view.js';
import { ScanPanel } from './scan-panel.js';
import { loadScan, type LoadedScan } from './scan-geometry.js';
import { ViewerScene } from './viewer-scene.js';

// Bundled with the page (Vite copies them next to it): nothing is fetched from elsewhere.
const SAMPLE_MODEL_URL = new URL('../models/human-parts.erlm', import.meta.url).href;
const SAMPLE_SCAN_URL = new URL('../scans/smpl-human/human_man.obj', import.meta.url).href;

/** `body[data-status]`: a run's stage while one runs; after it `error` while the error box shows, else `segmented` (`idle`: nothing to show). */
type Status = 'loading' | 'segmenting' | 'segmented' | 'error' | 'idle';

/** A scan file to open: its bytes, its name, and where a .gltf's external buffers come from. */
interface ScanFile {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly readBuffer?: (uri: string) => Promise<Uint8Array>;
}

/** The scan on screen with its segmentation and helpers. */
interface Shown {
  readonly scan: LoadedScan;
  readonly mesh: THREE.Mesh;
  overlay: SegmentationOverlay | null;
  result: MeshSegmentation | null;
  /** Milliseconds per stage of the run that segmented it, to show again after a later run fails. */
  timings: Partial<Record<SegmentationStage, number>>;
  surface: WeldedSurface | null;
  frames: TangentFrameHelper | null;
  patch: GeodesicPatchHelper | null;
}

/** The run in progress: the scan it loads or segments (null while the start files are fetched) and its stage. */
interface Running {
  readonly request: ScanFile | null;
  stage: 'loading' | 'segmenting';
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const params = new URLSearchParams(location.search);
const view = new ViewerScene($<HTMLCanvasElement>('canvas'));
const progress = new ProgressView($<HTMLTableElement>('progress'));
const legend = new LegendView($<HTMLTableElement>('legend'), () => view.requestRender());
const surfaceMaterial = new THREE.MeshStandardMaterial({ color: 0xb8b8bc, roughness: 0.85, metalness: 0, side: THREE.DoubleSide });
const errorBox = $('error');
const exportButton = $<HTMLButtonElement>('export-glb');
const panel = new ScanPanel({ scanName: $('scan-name'), repairs: $('repairs'), backend: $('backend'), hover: $('hover'), exportButton }, legend, progress);
const backendSelect = $<HTMLSelectElement>('backend-select');
const qualitySelect = $<HTMLSelectElement>('quality-select');
// `--passes 4` of the CLI: 98.5% instead of 98.2% on FAUST 070–079 for four times the time; smoothing adds nothing after it (README, bundled model).
const QUALITY: Record<string, { passes: number; smoothing: number }> = { fast: { passes: 1, smoothing: 0 }, accurate: { passes: 4, smoothing: 0 } };
// Read before anything runs, so that the first run uses them; a bad value is reported by start().
const parameterProblems = [
  selectFromParameter(params, 'backend', backendSelect, 'auto'),
  selectFromParameter(params, 'quality', qualitySelect, 'fast'),
].filter((problem) => problem !== null);

let segmenter: MeshSegmenter | null = null;
let shown: Shown | null = null;
let running: Running | null = { request: null, stage: 'loading' };
// Bumped by every run: a run that is no longer the latest drops its result and its errors.
let generation = 0;

function updateStatus(): void {
  const status: Status = running ? running.stage : !errorBox.hidden ? 'error' : shown ? 'segmented' : 'idle';
  document.body.dataset.status = status;
}

/** Adds `error` to the error box, which lists what failed since the user last started something. */
function showError(error: unknown): void {
  const { message, code } = error as { message?: string; code?: string };
  const line = `${message ?? String(error)}${code ? ` [${code}]` : ''}`;
  errorBox.textContent = errorBox.hidden ? line : `${errorBox.textContent}\n${line}`;
  errorBox.hidden = false;
  updateStatus();
  console.error(error);
}

/** Empties the error box when the user starts something new; the action that follows sets the status. */
function clearError(): void {
  errorBox.hidden = true;
  errorBox.textContent = '';
}

/** Fetches bundled or `?mesh=` / `?model=` files; a failed request reads as an error naming the URL. */
async function fetchBytes(url: string): Promise<Uint8Array> {
  const absolute = new URL(url, location.href).href;
  let response: Response;
  try {
    response = await fetch(absolute);
  } catch (error) {
    throw new Error(`${absolute}: cannot be fetched (${(error as Error).message}); check the URL, and that its server is up and allows this page (CORS).`, { cause: error });
  }
  if (!response.ok) throw new Error(`${absolute}: the server answered ${response.status} ${response.statusText}; check the URL.`);
  return new Uint8Array(await response.arrayBuffer());
}

function fileName(url: string): string {
  return decodeURIComponent(new URL(url, location.href).pathname.split('/').pop() || url);
}

/**
 * Uses a model file from now on (ModelFileError when it is not one; the previous model stays then).
 * Reads the header only: building the network here too would double the worker's WebAssembly memories.
 */
function useModel(bytes: Uint8Array, file: string): void {
  const { labels } = decodeModelFile(bytes, file);
  segmenter?.dispose();
  segmenter = new MeshSegmenter({ model: { bytes, file } });
  $('model-name').textContent = `model: ${file} (${labels.length} labels)`;
}

/** The panel for the scan on screen, or for none. */
function describeShown(): void {
  if (shown?.overlay && shown.result) panel.showSegmented(shown.scan, shown.overlay, shown.result, shown.timings);
  else panel.showNothing();
}

/**
 * Loads a scan in the page, shows it, segments it in the worker. A newer run supersedes it; on
 * failure the previous scan comes back with its panel and the error shows.
 */
async function openScan(request: ScanFile): Promise<void> {
  const run = ++generation;
  segmenter?.cancel();
  running = { request, stage: 'loading' };
  panel.showPending(request.name, null);
  progress.reset();
  progress.report({ stage: 'load', state: 'start', ms: 0 });
  updateStatus();
  const start = performance.now();
  let scan: LoadedScan;
  try {
    const bytes = await embedGltfBuffers(request.bytes, request.name, request.readBuffer ?? missingGltfBuffer(request.name));
    scan = await loadScan(bytes, request.name);
    if (!segmenter) throw new Error('no model to segment with: choose one with Model….');
  } catch (error) {
    if (run === generation) endRunWithError(error);
    return;
  }
  if (run !== generation) return;
  const loadMs = performance.now() - start;
  progress.report({ stage: 'load', state: 'done', ms: loadMs });
  const mesh = new THREE.Mesh(scan.geometry, surfaceMaterial);
  const again = request === shown?.scan;
  if (shown) shown.mesh.visible = false;
  view.scene.add(mesh);
  // The same scan segmented again keeps the user's view of it.
  if (!again) view.frame(mesh);
  running.stage = 'segmenting';
  panel.showPending(request.name, scan);
  updateStatus();
  view.requestRender();
  let result: MeshSegmentation;
  try {
    const quality = QUALITY[qualitySelect.value] ?? QUALITY['fast']!;
    result = await segmenter.segment(mesh, { backend: backendSelect.value as SegmentationBackend, ...quality, onProgress: (p) => { if (run === generation) progress.report(p); } });
  } catch (error) {
    dropMesh(mesh);
    if (run === generation) endRunWithError(error);
    return;
  }
  if (run !== generation) {
    dropMesh(mesh);
    return;
  }
  if (shown) dropShown(shown);
  const overlay = new SegmentationOverlay(mesh, { labelCount: result.labelNames.length, opacity: Number($<HTMLInputElement>('opacity').value) });
  overlay.setLabels(result.labels, result.confidences);
  overlay.mode = $<HTMLInputElement>('confidence-view').checked ? 'confidence' : 'labels';
  shown = { scan, mesh, overlay, result, timings: { load: loadMs, ...result.timings }, surface: null, frames: null, patch: null };
  running = null;
  describeShown();
  updateHelpers();
  updateStatus();
  view.requestRender();
}

/** Ends the run in progress: the scan shown before comes back with its panel; a cancel is no error. */
function endRunWithError(error: unknown): void {
  running = null;
  if (shown && !shown.mesh.visible) {
    shown.mesh.visible = true;
    view.frame(shown.mesh);
  }
  describeShown();
  if ((error as { code?: string }).code === 'CANCELLED') updateStatus();
  else showError(error);
  view.requestRender();
}

/** Segments the scan in progress, or else the one shown, again: after a change of model, backend or quality. */
function segmentAgain(): void {
  const request = running?.request ?? shown?.scan;
  if (request) void openScan(request);
  else updateStatus();
}

function dropMesh(mesh: THREE.Mesh): void {
  mesh.removeFromParent();
  mesh.geometry.dispose();
}

function dropShown(old: Shown): void {
  old.overlay?.dispose();
  old.frames?.dispose();
  old.patch?.dispose();
  dropMesh(old.mesh);
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

// While a new scan segments the shown one is hidden: it answers no hover or click.
installPointerPicking(view, () => (shown?.mesh.visible ? shown : null), {
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
for (const select of [backendSelect, qualitySelect]) {
  select.addEventListener('change', () => {
    clearError();
    segmentAgain();
  });
}

/** Opens what the user chose or dropped: a model (.erlm), a scan, or both; a .gltf finds its .bin among the same files. */
async function openFiles(files: readonly File[]): Promise<void> {
  const modelFile = files.find((file) => /\.erlm$/i.test(file.name));
  const others = files.filter((file) => file !== modelFile);
  const scanFile = others.find((file) => !/\.bin$/i.test(file.name)) ?? others[0];
  // Read before anything changes, so that the page goes from one state to the next at once.
  const modelBytes = modelFile ? new Uint8Array(await modelFile.arrayBuffer()) : null;
  const scanBytes = scanFile ? new Uint8Array(await scanFile.arrayBuffer()) : null;
  clearError();
  if (modelFile && modelBytes) {
    try {
      useModel(modelBytes, modelFile.name);
    } catch (error) {
      // Refused: the previous model stays, and a run in progress goes on with it.
      showError(error);
      return;
    }
  }
  if (!scanFile || !scanBytes) {
    segmentAgain();
    return;
  }
  const readBuffer = async (uri: string): Promise<Uint8Array> => {
    const buffer = others.find((file) => file.name === uriFileName(uri));
    return buffer ? new Uint8Array(await buffer.arrayBuffer()) : missingGltfBuffer(scanFile.name)(uri);
  };
  await openScan({ name: scanFile.name, bytes: scanBytes, readBuffer });
}

installFileOpening([$<HTMLInputElement>('file-input'), $<HTMLInputElement>('model-input')], $('drop-hint'), (files) => void openFiles(files));

exportButton.addEventListener('click', async () => {
  if (!shown?.result || running) return;
  clearError();
  updateStatus();
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

/** Start: the bundled model, and `?mesh=<url>` or the bundled SMPL body; a bad `?backend=` or `?quality=` is reported. */
async function start(): Promise<void> {
  if (parameterProblems.length > 0) showError(new Error(parameterProblems.join('\n')));
  const modelUrl = pageParameter(params, 'model');
  const meshUrl = pageParameter(params, 'mesh');
  let scan: ScanFile;
  try {
    const modelBytes = await fetchBytes(modelUrl ?? SAMPLE_MODEL_URL);
    // A model the user chose while it was fetched stays.
    if (!segmenter) useModel(modelBytes, modelUrl ? fileName(modelUrl) : 'human-parts.erlm');
    const meshBase = new URL(meshUrl ?? SAMPLE_SCAN_URL, location.href);
    scan = { name: meshUrl ? fileName(meshUrl) : 'human_man.obj', bytes: await fetchBytes(meshBase.href), readBuffer: (uri) => fetchBytes(new URL(uri, meshBase).href) };
  } catch (error) {
    if (running?.request === null) running = null;
    showError(error);
    return;
  }
  // So does a scan the user opened meanwhile.
  if (generation === 0) await openScan(scan);
}

void start();
