import type { SegmentationStage, StageProgress } from 'erlangen/three';

/** The stages shown, in order: load runs in the page, the others in the worker. */
export const STAGES: readonly SegmentationStage[] = ['load', 'weld', 'geometry', 'features', 'segment'];

const DESCRIPTIONS: Record<SegmentationStage, string> = {
  load: 'load file',
  weld: 'weld + repair',
  geometry: 'gauge geometry',
  features: 'hierarchy + features',
  segment: 'network',
};

/** A progress bar per stage with its time. */
export class ProgressView {
  private readonly rows = new Map<SegmentationStage, HTMLTableRowElement>();

  constructor(table: HTMLTableElement) {
    for (const stage of STAGES) {
      const row = table.insertRow();
      row.dataset.stage = stage;
      row.innerHTML = `<td>${DESCRIPTIONS[stage]}</td><td class="bar"><div></div></td><td class="ms"></td>`;
      this.rows.set(stage, row);
    }
  }

  /** Clears every stage. */
  reset(): void {
    for (const row of this.rows.values()) {
      row.className = '';
      row.cells[2]!.textContent = '';
    }
  }

  /** Shows one progress report. */
  report(progress: StageProgress): void {
    const row = this.rows.get(progress.stage);
    if (!row) return;
    row.className = progress.state === 'start' ? 'running' : 'done';
    row.cells[2]!.textContent = progress.state === 'done' ? `${progress.ms.toFixed(0)} ms` : '…';
  }

  /** Shows a finished run again from its times: a failed or cancelled run gives the table back to the scan on screen. */
  show(timings: Partial<Record<SegmentationStage, number>>): void {
    this.reset();
    for (const stage of STAGES) {
      const ms = timings[stage];
      if (ms !== undefined) this.report({ stage, state: 'done', ms });
    }
  }
}
