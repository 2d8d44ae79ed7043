import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../plugin/cli/main.js';
import { parsePredictionOptions } from '../../../plugin/cli/backend.js';
import { UsageError } from '../../../plugin/cli/command.js';
import { formatRetriangulation, parseRetriangulation, REFINE_LEVELS, REMESH_RESOLUTION, SIMPLIFY_VERTICES } from '../../../plugin/cli/retriangulation.js';
import { bumpySphere, SMALL_PREPROCESSING, smallArchitecture } from '../../core/model/network-fixtures.js';
import { createModel, encodeModel } from '../../../core/model/model.js';
import { mulberry32 } from '../../../core/mesh/seeded-random.js';
import type { Mesh } from '../../../core/mesh/mesh.js';
import { prepareNetworkInput } from '../../../core/model/network-input.js';
import { predictMesh } from '../../../core/model/predict.js';

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

/** The mesh as OFF text, followed by `extra` vertices that no face uses. */
function offText(mesh: Mesh, extra: number[][] = []): string {
  const n = mesh.positions.length / 3;
  const lines = [`OFF`, `${n + extra.length} ${mesh.triangles.length / 3} 0`];
  for (let v = 0; v < n; v++) lines.push(`${mesh.positions[3 * v]} ${mesh.positions[3 * v + 1]} ${mesh.positions[3 * v + 2]}`);
  for (const p of extra) lines.push(p.join(' '));
  for (let t = 0; t < mesh.triangles.length; t += 3) lines.push(`3 ${mesh.triangles[t]} ${mesh.triangles[t + 1]} ${mesh.triangles[t + 2]}`);
  return `${lines.join('\n')}\n`;
}

/** Top (1) or bottom (0) by the sign of z, as the labelled spheres are labelled. */
function sphereTruth(mesh: Mesh): number[] {
  return Array.from({ length: mesh.positions.length / 3 }, (_, v) => (mesh.positions[3 * v + 2]! > 0 ? 1 : 0));
}

/** A labelled folder of bumpySphere(2, 1) with two stray vertices that repair drops, labelled top (1). */
async function sphereWithStrayVertices(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'erlangen-eval-drop-'));
  const mesh = bumpySphere(2, 1);
  await writeFile(join(dir, 'labels.json'), JSON.stringify({ labels: ['bottom', 'top'] }));
  await writeFile(join(dir, 'sphere-1.off'), offText(mesh, [[10, 10, 10], [11, 10, 10]]));
  await writeFile(join(dir, 'sphere-1.labels.txt'), `${[...sphereTruth(mesh), 1, 1].join('\n')}\n`);
  return dir;
}

/** Runs `body` with process.stderr.isTTY set to `tty`, as eval reads it. */
async function withStderrTTY<T>(tty: boolean, body: () => Promise<T>): Promise<T> {
  const saved = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
  Object.defineProperty(process.stderr, 'isTTY', { value: tty, configurable: true, writable: true });
  try {
    return await body();
  } finally {
    if (saved) Object.defineProperty(process.stderr, 'isTTY', saved);
    else delete (process.stderr as { isTTY?: boolean }).isTTY;
  }
}

describe('erlangen eval scoring and output', () => {
  let modelFile: string;
  let model: ReturnType<typeof createModel>;

  beforeAll(async () => {
    const input = prepareNetworkInput(bumpySphere(2, 1), SMALL_PREPROCESSING);
    model = createModel({ ...smallArchitecture(12, 'silu'), classes: 2 }, SMALL_PREPROCESSING, input.featureShape, ['bottom', 'top'], mulberry32(2));
    modelFile = join(await mkdtemp(join(tmpdir(), 'erlangen-eval-model-')), 'small.erlm');
    await writeFile(modelFile, encodeModel(model));
  });

  it('counts vertices that repair dropped as wrong, in the accuracy, and as no predicted class', async () => {
    const data = await sphereWithStrayVertices();
    const mesh = bumpySphere(2, 1);
    const truth = sphereTruth(mesh);
    const predicted = predictMesh(model, mesh).labels;
    const expected = [[0, 0], [0, 0]];
    truth.forEach((t, v) => expected[t]![predicted[v]!]!++);
    const n = truth.length;

    const evaluation = await run(['eval', '--data', data, '--model', modelFile, '--json']);
    expect(evaluation.code).toBe(0);
    const result = JSON.parse(evaluation.stdout);
    expect(result.vertices).toBe(n + 2);
    // The sphere's own vertices exactly as predictMesh labels them; the two strays in no column.
    expect(result.confusion).toEqual(expected);
    expect(result.accuracy).toBe((expected[0]![0]! + expected[1]![1]!) / (n + 2));
    expect(result.perClass[1].vertices).toBe(expected[1]![0]! + expected[1]![1]! + 2);
    expect(result.perClass[1].accuracy).toBe(expected[1]![1]! / (expected[1]![0]! + expected[1]![1]! + 2));
    // Bottom's IoU sees no false positives from the strays (they were counted as class 0 before).
    expect(result.perClass[0].iou).toBe(expected[0]![0]! / (expected[0]![0]! + expected[0]![1]! + expected[1]![0]!));

    const text = await run(['eval', '--data', data, '--model', modelFile]);
    expect(text.stdout).toContain(`vertices ${n + 2} (2 dropped by mesh repair: no prediction, counted wrong)`);
  }, 60_000);

  describe('progress and errors on stderr', () => {
    let data: string;

    beforeAll(async () => {
      data = await sphereWithStrayVertices();
      await writeFile(join(data, 'sphere-2.obj'), 'v 0 0 0\nv 1 0 0\nv nan 1 0\nf 1 2 3\n');
      await writeFile(join(data, 'sphere-2.labels.txt'), '0\n0\n0\n');
    });

    it('writes plain lines without escape codes when stderr is not a terminal, the error on its own line', async () => {
      const { code, stderr } = await withStderrTTY(false, () => run(['eval', '--data', data, '--model', modelFile, '--json']));
      expect(code).toBe(1);
      expect(stderr).not.toMatch(/[\r\x1b]/);
      expect(stderr.split('\n')).toEqual([
        `eval ${data}: 1/2 sphere-1`,
        `eval ${data}: 2/2 sphere-2`,
        expect.stringMatching(/^erlangen: .*sphere-2\.obj: vertex 2 .*\[NAN_POSITION\]$/),
        '',
      ]);
    }, 60_000);

    it('rewrites one progress line on a terminal and clears it before an error', async () => {
      const { code, stderr } = await withStderrTTY(true, () => run(['eval', '--data', data, '--model', modelFile, '--json']));
      expect(code).toBe(1);
      expect(stderr).toMatch(new RegExp(`^\\r${escape(`eval ${data}: 1/2 sphere-1`)}\\x1b\\[K\\r${escape(`eval ${data}: 2/2 sphere-2`)}\\x1b\\[K\\r\\x1b\\[Kerlangen: [^\\r\\x1b]*\\[NAN_POSITION\\]\\n$`));
    }, 60_000);
  });

  it('refuses a --match that selects no mesh as a usage error naming the pattern and the folder', async () => {
    const data = await sphereWithStrayVertices();
    const { code, stdout, stderr } = await run(['eval', '--data', data, '--model', modelFile, '--match', 'zzz', '--json']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`erlangen: --match 'zzz' matches no mesh in ${data} (the only stem there is sphere-1)`);
  });

  it('states the --retriangulate ranges the same in --help and in the error, and keeps to them', async () => {
    const help = (await run(['eval', '--help'])).stdout.replace(/\s+/g, ' ');
    const refused = await run(['eval', '--data', '.', '--retriangulate', 'refine:4']);
    expect(refused.code).toBe(2);
    const error = refused.stderr.split('\n')[0]!;
    for (const range of [`${SIMPLIFY_VERTICES.min} or more`, `${REMESH_RESOLUTION.min}–${REMESH_RESOLUTION.max}`, `${REFINE_LEVELS.min}–${REFINE_LEVELS.max}`]) {
      expect(help).toContain(range);
      expect(error).toContain(range);
    }
    expect(error).toContain(`refine:<levels, ${REFINE_LEVELS.min}–${REFINE_LEVELS.max}>`);
    expect(help).toContain(`refine:<levels of midpoint subdivision, ${REFINE_LEVELS.min}–${REFINE_LEVELS.max}>`);

    for (const text of ['none', 'simplify:4', 'isotropic:3000', 'remesh:4', 'remesh:256', 'refine:1', 'refine:3']) {
      expect(formatRetriangulation(parseRetriangulation(text))).toBe(text);
    }
    for (const text of ['refine:0', 'refine:4', 'remesh:3', 'remesh:257', 'simplify:3', 'simplify:', 'simplify:0x10', 'simplify:1e3', 'remesh: 64', 'remesh:64.0', 'refine:1:2', 'none:', 'voxel:64']) {
      expect(() => parseRetriangulation(text), text).toThrow(UsageError);
    }
  });

  it('takes --passes and --smooth only as plain decimal numbers', () => {
    expect(parsePredictionOptions('4', '1.5')).toEqual({ passes: 4, smoothing: 1.5 });
    expect(parsePredictionOptions('04', '.5')).toEqual({ passes: 4, smoothing: 0.5 });
    for (const passes of ['0x4', '', ' 4', '4.0', '1e1', '+4']) {
      expect(() => parsePredictionOptions(passes, undefined)).toThrow(`--passes '${passes}': passes must be a whole number from 1 to 64`);
    }
    for (const smooth of ['', '0x1', '1e0', '-0', 'Infinity']) {
      expect(() => parsePredictionOptions(undefined, smooth)).toThrow(`--smooth '${smooth}': smoothing must be a number from 0 to 16`);
    }
    expect(() => parsePredictionOptions('0', undefined)).toThrow(UsageError);
  });
});

/** `text` as a literal inside a RegExp. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
