import { parseArgs } from 'node:util';
import { loadSourceMesh } from '../../../core/mesh/load-source-mesh.js';
import { prepareMesh } from '../../../core/mesh/prepare-mesh.js';
import { describeMesh, type MeshDescription } from '../../../core/geometry/describe-mesh.js';
import { UsageError, type Command } from '../command.js';

const HELP = `Usage: erlangen info <file> [--json]

Loads a scan (glTF/GLB with Draco or meshopt, OBJ, PLY, OFF), welds and validates it, and
prints vertices (welded and as in the file), faces, connected components, boundary loops,
repairs made, bounding box and mean edge length.

Options:
  --json      print one JSON object: vertices, sourceVertices, faces, components,
              boundaryLoops, repairs, bbox, meanEdgeLength

Example:
  erlangen info samples/scans/lee-perry-smith/LeePerrySmith.glb --json
`;

function formatInfo(file: string, info: MeshDescription): string {
  const vector = (v: number[]) => v.map((x) => x.toPrecision(6)).join(', ');
  const repairs = info.repairs.length === 0 ? 'none' : info.repairs.map((r) => `${r.kind} × ${r.count}`).join(', ');
  return [
    file,
    `  vertices         ${info.vertices} (${info.sourceVertices} in the file)`,
    `  faces            ${info.faces}`,
    `  components       ${info.components}`,
    `  boundary loops   ${info.boundaryLoops}`,
    `  repairs          ${repairs}`,
    `  bbox             min (${vector(info.bbox.min)})  max (${vector(info.bbox.max)})`,
    `  mean edge length ${info.meanEdgeLength.toPrecision(6)}`,
    '',
  ].join('\n');
}

/** `erlangen info`: the CLI face of {@link describeMesh}. */
export const infoCommand: Command = {
  name: 'info',
  summary: 'summarise a scan: vertices, faces, components, boundaries, repairs, size',
  help: HELP,
  async run(args, io) {
    let parsed;
    try {
      parsed = parseArgs({ args, options: { json: { type: 'boolean' } }, allowPositionals: true });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const [file, ...extra] = parsed.positionals;
    if (file === undefined) throw new UsageError('info needs a file');
    if (extra.length > 0) throw new UsageError(`info takes one file, got ${parsed.positionals.length}`);
    const source = await loadSourceMesh(file);
    const info = describeMesh(source, prepareMesh(source));
    io.stdout(parsed.values.json ? `${JSON.stringify(info)}\n` : formatInfo(file, info));
    return 0;
  },
};
