import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Mesh } from '../../../core/mesh/mesh.js';
import { main } from '../../../plugin/cli/main.js';
import { bumpySphere } from '../../core/model/network-fixtures.js';

/** Runs the CLI in this process and collects its exit code and output. */
export async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

/** A mesh as OFF text. */
export function offText(mesh: Mesh): string {
  const n = mesh.positions.length / 3;
  const lines = [`OFF`, `${n} ${mesh.triangles.length / 3} 0`];
  for (let v = 0; v < n; v++) lines.push(`${mesh.positions[3 * v]} ${mesh.positions[3 * v + 1]} ${mesh.positions[3 * v + 2]}`);
  for (let t = 0; t < mesh.triangles.length; t += 3) lines.push(`3 ${mesh.triangles[t]} ${mesh.triangles[t + 1]} ${mesh.triangles[t + 2]}`);
  return `${lines.join('\n')}\n`;
}

/** Writes `sphere-<seed>.off` (a bumpy sphere, 162 vertices) and its labels (1 above z = 0, else 0) into `dir`. */
export async function writeLabelledSphere(dir: string, seed: number): Promise<void> {
  const mesh = bumpySphere(2, seed);
  const labels = Array.from({ length: mesh.positions.length / 3 }, (_, v) => (mesh.positions[3 * v + 2]! > 0 ? 1 : 0));
  await writeFile(join(dir, `sphere-${seed}.off`), offText(mesh));
  await writeFile(join(dir, `sphere-${seed}.labels.txt`), `${labels.join('\n')}\n`);
}

/** Three bumpy spheres labelled top/bottom, as a labelled data folder. */
export async function sphereDataset(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'erlangen-data-'));
  await writeFile(join(dir, 'labels.json'), JSON.stringify({ labels: ['bottom', 'top'] }));
  for (const seed of [1, 2, 3]) await writeLabelledSphere(dir, seed);
  return dir;
}
