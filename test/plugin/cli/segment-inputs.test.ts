import { describe, expect, it, beforeAll } from 'vitest';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Document, NodeIO } from '@gltf-transform/core';
import { collectInputs } from '../../../plugin/cli/batch/collect-inputs.js';
import { stampDocument } from '../../../plugin/cli/batch/labelling-stamp.js';

let root: string;
let out: string;

/**
 * `root/scans`: a.obj, b.glb (a scan) and a folder named scan.obj; `root/out` (the output folder):
 * a.glb and sub/c.glb that segment wrote (stamped), d.glb a user put there (not stamped),
 * e.obj, and link.glb, a link to a.glb.
 */
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'erlangen-inputs-'));
  out = join(root, 'out');
  await mkdir(join(root, 'scans', 'scan.obj'), { recursive: true });
  await mkdir(join(out, 'sub'), { recursive: true });
  const io = new NodeIO();
  const stamped = new Document();
  stampDocument(stamped, { model: 'ab', passes: 1, smoothing: 0, colors: false });
  for (const name of ['a.glb', 'sub/c.glb']) await writeFile(join(out, name), await io.writeBinary(stamped));
  await writeFile(join(out, 'd.glb'), await io.writeBinary(new Document()));
  await writeFile(join(root, 'scans', 'b.glb'), await io.writeBinary(new Document()));
  for (const path of [join(root, 'scans', 'a.obj'), join(out, 'e.obj')]) await writeFile(path, 'v 0 0 0\n');
  await symlink('a.glb', join(out, 'link.glb'));
});

describe('collectInputs', () => {
  it('takes regular files and links to them from a folder, never a folder named like a scan', async () => {
    const { inputs, leftOut } = await collectInputs([join(root, 'scans')]);
    expect(inputs.map((input) => input.relative)).toEqual(['a.obj', 'b.glb']);
    expect(leftOut).toEqual([]);
    const globbed = await collectInputs([join(root, 'scans', '*.obj')]);
    expect(globbed.inputs.map((input) => input.relative)).toEqual(['a.obj']);
  });

  it('leaves out of a folder search only the glTF inside the output folder that segment wrote, and lists them', async () => {
    const { inputs, leftOut } = await collectInputs([out], out);
    expect(inputs.map((input) => input.relative)).toEqual(['d.glb', 'e.obj']);
    // link.glb is a.glb under another name: a link into the output folder is left out like its target.
    expect(leftOut).toEqual(['a.glb', 'link.glb', 'sub/c.glb'].map((name) => join(out, name)));
    const globbed = await collectInputs([join(out, '**/*.glb')], out);
    expect(globbed.inputs.map((input) => input.path)).toEqual([join(out, 'd.glb')]);
    expect(globbed.leftOut).toHaveLength(3);
  });

  it('never leaves out a file named on the command line, even one segment wrote inside the output folder', async () => {
    const named = join(out, 'sub', 'c.glb');
    const { inputs, leftOut } = await collectInputs([out, named], out);
    expect(inputs.map((input) => input.path)).toContain(named);
    expect(leftOut).not.toContain(named);
    expect((await collectInputs([join(out, 'a.glb')], out)).inputs).toEqual([{ path: join(out, 'a.glb'), relative: 'a.glb' }]);
  });

  it('leaves out nothing when the output folder does not exist yet, or is elsewhere', async () => {
    expect((await collectInputs([out], join(root, 'new'))).leftOut).toEqual([]);
    expect((await collectInputs([out], join(root, 'scans'))).leftOut).toEqual([]);
  });
});
