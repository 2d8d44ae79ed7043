import type { Repair } from 'erlangen';

// Singular and plural of what each repair kind counts (see repairMesh).
const REPAIR_NOUNS: Record<string, readonly [string, string]> = {
  DEGENERATE_FACES: ['degenerate triangle dropped', 'degenerate triangles dropped'],
  DUPLICATE_FACES: ['duplicate triangle dropped', 'duplicate triangles dropped'],
  NON_MANIFOLD_EDGES: ['non-manifold edge cut apart', 'non-manifold edges cut apart'],
  NON_MANIFOLD_VERTICES: ['non-manifold vertex split', 'non-manifold vertices split'],
  UNREFERENCED_VERTICES: ['vertex in no triangle', 'vertices in no triangle'],
};

/**
 * One line on what repair changed and how many vertices have no label, so that legend counts
 * which do not add up to the vertex count are explained; empty when there is nothing to say.
 */
export function repairSummary(repairs: readonly Repair[], unlabelledVertices: number): string {
  const parts = repairs.map(({ kind, count }) => {
    const nouns = REPAIR_NOUNS[kind];
    return `${count.toLocaleString('en')} ${nouns ? nouns[count === 1 ? 0 : 1] : kind}`;
  });
  const repaired = parts.length > 0 ? `Repaired: ${parts.join(', ')}.` : '';
  const unlabelled = unlabelledVertices > 0 ? `${unlabelledVertices.toLocaleString('en')} ${unlabelledVertices === 1 ? 'vertex' : 'vertices'} unlabelled, not counted in the legend.` : '';
  return [repaired, unlabelled].filter(Boolean).join(' ');
}
