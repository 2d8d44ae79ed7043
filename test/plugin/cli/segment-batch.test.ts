import { describe, expect, it, beforeAll } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { NodeIO } from '@gltf-transform/core';
import { ALL_EXTENSIONS } from '@gltf-transform/extensions';
import { draco } from '@gltf-transform/functions';
import draco3d from 'draco3dgltf';
import validator from 'gltf-validator';
import { encodeModel } from '../../../core/model/model.js';
import { main } from '../../../plugin/cli/main.js';
import type { BatchReport } from '../../../plugin/cli/commands/segment.js';
import { inShard } from '../../../plugin/cli/batch/shard.js';
import { readLabels } from '../../../plugin/gltf-transform/read-labels.js';
import { bytesOf, toOff, toObj, toPly } from '../../fixtures/mesh-files.js';
import { bumpySphere } from '../../fixtures/meshes.js';
import { smallModel, sphereDocument } from '../../fixtures/scan-documents.js';

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

async function hashes(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out[relative(dir, join(entry.parentPath, entry.name))] = createHash('sha256').update(await readFile(join(entry.parentPath, entry.name))).digest('hex');
  }
  return out;
}

let scans: string;
let modelFile: string;
const GOOD = ['seams.glb', 'draco.glb', 'sub/sphere.obj', 'sub/sphere-ply.ply', 'sphere-off.off'];
const BAD: Record<string, string> = { 'truncated.glb': 'TRUNCATED', 'empty.obj': 'EMPTY', 'nan.off': 'NAN_POSITION' };

/** A folder of good scans in every format (glTF with seams, Draco, OBJ, PLY, OFF in a sub-folder) and three bad ones. */
beforeAll(async () => {
  scans = await mkdtemp(join(tmpdir(), 'erlangen-scans-'));
  await mkdir(join(scans, 'sub'));
  const io = new NodeIO().registerExtensions(ALL_EXTENSIONS).registerDependencies({
    'draco3d.encoder': await draco3d.createEncoderModule(), 'draco3d.decoder': await draco3d.createDecoderModule(),
  });
  const glb = await io.writeBinary(sphereDocument());
  await writeFile(join(scans, 'seams.glb'), glb);
  const compressed = sphereDocument();
  await compressed.transform(draco());
  await writeFile(join(scans, 'draco.glb'), await io.writeBinary(compressed));
  const sphere = bumpySphere(3, 2);
  const raw = { positions: Float32Array.from(sphere.positions), triangles: sphere.triangles };
  await writeFile(join(scans, 'sub/sphere.obj'), toObj(raw));
  await writeFile(join(scans, 'sub/sphere-ply.ply'), toPly(raw, 'binary_little_endian'));
  await writeFile(join(scans, 'sphere-off.off'), toOff(raw));
  await writeFile(join(scans, 'truncated.glb'), glb.subarray(0, glb.length >> 1));
  await writeFile(join(scans, 'empty.obj'), '');
  const off = toOff(raw).split('\n');
  // Line 4 is the first vertex (after the header, a comment and the counts).
  off[4] = `nan ${off[4]!.split(' ').slice(1).join(' ')}`;
  await writeFile(join(scans, 'nan.off'), bytesOf(off.join('\n')));
  modelFile = join(await mkdtemp(join(tmpdir(), 'erlangen-model-')), 'small.erlm');
  await writeFile(modelFile, encodeModel(smallModel()));
});

describe('erlangen segment over a folder', () => {
  it('writes valid labelled GLBs for good files, reports bad ones with codes, exits 1 and leaves inputs untouched', async () => {
    const before = await hashes(scans);
    const out = await mkdtemp(join(tmpdir(), 'erlangen-out-'));
    const report = join(out, 'report.json');
    const { code, stderr } = await run(['segment', scans, '-o', out, '--model', modelFile, '--backend', 'cpu', '--workers', '2', '--report', report, '--colors']);
    expect(code).toBe(1);
    expect(await hashes(scans)).toEqual(before);
    const { files, backend, model, prediction } = JSON.parse(await readFile(report, 'utf8')) as BatchReport;
    expect(prediction).toEqual({ passes: 1, smoothing: 0 });
    expect(backend).toBe('cpu');
    expect(model).toBe(modelFile);
    const byName = new Map(files.map((f) => [relative(scans, f.input), f]));
    expect([...byName.keys()].sort()).toEqual([...GOOD, ...Object.keys(BAD)].sort());
    for (const [name, errorCode] of Object.entries(BAD)) {
      expect(byName.get(name)!.status).toBe('error');
      expect(byName.get(name)!.error!.code).toBe(errorCode);
      expect(stderr).toContain(`${join(scans, name)}: `);
    }
    for (const name of GOOD) {
      const row = byName.get(name)!;
      expect(row.status, `${name}: ${row.error?.message}`).toBe('ok');
      expect(row.output).toBe(join(out, name.replace(/\.\w+$/, '.glb')));
      expect(Object.values(row.labelCounts).reduce((a, b) => a + b, 0)).toBe(row.vertices);
      const validation = await validator.validateBytes(new Uint8Array(await readFile(row.output)));
      expect(validation.issues.numErrors, `${name}: ${JSON.stringify(validation.issues.messages)}`).toBe(0);
    }
    const drafted = await readFile(byName.get('draco.glb')!.output);
    expect(drafted.toString('latin1')).toContain('KHR_draco_mesh_compression');
  });

  it('writes labels that erlangen eval predicts again from the written files', async () => {
    const out = await mkdtemp(join(tmpdir(), 'erlangen-out-'));
    expect((await run(['segment', join(scans, 'seams.glb'), join(scans, 'draco.glb'), join(scans, 'sub'), '-o', out, '--model', modelFile, '--backend', 'cpu', '--quiet'])).code).toBe(0);
    const io = new NodeIO().registerExtensions(ALL_EXTENSIONS).registerDependencies({ 'draco3d.decoder': await draco3d.createDecoderModule() });
    // The written files as a labelled data folder: eval must find every label it wrote.
    for (const name of ['seams', 'draco', 'sphere', 'sphere-ply']) {
      const { labels, labelNames } = readLabels(await io.read(join(out, `${name}.glb`)));
      await writeFile(join(out, `${name}.labels.txt`), `${Array.from(labels).join('\n')}\n`);
      await writeFile(join(out, 'labels.json'), JSON.stringify({ labels: labelNames }));
    }
    const evaluation = await run(['eval', '--data', out, '--model', modelFile, '--json']);
    expect(evaluation.code).toBe(0);
    const result = JSON.parse(evaluation.stdout);
    expect(result.meshes).toBe(4);
    expect(result.accuracy).toBe(1);
  });

  it('skips outputs up to date with the same model and options, redoes the others and all with --force, and shards cover every input once', async () => {
    const good = await mkdtemp(join(tmpdir(), 'erlangen-good-'));
    for (const name of ['seams.glb', 'sphere-off.off']) await writeFile(join(good, name), await readFile(join(scans, name)));
    const out = await mkdtemp(join(tmpdir(), 'erlangen-out-'));
    const otherModel = join(out, 'other.erlm');
    await writeFile(otherModel, encodeModel(smallModel(2)));
    const statuses = async (extra: string[], model = modelFile) => {
      const report = join(out, `report-${Math.random()}.json`);
      const { code } = await run(['segment', good, '-o', out, '--model', model, '--backend', 'cpu', '--workers', '1', '--quiet', '--report', report, ...extra]);
      expect(code).toBe(0);
      return (JSON.parse(await readFile(report, 'utf8')) as BatchReport).files.map((f) => f.status);
    };
    expect(await statuses([])).toEqual(['ok', 'ok']);
    expect(await statuses([])).toEqual(['skipped', 'skipped']);
    expect(await statuses(['--force'])).toEqual(['ok', 'ok']);
    expect(await statuses(['--passes', '2'])).toEqual(['ok', 'ok']);
    expect(await statuses(['--passes', '2'])).toEqual(['skipped', 'skipped']);
    expect(await statuses(['--passes', '2', '--smooth', '0.5'])).toEqual(['ok', 'ok']);
    expect(await statuses(['--passes', '2', '--smooth', '0.5'], otherModel)).toEqual(['ok', 'ok']);
    const written = await new NodeIO().registerExtensions(ALL_EXTENSIONS).read(join(out, 'seams.glb'));
    const modelHash = createHash('sha256').update(await readFile(otherModel)).digest('hex');
    expect(written.getRoot().getExtras()).toEqual({ erlangenLabelling: { model: modelHash, passes: 2, smoothing: 0.5, colors: false } });
    // --colors is part of what labelled a file: a rerun with it redoes the outputs and writes COLOR_0.
    expect(await statuses(['--passes', '2', '--smooth', '0.5', '--colors'], otherModel)).toEqual(['ok', 'ok']);
    expect(await statuses(['--passes', '2', '--smooth', '0.5', '--colors'], otherModel)).toEqual(['skipped', 'skipped']);
    const colored = await new NodeIO().registerExtensions(ALL_EXTENSIONS).read(join(out, 'seams.glb'));
    expect(colored.getRoot().listMeshes()[0]!.listPrimitives()[0]!.getAttribute('COLOR_0')).not.toBeNull();
    // One input to one .gltf file: the stamp is read from its JSON.
    const single = join(out, 'single.gltf');
    for (const expected of ['ok', 'skipped']) {
      const report = join(out, `single-${expected}.json`);
      await run(['segment', join(good, 'sphere-off.off'), '-o', single, '--model', modelFile, '--backend', 'cpu', '--quiet', '--report', report]);
      expect((JSON.parse(await readFile(report, 'utf8')) as BatchReport).files.map((f) => f.status)).toEqual([expected]);
    }

    const names = Array.from({ length: 500 }, (_, i) => `scan-${i}.glb`);
    const shards = [0, 1, 2].map((index) => names.filter((name) => inShard(name, { index, count: 3 })));
    expect(shards.flat().sort()).toEqual([...names].sort());
    expect(Math.min(...shards.map((s) => s.length))).toBeGreaterThan(100);
    const covered: string[] = [];
    for (const index of [0, 1, 2]) {
      const report = join(out, `shard-${index}.json`);
      await run(['segment', scans, '-o', await mkdtemp(join(tmpdir(), 'erlangen-shard-')), '--model', modelFile, '--backend', 'cpu', '--quiet', '--shard', `${index}/3`, '--report', report]);
      covered.push(...(JSON.parse(await readFile(report, 'utf8')) as BatchReport).files.map((f) => relative(scans, f.input)));
    }
    expect(covered.sort()).toEqual([...GOOD, ...Object.keys(BAD)].sort());
  });

  it('rejects bad usage with exit code 2', async () => {
    expect((await run(['segment', scans])).code).toBe(2);
    expect((await run(['segment', scans, '-o', '/tmp/x', '--shard', '3/3'])).code).toBe(2);
    expect((await run(['segment', scans, '-o', '/tmp/x', '--workers', '0'])).code).toBe(2);
    expect((await run(['segment', scans, '-o', '/tmp/x', '--backend', 'tpu'])).code).toBe(2);
  });
});

describe('erlangen segment keeps inputs safe and says what it did', () => {
  const cpu = ['--model', () => modelFile, '--backend', 'cpu', '--workers', '1'] as const;
  const segment = (args: string[]) => run(['segment', ...args, ...cpu.map((a) => (typeof a === 'function' ? a() : a))]);
  const reportOf = async (path: string) => JSON.parse(await readFile(path, 'utf8')) as BatchReport;
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

  it('refuses an output that is an input (itself, another, through a link), names both, and goes on', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'erlangen-same-'));
    await writeFile(join(dir, 'x.glb'), await readFile(join(scans, 'seams.glb')));
    await writeFile(join(dir, 'x.obj'), await readFile(join(scans, 'sub/sphere.obj')));
    await symlink('x.glb', join(dir, 'link.glb'));
    const before = await hashes(dir);
    for (const out of [join(dir, 'x.glb'), join(dir, 'link.glb')]) {
      const single = await segment([join(dir, 'x.glb'), '-o', out]);
      expect(single.code).toBe(1);
      expect(single.stderr).toContain(`erlangen: ${join(dir, 'x.glb')}: its output ${out} is this input itself`);
    }
    // Into its own folder: x.glb maps onto itself, x.obj onto x.glb; sphere-off.off elsewhere is written.
    const report = join(dir, 'reports', 'r.json');
    const batch = await segment([join(dir, 'x.glb'), join(dir, 'x.obj'), join(scans, 'sphere-off.off'), '-o', dir, '--report', report]);
    expect(batch.code).toBe(1);
    const rows = new Map((await reportOf(report)).files.map((f) => [f.input, f]));
    expect(rows.get(join(dir, 'x.glb'))!.error!.code).toBe('OUTPUT_IS_INPUT');
    expect(rows.get(join(dir, 'x.obj'))!.error).toEqual({ code: 'OUTPUT_IS_INPUT', message: expect.stringContaining(`its output ${join(dir, 'x.glb')} is the input ${join(dir, 'x.glb')}`) });
    expect(rows.get(join(scans, 'sphere-off.off'))!.status).toBe('ok');
    expect(await hashes(dir)).toEqual({ ...before, 'sphere-off.glb': expect.any(String), 'reports/r.json': expect.any(String) });
    // A report that would replace an input is a usage error before anything runs.
    const reportOnInput = await segment([join(dir, 'x.obj'), join(dir, 'x.glb'), '-o', join(dir, 'out'), '--report', join(dir, 'link.glb')]);
    expect(reportOnInput.code).toBe(2);
    expect(reportOnInput.stderr).toContain(`--report ${join(dir, 'link.glb')} is the input`);
    expect(await hashes(dir)).toEqual({ ...before, 'sphere-off.glb': expect.any(String), 'reports/r.json': expect.any(String) });
  });

  it('segments a named file inside the output folder; a folder rerun leaves out only its own outputs and says so', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'erlangen-inside-'));
    await mkdir(join(dir, 'a'));
    await writeFile(join(dir, 'a', 't1.obj'), await readFile(join(scans, 'sub/sphere.obj')));
    await writeFile(join(dir, 'a', 'scan.glb'), await readFile(join(scans, 'seams.glb')));
    const named = await segment([join(dir, 'a', 't1.obj'), '-o', dir, '--quiet']);
    expect(named.code).toBe(0);
    expect((await stat(join(dir, 't1.glb'))).isFile()).toBe(true);
    const report = join(dir, 'r.json');
    // a/scan.glb is a scan (no stamp), so it is taken, and refused: it would be its own output. t1.glb, written above, is left out.
    const first = await segment([dir, '-o', dir, '--report', report]);
    expect(first.code).toBe(1);
    expect(first.stderr).toContain(`erlangen: left out 1 file inside ${dir} that segment wrote (${join(dir, 't1.glb')}); name a file to segment it anyway\n`);
    const statuses = async () => (await reportOf(report)).files.map((f) => [relative(dir, f.input), f.error?.code ?? f.status]);
    expect((await reportOf(report)).leftOut).toEqual([join(dir, 't1.glb')]);
    expect(await statuses()).toEqual([['a/scan.glb', 'OUTPUT_IS_INPUT'], ['a/t1.obj', 'ok']]);
    expect((await segment([dir, '-o', dir, '--report', report])).code).toBe(1);
    expect((await reportOf(report)).leftOut).toEqual([join(dir, 'a/t1.glb'), join(dir, 't1.glb')]);
    expect(await statuses()).toEqual([['a/scan.glb', 'OUTPUT_IS_INPUT'], ['a/t1.obj', 'skipped']]);
  });

  it('redoes an output whose time equals its input\'s: only a newer output is up to date', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'erlangen-time-'));
    const input = join(dir, 'in', 'x.off');
    await mkdir(join(dir, 'in'));
    await writeFile(input, await readFile(join(scans, 'sphere-off.off')));
    const out = join(dir, 'out');
    const report = join(dir, 'r.json');
    const statuses = async () => {
      expect((await segment([input, '-o', out, '--quiet', '--report', report])).code).toBe(0);
      return (await reportOf(report)).files.map((f) => f.status);
    };
    expect(await statuses()).toEqual(['ok']);
    expect(await statuses()).toEqual(['skipped']);
    // Whole seconds, so that every file system stores both times exactly.
    const time = new Date(Math.floor(Date.now() / 1000) * 1000);
    for (const path of [input, join(out, 'x.glb')]) await utimes(path, time, time);
    expect(await statuses()).toEqual(['ok']);
  });

  it('writes the report into a folder that does not exist, and reports a failed write of it with a code', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'erlangen-report-'));
    const report = join(dir, 'never', 'deep', 'r.json');
    const failed = await segment([join(scans, 'empty.obj'), '-o', join(dir, 'never'), '--report', report]);
    expect(failed.code).toBe(1);
    expect((await reportOf(report)).files.map((f) => f.error?.code)).toEqual(['EMPTY']);
    const emptyShard = join(dir, 'shard', 'r.json');
    const index = [0, 1].find((i) => !inShard('sphere-off.off', { index: i, count: 2 }))!;
    expect((await segment([join(scans, 'sphere-off.off'), '-o', join(dir, 'shard'), '--shard', `${index}/2`, '--report', emptyShard])).code).toBe(0);
    expect((await reportOf(emptyShard)).files).toEqual([]);
    const afile = join(dir, 'afile');
    await writeFile(afile, '');
    const blocked = await segment([join(scans, 'empty.obj'), '-o', join(dir, 'never'), '--report', join(afile, 'r.json')]);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain(`erlangen: ${join(afile, 'r.json')}: cannot write the report (${afile} is a file, not a folder) [WRITE_FAILED]\n`);
  });

  it('reports an output folder that cannot be made as WRITE_FAILED, naming the input, the output and why', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'erlangen-blocked-'));
    const afile = join(dir, 'afile');
    await writeFile(afile, '');
    const input = join(scans, 'sphere-off.off');
    for (const out of [`${afile}/`, join(afile, 'sub')]) {
      const report = join(dir, 'r.json');
      const { code, stderr } = await segment([input, '-o', out, '--report', report]);
      expect(code).toBe(1);
      const output = join(out, 'sphere-off.glb');
      expect(stderr).toMatch(new RegExp(`^erlangen: ${escape(input)}: cannot write ${escape(output)} \\(${escape(afile)} is a file, not a folder\\) \\[WRITE_FAILED\\]\\n$`, 'm'));
      expect((await reportOf(report)).files[0]!.error!.code).toBe('WRITE_FAILED');
    }
  });

  it('prints the stack of each failed file only with --verbose, and keeps stacks out of the report', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'erlangen-verbose-'));
    const report = join(dir, 'r.json');
    const runSegment = (extra: string[]) => run(['segment', join(scans, 'empty.obj'), '-o', dir, '--model', modelFile, '--backend', 'cpu', '--quiet', '--report', report, ...extra]);
    const plain = await runSegment([]);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toBe(`erlangen: ${join(scans, 'empty.obj')}: is empty; the export or download did not finish [EMPTY]\n`);
    const verbose = await runSegment(['--verbose']);
    expect(verbose.stderr.startsWith(plain.stderr)).toBe(true);
    expect(verbose.stderr).toMatch(/\n {4}at /);
    expect((await reportOf(report)).files[0]!.error).toEqual({ code: 'EMPTY', message: expect.any(String) });
  });
});
