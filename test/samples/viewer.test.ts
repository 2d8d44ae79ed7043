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
import { loadSourceMesh } from '../../core/mesh/load-source-mesh.js';
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
    // Everything came from the page's own server.
    expect(requests.filter((request) => !request.startsWith(url) && !request.startsWith('data:') && !request.startsWith('blob:'))).toEqual([]);
    expect(consoleErrors).toEqual([]);
  }, 120_000);
});
