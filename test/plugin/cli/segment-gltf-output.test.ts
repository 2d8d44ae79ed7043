import { describe, expect, it, beforeAll } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { Accessor, Document, NodeIO } from '@gltf-transform/core';
import { ALL_EXTENSIONS } from '@gltf-transform/extensions';
import validator from 'gltf-validator';
import { MISSING_IMAGES_KEY } from '../../../core/mesh/drop-missing-images.js';
import { encodeModel } from '../../../core/model/model.js';
import { nameResourcesAfterOutput } from '../../../plugin/cli/batch/output-resource-uris.js';
import type { BatchReport } from '../../../plugin/cli/commands/segment.js';
import { main } from '../../../plugin/cli/main.js';
import { readLabels } from '../../../plugin/gltf-transform/read-labels.js';
import { smallModel, sphereDocument } from '../../fixtures/scan-documents.js';

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

async function segment(input: string, output: string, ...extra: string[]) {
  const result = await run(['segment', input, '-o', output, '--model', modelFile, '--backend', 'cpu', '--workers', '1', '--quiet', ...extra]);
  expect(result.code, result.stderr).toBe(0);
}

async function hashes(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of await readdir(dir)) out[name] = createHash('sha256').update(await readFile(join(dir, name))).digest('hex');
  return out;
}

// test/gltf-validator.d.ts declares only the options other tests pass; these also load a .gltf's own files.
const validateBytes = validator.validateBytes as (
  data: Uint8Array, options: { uri: string; externalResourceFunction: (uri: string) => Promise<Uint8Array> },
) => ReturnType<typeof validator.validateBytes>;

/** The validator's errors on a written file, its buffers and images read from beside it. */
async function validationErrors(path: string) {
  const report = await validateBytes(new Uint8Array(await readFile(path)), {
    uri: path,
    externalResourceFunction: async (uri) => new Uint8Array(await readFile(join(dirname(path), decodeURIComponent(uri)))),
  });
  return report.issues.messages.filter((message) => message.severity === 0);
}

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** A 2×2 PNG of one colour: the signature, then IHDR (8-bit RGB), IDAT and IEND, each chunk with its CRC-32. */
function solidPng(rgb: readonly [number, number, number]): Uint8Array {
  const chunk = (type: string, data: Uint8Array) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(2, 0);
  header.writeUInt32BE(2, 4);
  header[8] = 8;
  header[9] = 2;
  // Each row: filter type 0, then two pixels.
  const row = [0, ...rgb, ...rgb];
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return new Uint8Array(Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.from([...row, ...row]))), chunk('IEND', new Uint8Array(0))]));
}

const RED = solidPng([255, 0, 0]);
const BLUE = solidPng([0, 0, 255]);

/** sphereDocument with TEXCOORD_0 on its primitives and `png` as its material's base colour texture. */
function texturedScan(png: Uint8Array, uris?: { buffer: string; image: string }): Document {
  const document = sphereDocument();
  const buffer = document.getRoot().listBuffers()[0]!;
  for (const primitive of document.getRoot().listMeshes().flatMap((mesh) => mesh.listPrimitives())) {
    const positions = primitive.getAttribute('POSITION')!.getArray()!;
    const uv = new Float32Array((positions.length / 3) * 2);
    for (let v = 0; v < uv.length / 2; v++) {
      uv[2 * v] = 0.5 + 0.25 * positions[3 * v]!;
      uv[2 * v + 1] = 0.5 + 0.25 * positions[3 * v + 1]!;
    }
    primitive.setAttribute('TEXCOORD_0', document.createAccessor().setType(Accessor.Type.VEC2).setArray(uv).setBuffer(buffer));
  }
  const texture = document.createTexture().setImage(png).setMimeType('image/png');
  if (uris) {
    buffer.setURI(uris.buffer);
    texture.setURI(uris.image);
  }
  document.getRoot().listMaterials()[0]!.setBaseColorTexture(texture);
  return document;
}

const io = new NodeIO().registerExtensions(ALL_EXTENSIONS);

/** The bytes of the first image of the glTF at `path` (NodeIO reads them as a Buffer). */
async function firstImage(path: string): Promise<Uint8Array> {
  return new Uint8Array((await io.read(path)).getRoot().listTextures()[0]!.getImage()!);
}
let modelFile: string;
let redGlb: string;
let blueGlb: string;

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'erlangen-gltf-out-'));
  modelFile = join(dir, 'small.erlm');
  await writeFile(modelFile, encodeModel(smallModel()));
  // GLB images have neither name nor URI, so glTF-Transform alone would call both `baseColor.png`.
  redGlb = join(dir, 'red.glb');
  await writeFile(redGlb, await io.writeBinary(texturedScan(RED)));
  blueGlb = join(dir, 'blue.glb');
  await writeFile(blueGlb, await io.writeBinary(texturedScan(BLUE)));
});

/** A folder holding `scan.gltf` with its buffer and image (`scan.bin` and `color.png` unless named). */
async function gltfScanFolder(uris = { buffer: 'scan.bin', image: 'color.png' }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'erlangen-gltf-in-'));
  await io.write(join(dir, 'scan.gltf'), texturedScan(RED, uris));
  expect((await readdir(dir)).sort()).toEqual([uris.buffer, uris.image, 'scan.gltf'].sort());
  return dir;
}

describe('erlangen segment to a .gltf file', () => {
  it('beside its .gltf input writes only files named after the output and leaves the input byte-identical', async () => {
    const dir = await gltfScanFolder();
    const before = await hashes(dir);
    await segment(join(dir, 'scan.gltf'), join(dir, 'scan_labeled.gltf'));
    const after = await hashes(dir);
    for (const [name, hash] of Object.entries(before)) expect(after[name], name).toBe(hash);
    expect(Object.keys(after).filter((name) => !(name in before)).sort()).toEqual(['scan_labeled.bin', 'scan_labeled.gltf', 'scan_labeled_color.png']);
    expect(await validationErrors(join(dir, 'scan_labeled.gltf'))).toEqual([]);
    expect(await firstImage(join(dir, 'scan_labeled.gltf'))).toEqual(RED);
    expect(readLabels(await io.read(join(dir, 'scan_labeled.gltf'))).labelNames).toEqual(['a', 'b', 'c', 'd', 'e']);
    // The input still reads as it did.
    expect(await firstImage(join(dir, 'scan.gltf'))).toEqual(RED);
  });

  it('leaves alone files that carry the names the output would give (the input\'s, others\'), and a rerun replaces only its own', async () => {
    const dir = await gltfScanFolder({ buffer: 'labeled.bin', image: 'color.png' });
    await writeFile(join(dir, 'labeled_color.png'), BLUE);
    const before = await hashes(dir);
    await segment(join(dir, 'scan.gltf'), join(dir, 'labeled.gltf'));
    const after = await hashes(dir);
    for (const [name, hash] of Object.entries(before)) expect(after[name], name).toBe(hash);
    expect(Object.keys(after).sort()).toEqual(['color.png', 'labeled.bin', 'labeled.gltf', 'labeled_1.bin', 'labeled_color.png', 'labeled_color_1.png', 'scan.gltf']);
    expect(await firstImage(join(dir, 'labeled.gltf'))).toEqual(RED);
    expect(await validationErrors(join(dir, 'labeled.gltf'))).toEqual([]);
    await segment(join(dir, 'scan.gltf'), join(dir, 'labeled.gltf'), '--force');
    expect(Object.keys(await hashes(dir)).sort()).toEqual(Object.keys(after).sort());
    expect(await validationErrors(join(dir, 'labeled.gltf'))).toEqual([]);
  });

  it('gives two outputs in one folder their own buffers and images, and -o OUT.GLTF writes OUT.bin', async () => {
    const out = await mkdtemp(join(tmpdir(), 'erlangen-gltf-out-'));
    await segment(redGlb, join(out, 'a.gltf'));
    await segment(blueGlb, join(out, 'b.gltf'));
    await segment(blueGlb, join(out, 'OUT.GLTF'));
    expect((await readdir(out)).sort()).toEqual(['OUT.GLTF', 'OUT.bin', 'OUT_0.png', 'a.bin', 'a.gltf', 'a_0.png', 'b.bin', 'b.gltf', 'b_0.png']);
    for (const [name, png] of [['a.gltf', RED], ['b.gltf', BLUE], ['OUT.GLTF', BLUE]] as const) {
      expect(await validationErrors(join(out, name)), name).toEqual([]);
      expect(await firstImage(join(out, name)), name).toEqual(png);
    }
  });

  it('names resources with nothing that leaves the folder, no two alike in any case, none of the given foreign names', () => {
    const document = new Document();
    document.createBuffer();
    document.createBuffer();
    document.createTexture('../../evil').setMimeType('image/png');
    document.createTexture('skin').setMimeType('image/jpeg');
    document.createTexture('Skin').setMimeType('image/jpeg');
    document.createTexture().setURI('textures/skin.jpg').setMimeType('image/jpeg');
    document.createTexture();
    // `my scan_0.bin` stands for a file already beside the output that it must not replace.
    const uris = nameResourcesAfterOutput(document, 'my scan', new Set(['my scan_0.bin']));
    const root = document.getRoot();
    expect(root.listBuffers().map((buffer) => decodeURIComponent(buffer.getURI()))).toEqual(['my scan_0_1.bin', 'my scan_1.bin']);
    expect(root.listTextures().map((texture) => decodeURIComponent(texture.getURI())))
      .toEqual(['my scan__evil.png', 'my scan_skin.jpg', 'my scan_Skin_1.jpg', 'my scan_skin_2.jpg', 'my scan_4.bin']);
    expect([...uris]).toEqual([...root.listBuffers(), ...root.listTextures()].map((property) => property.getURI()));
    expect([...uris].every((uri) => !uri.includes('/') && !uri.includes(' '))).toBe(true);
  });
});

describe('erlangen segment of a .gltf input whose image file is missing', () => {
  it('labels it and writes valid GLB and .gltf without that texture, listing the image in the root extras', async () => {
    const dir = await gltfScanFolder();
    await rm(join(dir, 'color.png'));
    const out = await mkdtemp(join(tmpdir(), 'erlangen-gltf-out-'));
    for (const name of ['m.glb', 'm.gltf']) {
      const report = join(out, `${name}.report.json`);
      await segment(join(dir, 'scan.gltf'), join(out, name), '--report', report);
      const [row] = (JSON.parse(await readFile(report, 'utf8')) as BatchReport).files;
      expect(row!.status).toBe('ok');
      expect(row!.vertices).toBeGreaterThan(0);
      expect(row!.missingImages).toEqual(['color.png']);
      expect(await validationErrors(join(out, name)), name).toEqual([]);
      const written = await io.read(join(out, name));
      expect(written.getRoot().listTextures()).toEqual([]);
      expect(written.getRoot().listMaterials()[0]!.getBaseColorFactor()).toEqual(sphereDocument().getRoot().listMaterials()[0]!.getBaseColorFactor());
      expect(written.getRoot().getExtras()[MISSING_IMAGES_KEY]).toEqual(['color.png']);
      const { labels, labelNames } = readLabels(written);
      expect(labelNames).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(Math.max(...labels)).toBeLessThan(labelNames.length);
      expect((await run(['info', join(out, name)])).code, name).toBe(0);
    }
    expect((await readdir(out)).filter((name) => !name.endsWith('.json')).sort()).toEqual(['m.bin', 'm.glb', 'm.gltf']);
    // Not an error, but said on stderr unless --quiet.
    const loud = await run(['segment', join(dir, 'scan.gltf'), '-o', join(out, 'loud.glb'), '--model', modelFile, '--backend', 'cpu', '--workers', '1']);
    expect(loud.code).toBe(0);
    expect(loud.stderr).toContain(`erlangen: ${join(dir, 'scan.gltf')}: image files color.png could not be read; written without those textures\n`);
  });
});
