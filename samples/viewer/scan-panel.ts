import type { MeshSegmentation, SegmentationOverlay, SegmentationStage } from 'erlangen/three';
import type { LegendView } from './legend-view.js';
import type { ProgressView } from './progress-view.js';
import { repairSummary } from './repair-summary.js';
import type { LoadedScan } from './scan-geometry.js';

/** The page elements a {@link ScanPanel} writes. */
export interface ScanPanelElements {
  readonly scanName: HTMLElement;
  readonly repairs: HTMLElement;
  readonly backend: HTMLElement;
  readonly hover: HTMLElement;
  readonly exportButton: HTMLButtonElement;
}

/**
 * What the panel says about one scan: name and counts, legend, repairs, stage times, backend, and
 * whether Export is on. It describes the segmented scan on screen, or the one in progress and nothing of the previous.
 */
export class ScanPanel {
  constructor(private readonly elements: ScanPanelElements, private readonly legend: LegendView, private readonly progress: ProgressView) {}

  /** A segmented scan with its overlay and the times of the run that segmented it; Export on. */
  showSegmented(scan: LoadedScan, overlay: SegmentationOverlay, result: MeshSegmentation, timings: Partial<Record<SegmentationStage, number>>): void {
    const { scanName, repairs, backend, exportButton } = this.elements;
    scanName.textContent = `${scan.name}: ${sizeOf(scan)} (${result.meshVertexCount.toLocaleString('en')} welded)`;
    this.legend.show(overlay, result.labelNames);
    let unlabelled = 0;
    for (const label of result.labels) if (label >= result.labelNames.length) unlabelled++;
    repairs.textContent = repairSummary(result.repairs, unlabelled);
    repairs.hidden = repairs.textContent === '';
    this.progress.show(timings);
    const total = Object.values(timings).reduce((sum, ms) => sum + ms, 0);
    backend.textContent = `backend: ${result.backend}${result.adapter ? ` (${result.adapter})` : ''}${result.fallbackReason ? ` — fell back to cpu: ${result.fallbackReason}` : ''} · total ${total.toFixed(0)} ms`;
    exportButton.disabled = false;
  }

  /** A scan that loads (`scan` null) or segments: nothing of the previous one is left; Export off. The progress table is the run's. */
  showPending(name: string, scan: LoadedScan | null): void {
    this.elements.scanName.textContent = scan ? `${name}: ${sizeOf(scan)} — segmenting…` : `${name}: loading…`;
    this.clearResult();
  }

  /** No scan at all. */
  showNothing(): void {
    this.elements.scanName.textContent = '—';
    this.clearResult();
    this.progress.reset();
  }

  private clearResult(): void {
    const { repairs, backend, hover, exportButton } = this.elements;
    this.legend.clear();
    repairs.hidden = true;
    backend.textContent = '';
    hover.hidden = true;
    exportButton.disabled = true;
  }
}

function sizeOf(scan: LoadedScan): string {
  return `${scan.geometry.getAttribute('position').count.toLocaleString('en')} vertices, ${(scan.source.triangles.length / 3).toLocaleString('en')} triangles`;
}
