import type { SegmentationOverlay } from 'erlangen/three';

/**
 * The legend: a row per label with its colour, name and vertex count. Click hides or shows a
 * label; shift- or alt-click highlights it (again to clear).
 */
export class LegendView {
  constructor(private readonly table: HTMLTableElement, private readonly onChange: () => void) {}

  /** Rebuilds the rows for `overlay`'s current labels. */
  show(overlay: SegmentationOverlay, names: readonly string[]): void {
    this.table.replaceChildren();
    const counts = overlay.counts();
    names.forEach((name, label) => {
      const row = this.table.insertRow();
      row.dataset.label = name;
      row.dataset.count = String(counts[label] ?? 0);
      row.title = 'click: hide/show · shift- or alt-click: highlight';
      row.innerHTML = `<td><span class="swatch"></span></td><td class="name"></td><td class="count"></td>`;
      (row.querySelector('.swatch') as HTMLElement).style.background = overlay.cssColourOf(label);
      row.cells[1]!.textContent = name;
      row.cells[2]!.textContent = (counts[label] ?? 0).toLocaleString('en');
      row.addEventListener('click', (event) => {
        if (event.shiftKey || event.altKey) overlay.highlight = overlay.highlight === label ? null : label;
        else overlay.setLabelVisible(label, !overlay.isLabelVisible(label));
        this.refresh(overlay);
        this.onChange();
      });
    });
    this.refresh(overlay);
  }

  /** Removes every row, while no segmentation is on screen. */
  clear(): void {
    this.table.replaceChildren();
  }

  private refresh(overlay: SegmentationOverlay): void {
    for (const row of Array.from(this.table.rows)) {
      const label = row.rowIndex;
      row.classList.toggle('hidden', !overlay.isLabelVisible(label));
      row.classList.toggle('highlighted', overlay.highlight === label);
    }
  }
}
