import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { NodeIO } from '@gltf-transform/core';
import { ALL_EXTENSIONS } from '@gltf-transform/extensions';
import validator from 'gltf-validator';
import { documentFromSourceMesh } from '../../core/mesh/document-from-source-mesh.js';
import { loadSourceMesh } from '../../core/mesh/load-source-mesh.js';
import { decodeModelFile, encodeModelFile } from '../../core/model/model-file.js';
import { readLabels } from '../../plugin/gltf-transform/read-labels.js';
import { SEGMENTATION_PALETTE } from '../../plugin/three/segmentation-palette.js';
import { dracoGlb, meshoptGlb } from './compressed-scans.js';
import { serveDirectory } from './viewer-server.js';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--enable-unsafe-webgpu', '--enable-features=Vulkan,SharedImageVulkan', '--use-vulkan=swiftshader', '--use-angle=swiftshader',
  '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
];
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const LABELS = ['head', 'hand', 'lower-arm', 'upper-arm', 'body', 'upper-leg', 'lower-leg', 'foot'];
const SAMPLE_VERTICES = 6890;
const haveChromium = existsSync(CHROMIUM);

if (!haveChromium && process.env.CI === 'true') {
  it('finds Chromium for the viewer test', () => {
    throw new Error(`${CHROMIUM} is missing: CI installs Debian's chromium package (apt-get install chromium).`);
  });
}

/** Legend rows as the page shows them. */
async function legend(page: Page): Promise<{ label: string; count: number }[]> {
  return page.$$eval('#legend tr', (rows) => rows.map((row) => ({ label: (row as HTMLElement).dataset.label!, count: Number((row as HTMLElement).dataset.count) })));
}

/** Waits until no run is in progress. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => ['segmented', 'error', 'idle'].includes(document.body.dataset.status ?? ''), null, { timeout: 90_000 });
}

/** Waits until a run is in its segmenting stage, polled often: a run of a small scan lasts about a second. */
async function segmenting(page: Page): Promise<void> {
  await page.waitForFunction(() => document.body.dataset.status === 'segmenting', null, { timeout: 30_000, polling: 5 });
}

/** Starts recording every value `body[data-status]` takes. */
async function recordStatuses(page: Page): Promise<void> {
  await page.evaluate(() => {
    const page = window as unknown as { statusChanges: (string | null)[]; statusObserver?: MutationObserver };
    page.statusObserver?.disconnect();
    page.statusChanges = [];
    page.statusObserver = new MutationObserver((records) => { for (const record of records) page.statusChanges.push(record.oldValue); });
    page.statusObserver.observe(document.body, { attributes: true, attributeFilter: ['data-status'], attributeOldValue: true });
  });
}

/** The statuses taken since {@link recordStatuses}, the current one last. */
async function recordedStatuses(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const page = window as unknown as { statusChanges: (string | null)[]; statusObserver: MutationObserver };
    for (const record of page.statusObserver.takeRecords()) page.statusChanges.push(record.oldValue);
    // Each record holds the value before its change: the values after are the next record's, and the current one.
    return [...page.statusChanges.slice(1), document.body.dataset.status ?? ''] as string[];
  });
}

/** A UV sphere as OBJ text, big enough that its run lasts long enough to act during it. */
function sphereObj(rings: number, segments: number): { text: string; vertexCount: number } {
  const lines = ['v 0 1 0'];
  for (let r = 1; r < rings; r++) {
    const polar = (Math.PI * r) / rings;
    for (let s = 0; s < segments; s++) {
      const azimuth = (2 * Math.PI * s) / segments;
      lines.push(`v ${(Math.sin(polar) * Math.cos(azimuth)).toFixed(6)} ${Math.cos(polar).toFixed(6)} ${(Math.sin(polar) * Math.sin(azimuth)).toFixed(6)}`);
    }
  }
  lines.push('v 0 -1 0');
  const south = 2 + (rings - 1) * segments;
  // OBJ indices start at 1: the north pole, then ring r (0-based) from 2 + r·segments, then the south pole.
  const at = (r: number, s: number) => 2 + r * segments + (s % segments);
  for (let s = 0; s < segments; s++) {
    lines.push(`f 1 ${at(0, s + 1)} ${at(0, s)}`);
    for (let r = 0; r + 1 < rings - 1; r++) lines.push(`f ${at(r, s)} ${at(r, s + 1)} ${at(r + 1, s + 1)}`, `f ${at(r, s)} ${at(r + 1, s + 1)} ${at(r + 1, s)}`);
    lines.push(`f ${south} ${at(rings - 2, s)} ${at(rings - 2, s + 1)}`);
  }
  return { text: lines.join('\n') + '\n', vertexCount: south };
}

/** The canvas as RGB rows, read in the page (it keeps its drawing buffer). */
async function canvasPixels(page: Page): Promise<{ width: number; height: number; rgb: Uint8Array }> {
  const { width, height, data } = await page.evaluate(async () => {
    // The page renders on demand in the next animation frame: let a change reach the canvas first.
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const canvas = document.getElementById('canvas') as HTMLCanvasElement;
    const copy = document.createElement('canvas');
    copy.width = canvas.width;
    copy.height = canvas.height;
    const context = copy.getContext('2d')!;
    context.drawImage(canvas, 0, 0);
    const rgba = context.getImageData(0, 0, copy.width, copy.height).data;
    let text = '';
    for (let i = 0; i < rgba.length; i += 4) text += String.fromCharCode(rgba[i]!, rgba[i + 1]!, rgba[i + 2]!);
    return { width: copy.width, height: copy.height, data: btoa(text) };
  });
  return { width, height, rgb: new Uint8Array(Buffer.from(data, 'base64')) };
}

const palette = SEGMENTATION_PALETTE.slice(0, LABELS.length).map((css) => [1, 3, 5].map((i) => parseInt(css.slice(i, i + 2), 16)));
const BACKGROUND = [0x1b, 0x1d, 0x22];
const GREY = -2;

/**
 * The label whose colour explains a pixel best as s·colour + g·grey (s: shading and opacity, g:
 * the grey surface showing through), or -1 for background.
 */
function classify(r: number, g: number, b: number): number {
  if (Math.abs(r - BACKGROUND[0]!) + Math.abs(g - BACKGROUND[1]!) + Math.abs(b - BACKGROUND[2]!) < 30) return -1;
  // The grey surface where no label is drawn (hidden labels): every palette colour is far more saturated.
  if (Math.max(r, g, b) - Math.min(r, g, b) < 20) return GREY;
  let best = -1, bestError = Infinity;
  palette.forEach((c, label) => {
    // Least squares for s and g over the three channels.
    const cc = c[0]! * c[0]! + c[1]! * c[1]! + c[2]! * c[2]!, c1 = c[0]! + c[1]! + c[2]!, pc = r * c[0]! + g * c[1]! + b * c[2]!, p1 = r + g + b;
    const det = cc * 3 - c1 * c1;
    const s = (pc * 3 - p1 * c1) / det, k = (cc * p1 - c1 * pc) / det;
    const error = (r - s * c[0]! - k) ** 2 + (g - s * c[1]! - k) ** 2 + (b - s * c[2]! - k) ** 2;
    if (s > 0 && error < bestError) { best = label; bestError = error; }
  });
  return best;
}

type Image = { width: number; height: number; rgb: Uint8Array };

/** The bounding box of the pixels that are not background. */
function silhouette({ width, height, rgb }: Image): { top: number; bottom: number; left: number; right: number } {
  let top = height, bottom = 0, left = width, right = 0;
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const i = 3 * (y * width + x);
    if (classify(rgb[i]!, rgb[i + 1]!, rgb[i + 2]!) !== -1) { top = Math.min(top, y); bottom = Math.max(bottom, y); left = Math.min(left, x); right = Math.max(right, x); }
  }
  return { top, bottom, left, right };
}

/** Pixels inside a box whose colour differs between two images by more than antialiasing noise. */
function changedPixels(a: Image, b: Image, box: { top: number; bottom: number; left: number; right: number }): number {
  let changed = 0;
  for (let y = Math.max(0, box.top); y <= Math.min(a.height - 1, box.bottom); y++) {
    for (let x = Math.max(0, box.left); x <= Math.min(a.width - 1, box.right); x++) {
      const i = 3 * (y * a.width + x);
      if (Math.abs(a.rgb[i]! - b.rgb[i]!) + Math.abs(a.rgb[i + 1]! - b.rgb[i + 1]!) + Math.abs(a.rgb[i + 2]! - b.rgb[i + 2]!) > 40) changed++;
    }
  }
  return changed;
}

/** Share of each label among the object's pixels in a band of rows (fractions of the silhouette's height) around its middle column. */
function labelsInBand(image: Image, from: number, to: number, halfWidth: number): Map<number, number> {
  const { width, rgb } = image;
  const { top, bottom, left, right } = silhouette(image);
  const centre = (left + right) / 2, span = bottom - top;
  const counts = new Map<number, number>();
  let total = 0;
  for (let y = Math.round(top + from * span); y <= Math.round(top + to * span); y++) {
    for (let x = Math.round(centre - halfWidth * width); x <= Math.round(centre + halfWidth * width); x++) {
      const i = 3 * (y * width + x);
      const label = classify(rgb[i]!, rgb[i + 1]!, rgb[i + 2]!);
      if (label === -1) continue;
      counts.set(label, (counts.get(label) ?? 0) + 1);
      total++;
    }
  }
  for (const [label, count] of counts) counts.set(label, count / total);
  return counts;
}

describe.skipIf(!haveChromium)(`the viewer in Chromium${haveChromium ? '' : ' (skipped: no /usr/bin/chromium; apt-get install chromium)'}`, () => {
  let directory: string;
  let server: Server;
  let url: string;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'erlangen-viewer-'));
    await build({ configFile: 'samples/viewer/vite.config.ts', logLevel: 'error', build: { outDir: directory, emptyOutDir: true } });
    ({ server, url } = await serveDirectory(directory));
    const env = { ...process.env, ...(existsSync(SWIFTSHADER_ICD) && !process.env.VK_ICD_FILENAMES ? { VK_ICD_FILENAMES: SWIFTSHADER_ICD } : {}) } as Record<string, string>;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, env });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('loads and segments the bundled body on start, with the legend, backend and label colours where the parts are', async () => {
    await page.goto(url);
    await page.waitForFunction(() => ['segmented', 'error'].includes(document.body.dataset.status ?? ''), null, { timeout: 90_000 });
    expect(await page.textContent('#error').catch(() => null), 'no error on start').toBeFalsy();
    expect(await page.evaluate(() => document.body.dataset.status)).toBe('segmented');
    const rows = await legend(page);
    expect(rows.map((row) => row.label)).toEqual(LABELS);
    expect(rows.reduce((sum, row) => sum + row.count, 0)).toBe(SAMPLE_VERTICES);
    for (const row of rows) expect(row.count, row.label).toBeGreaterThan(0);
    const backend = await page.textContent('#backend');
    expect(backend).toMatch(/backend: (cpu|webgpu)/);
    // `auto` on the cpu always says why (no adapter, or only a software one).
    if (backend!.startsWith('backend: cpu')) expect(backend).toMatch(/fell back to cpu: \S+/);
    for (const stage of ['load', 'weld', 'geometry', 'features', 'segment']) expect(await page.textContent(`#progress tr[data-stage=${stage}] .ms`)).toMatch(/\d+ ms/);

    const image = await canvasPixels(page);
    if (process.env.ERLANGEN_VIEWER_SCREENSHOT) writeFileSync(process.env.ERLANGEN_VIEWER_SCREENSHOT, await page.screenshot());
    const head = labelsInBand(image, 0, 0.06, 0.02);
    const chest = labelsInBand(image, 0.25, 0.32, 0.02);
    const feet = labelsInBand(image, 0.97, 1, 0.5);
    // Most pixels, not all: boundaries and antialiasing blend neighbouring colours.
    expect(head.get(LABELS.indexOf('head')) ?? 0, 'head colour at the top').toBeGreaterThan(0.8);
    expect(chest.get(LABELS.indexOf('body')) ?? 0, 'body colour at the chest').toBeGreaterThan(0.8);
    expect(feet.get(LABELS.indexOf('foot')) ?? 0, 'foot colour at the bottom').toBeGreaterThan(0.6);
    expect(consoleErrors).toEqual([]);
  }, 120_000);

  it('exports the labelled scan as GLB that reloads with the labels the legend counts', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-glb')]);
    const file = join(mkdtempSync(join(tmpdir(), 'erlangen-export-')), download.suggestedFilename());
    await download.saveAs(file);
    const { labels, labelNames } = readLabels(await new NodeIO().registerExtensions(ALL_EXTENSIONS).read(file));
    expect(labelNames).toEqual(LABELS);
    const counts = LABELS.map((_, k) => labels.filter((label) => label === k).length);
    expect(counts).toEqual((await legend(page)).map((row) => row.count));
    const validation = await validator.validateBytes(new Uint8Array(readFileSync(file)));
    expect(validation.issues.numErrors).toBe(0);
  });

  it('hides a label from the legend, reports hover labels, and shows bad files as errors while keeping the scan', async () => {
    const before = await legend(page);
    const box = silhouette(await canvasPixels(page));
    await page.mouse.move((box.left + box.right) / 2, box.top + 0.03 * (box.bottom - box.top));
    await page.waitForFunction(() => !document.getElementById('hover')!.hidden);
    expect(await page.textContent('#hover')).toMatch(/^head · \d+\.\d% · vertex \d+$/);
    await page.click('#legend tr[data-label="head"]');
    const hidden = labelsInBand(await canvasPixels(page), 0, 0.06, 0.02);
    expect(hidden.get(LABELS.indexOf('head')) ?? 0, 'head hidden').toBeLessThan(0.2);
    await page.click('#legend tr[data-label="head"]');

    // Tangent frames and the geodesic patch of a clicked chest vertex draw over the scan.
    const plain = await canvasPixels(page);
    await page.check('#show-frames');
    const framed = await canvasPixels(page);
    expect(changedPixels(plain, framed, box), 'tangent frames drawn').toBeGreaterThan(2000);
    await page.uncheck('#show-frames');
    await page.check('#show-patch');
    const chest = { x: Math.round((box.left + box.right) / 2), y: Math.round(box.top + 0.28 * (box.bottom - box.top)) };
    await page.mouse.click(chest.x, chest.y);
    const patched = await canvasPixels(page);
    const near = { left: chest.x - 40, right: chest.x + 40, top: chest.y - 40, bottom: chest.y + 40 };
    expect(changedPixels(plain, patched, near), 'patch points drawn').toBeGreaterThan(50);
    await page.uncheck('#show-patch');

    await page.setInputFiles('#file-input', { name: 'broken.glb', mimeType: 'model/gltf-binary', buffer: Buffer.concat([Buffer.from('glTF'), Buffer.from([2, 0, 0, 0, 200, 0, 0, 0, 7, 7, 7])]) });
    await page.waitForFunction(() => document.body.dataset.status === 'error');
    expect(await page.textContent('#error')).toMatch(/broken\.glb/);
    expect(await legend(page)).toEqual(before);
    expect(labelsInBand(await canvasPixels(page), 0, 0.06, 0.02).get(0) ?? 0, 'previous scan still shown').toBeGreaterThan(0.8);
    // The panel is the shown scan's again: its times, not a load that spins on.
    for (const stage of ['load', 'weld', 'geometry', 'features', 'segment']) expect(await page.textContent(`#progress tr[data-stage=${stage}] .ms`), stage).toMatch(/\d+ ms/);
    expect(await page.textContent('#scan-name')).toMatch(/^human_man\.obj: /);
    expect(await page.isEnabled('#export-glb')).toBe(true);

    const modelName = await page.textContent('#model-name');
    await page.setInputFiles('#model-input', { name: 'bad.erlm', mimeType: 'application/octet-stream', buffer: Buffer.from('not a model at all') });
    await page.waitForFunction(() => document.getElementById('error')!.textContent!.includes('bad.erlm'));
    expect(await page.textContent('#error')).toMatch(/NOT_A_MODEL|TRUNCATED/);
    expect(await page.textContent('#model-name')).toBe(modelName);

    await page.setInputFiles('#file-input', { name: 'scan.stl', mimeType: 'model/stl', buffer: Buffer.from('solid cube\n  facet normal 0 0 1\nendsolid\n') });
    await page.waitForFunction(() => document.getElementById('error')!.textContent!.includes('scan.stl'));
    expect(await page.textContent('#error')).toMatch(/UNSUPPORTED_FORMAT/);
    expect(await page.evaluate(() => document.body.dataset.status)).toBe('error');

    // Still usable: the other bundled body opens and is segmented.
    await page.setInputFiles('#file-input', { name: 'human_woman.obj', mimeType: 'text/plain', buffer: readFileSync('samples/scans/smpl-human/human_woman.obj') });
    await page.waitForFunction(() => document.body.dataset.status === 'segmented', null, { timeout: 90_000 });
    expect(await page.isHidden('#error')).toBe(true);
    const rows = await legend(page);
    expect(rows.reduce((sum, row) => sum + row.count, 0)).toBe(SAMPLE_VERTICES);
    expect(await page.textContent('#scan-name')).toMatch(/human_woman\.obj/);
    expect(consoleErrors).toEqual([]);
  }, 120_000);

  it('segments again in accurate quality, 4 passes, with other labels on some vertices', async () => {
    await page.goto(url);
    await page.waitForFunction(() => document.body.dataset.status === 'segmented', null, { timeout: 90_000 });
    const fast = await legend(page);
    // The change handler sets the status to loading before it returns, so this waits for the new run.
    await page.selectOption('#quality-select', 'accurate');
    await page.waitForFunction(() => ['segmented', 'error'].includes(document.body.dataset.status ?? ''), null, { timeout: 90_000 });
    expect(await page.isHidden('#error')).toBe(true);
    const accurate = await legend(page);
    expect(accurate.reduce((sum, row) => sum + row.count, 0)).toBe(SAMPLE_VERTICES);
    expect(accurate.map((row) => row.count)).not.toEqual(fast.map((row) => row.count));
    await page.selectOption('#quality-select', 'fast');
    await page.waitForFunction(() => document.body.dataset.status === 'segmented', null, { timeout: 90_000 });
    expect(consoleErrors).toEqual([]);
  }, 180_000);

  it('opens a Draco GLB from ?mesh= and a dropped meshopt GLB, decoders served locally', async () => {
    const source = await loadSourceMesh('samples/scans/smpl-human/human_man.obj');
    writeFileSync(join(directory, 'human-draco.glb'), await dracoGlb(source));
    const meshopt = await meshoptGlb(source);
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(`${url}?mesh=human-draco.glb`);
    await page.waitForFunction(() => ['segmented', 'error'].includes(document.body.dataset.status ?? ''), null, { timeout: 90_000 });
    expect(await page.textContent('#error')).toBe('');
    expect(await page.textContent('#scan-name')).toMatch(/^human-draco\.glb: /);
    expect((await legend(page)).reduce((sum, row) => sum + row.count, 0)).toBe(SAMPLE_VERTICES);

    const dataTransfer = await page.evaluateHandle((base64) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], 'dropped-meshopt.glb'));
      return transfer;
    }, Buffer.from(meshopt).toString('base64'));
    await page.dispatchEvent('#viewport', 'drop', { dataTransfer });
    await page.waitForFunction(() => document.getElementById('scan-name')!.textContent!.startsWith('dropped-meshopt.glb') && document.body.dataset.status === 'segmented', null, { timeout: 90_000 });
    expect((await legend(page)).reduce((sum, row) => sum + row.count, 0)).toBe(SAMPLE_VERTICES);

    // A .gltf with an external .bin: alone, advice a browser user can follow; dropped with its .bin, it opens.
    const gltf = documentFromSourceMesh(source);
    gltf.getRoot().listBuffers()[0]!.setURI('body.bin');
    const { json, resources } = await new NodeIO().writeJSON(gltf);
    const dropFiles = async (files: Record<string, Uint8Array>) => {
      const transfer = await page.evaluateHandle((encoded) => {
        const transfer = new DataTransfer();
        for (const [name, base64] of Object.entries(encoded)) transfer.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], name));
        return transfer;
      }, Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, Buffer.from(bytes).toString('base64')])));
      await page.dispatchEvent('#viewport', 'drop', { dataTransfer: transfer });
    };
    const gltfBytes = new TextEncoder().encode(JSON.stringify(json));
    await dropFiles({ 'body.gltf': gltfBytes });
    await page.waitForFunction(() => document.getElementById('error')!.textContent!.includes('body.gltf'));
    expect(await page.textContent('#error')).toMatch(/body\.bin.*\.glb/);
    expect(await page.textContent('#error')).not.toMatch(/its path/);
    await dropFiles({ 'body.gltf': gltfBytes, 'body.bin': resources['body.bin']! });
    await page.waitForFunction(() => document.getElementById('scan-name')!.textContent!.startsWith('body.gltf') && document.body.dataset.status === 'segmented', null, { timeout: 90_000 });
    expect((await legend(page)).reduce((sum, row) => sum + row.count, 0)).toBe(SAMPLE_VERTICES);
    // Everything came from the page's own server.
    expect(requests.filter((request) => !request.startsWith(url) && !request.startsWith('data:') && !request.startsWith('blob:'))).toEqual([]);
    expect(consoleErrors).toEqual([]);
  }, 120_000);

  it('segments the scan in progress again with a model chosen meanwhile, refuses a corrupt one without stopping the run, and takes many models in a row', async () => {
    const bundled = new Uint8Array(readFileSync('samples/models/human-parts.erlm'));
    const content = decodeModelFile(bundled, 'human-parts.erlm');
    const renamed = (prefix: string) => Buffer.from(encodeModelFile({ ...content, labels: content.labels.map((label) => `${prefix}${label}`) }));
    const corrupt = Buffer.from(bundled);
    corrupt[corrupt.length >> 1] ^= 0xff;
    const sphere = sphereObj(100, 200);
    await page.goto(url);
    await settled(page);

    await recordStatuses(page);
    await page.setInputFiles('#file-input', { name: 'sphere.obj', mimeType: 'text/plain', buffer: Buffer.from(sphere.text) });
    await segmenting(page);
    await page.setInputFiles('#model-input', { name: 'renamed.erlm', mimeType: 'application/octet-stream', buffer: renamed('R-') });
    await page.waitForFunction(() => document.body.dataset.status === 'segmented' && document.querySelector<HTMLElement>('#legend tr')?.dataset.label === 'R-head', null, { timeout: 90_000 });
    // The sphere, not the body shown before it; the cancelled run reported nothing.
    expect(await page.textContent('#scan-name')).toMatch(new RegExp(`^sphere\\.obj: ${sphere.vertexCount.toLocaleString('en')} vertices`));
    expect((await legend(page)).reduce((sum, row) => sum + row.count, 0)).toBe(sphere.vertexCount);
    expect(await page.textContent('#model-name')).toBe('model: renamed.erlm (8 labels)');
    expect(await page.isHidden('#error')).toBe(true);
    expect(await recordedStatuses(page)).not.toContain('error');

    // A corrupt model during a run: refused, the run goes on with the previous model, and the status turns to error only when it ends.
    await recordStatuses(page);
    await page.selectOption('#backend-select', 'cpu');
    await segmenting(page);
    await page.setInputFiles('#model-input', { name: 'corrupt.erlm', mimeType: 'application/octet-stream', buffer: corrupt });
    await page.waitForFunction(() => document.getElementById('error')!.textContent!.includes('corrupt.erlm'));
    await settled(page);
    const statuses = await recordedStatuses(page);
    expect(statuses.at(-1)).toBe('error');
    expect(statuses.indexOf('error'), statuses.join(' ')).toBe(statuses.length - 1);
    expect(await page.textContent('#error')).toMatch(/CORRUPT/);
    expect(await page.textContent('#model-name')).toBe('model: renamed.erlm (8 labels)');
    expect((await legend(page)).map((row) => row.label)).toEqual(LABELS.map((label) => `R-${label}`));
    expect((await legend(page)).reduce((sum, row) => sum + row.count, 0)).toBe(sphere.vertexCount);
    expect(await page.textContent('#backend')).toMatch(/^backend: cpu · /);

    // Each model chosen used to build its network in the page too, on top of the worker's: WebAssembly memories, of which a renderer allows ~125.
    await page.evaluate(() => {
      const page = window as unknown as { pageMemories: number };
      page.pageMemories = 0;
      WebAssembly.Memory = new Proxy(WebAssembly.Memory, { construct: (target, args) => { page.pageMemories++; return Reflect.construct(target, args); } });
    });
    await recordStatuses(page);
    for (let i = 0; i < 5; i++) await page.setInputFiles('#model-input', { name: `model-${i}.erlm`, mimeType: 'application/octet-stream', buffer: renamed(`${i}-`) });
    // Done when the last model's labels show, or failed when an error names one of these models.
    await page.waitForFunction(() => (document.body.dataset.status === 'segmented' && document.querySelector<HTMLElement>('#legend tr')?.dataset.label === '4-head')
      || document.getElementById('error')!.textContent!.includes('model-'), null, { timeout: 90_000 });
    expect(await page.isHidden('#error'), (await page.textContent('#error')) ?? '').toBe(true);
    expect(await recordedStatuses(page)).not.toContain('error');
    expect(await page.textContent('#model-name')).toBe('model: model-4.erlm (8 labels)');
    expect(await page.evaluate(() => (window as unknown as { pageMemories: number }).pageMemories), 'WebAssembly memories made in the page').toBe(0);
    expect((await legend(page)).reduce((sum, row) => sum + row.count, 0)).toBe(sphere.vertexCount);
    expect(consoleErrors).toEqual([]);
  }, 180_000);

  it('shows nothing of the previous scan while a new one segments, runs that one again on a backend change, and explains unlabelled vertices', async () => {
    await page.goto(`${url}?backend=cpu`);
    await settled(page);
    // Two vertices in no triangle: repair drops them and they stay unlabelled.
    const loose = readFileSync('samples/scans/smpl-human/human_woman.obj', 'utf8') + '\nv 0 0 0\nv 0.1 0.1 0.1\n';
    await page.setInputFiles('#file-input', { name: 'woman-loose.obj', mimeType: 'text/plain', buffer: Buffer.from(loose) });
    await segmenting(page);
    const pending = await page.evaluate(() => ({
      scan: document.getElementById('scan-name')!.textContent,
      legendRows: document.querySelectorAll('#legend tr').length,
      backend: document.getElementById('backend')!.textContent,
      exportDisabled: (document.getElementById('export-glb') as HTMLButtonElement).disabled,
    }));
    await page.selectOption('#backend-select', 'auto');
    expect(pending).toEqual({ scan: 'woman-loose.obj: 6,892 vertices, 13,776 triangles — segmenting…', legendRows: 0, backend: '', exportDisabled: true });
    await settled(page);
    expect(await page.isHidden('#error')).toBe(true);
    expect(await page.textContent('#scan-name')).toMatch(/^woman-loose\.obj: 6,892 vertices/);
    // `auto` ran: WebGPU, or the cpu with the reason; the cpu chosen before says no reason.
    expect(await page.textContent('#backend')).toMatch(/^backend: (webgpu|cpu — fell back to cpu: )/);
    expect((await legend(page)).reduce((sum, row) => sum + row.count, 0)).toBe(SAMPLE_VERTICES);
    expect(await page.textContent('#repairs')).toMatch(/2 vertices in no triangle.*2 vertices unlabelled/);
    expect(await page.isEnabled('#export-glb')).toBe(true);
    expect(consoleErrors).toEqual([]);
  }, 120_000);

  it('reports a bad ?backend=, treats an empty ?mesh= as absent, and names the URL of a file that cannot be fetched', async () => {
    await page.goto(`${url}?backend=bogus&mesh=&quality=`);
    await settled(page);
    expect(await page.textContent('#error')).toBe('?backend=bogus is not one of auto, cpu, webgpu; using auto.');
    expect(await page.evaluate(() => document.body.dataset.status)).toBe('error');
    expect(await page.inputValue('#backend-select')).toBe('auto');
    expect(await page.inputValue('#quality-select')).toBe('fast');
    expect(await page.textContent('#scan-name')).toMatch(/^human_man\.obj: /);
    expect((await legend(page)).reduce((sum, row) => sum + row.count, 0)).toBe(SAMPLE_VERTICES);

    await page.goto(`${url}?mesh=missing.obj`);
    await settled(page);
    expect(await page.textContent('#error')).toMatch(new RegExp(`^${url.replace(/[.]/g, '\\.')}missing\\.obj: the server answered 404`));
    expect(await page.textContent('#model-name')).toBe('model: human-parts.erlm (8 labels)');
    expect(consoleErrors).toEqual([]);
  }, 120_000);
});
