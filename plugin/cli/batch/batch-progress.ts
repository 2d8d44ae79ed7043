import { formatDuration } from '../training/progress-bar.js';
import type { FileResult } from './segment-file.js';

/** Running totals of a batch, for the progress line and the summary. */
export class BatchProgress {
  done = 0;
  ok = 0;
  skipped = 0;
  failed = 0;
  vertices = 0;
  private readonly start = performance.now();

  constructor(readonly total: number) {}

  add(result: FileResult): void {
    this.done++;
    if (result.status === 'ok') this.ok++;
    else if (result.status === 'skipped') this.skipped++;
    else this.failed++;
    this.vertices += result.vertices;
  }

  /** Seconds since the batch started. */
  get elapsed(): number {
    return (performance.now() - this.start) / 1000;
  }

  /** `segment ██████░░░░ 12/200 files, 1 failed, 45.2k vertices/s, 1m20s left` */
  line(): string {
    const width = 20;
    const filled = this.total > 0 ? Math.round((this.done / this.total) * width) : width;
    const rate = this.elapsed > 0 ? this.vertices / this.elapsed : 0;
    const worked = this.done - this.skipped;
    const remaining = worked > 0 ? (this.elapsed / worked) * (this.total - this.done) : NaN;
    const parts = [`${this.done}/${this.total} files`];
    if (this.skipped > 0) parts.push(`${this.skipped} skipped`);
    if (this.failed > 0) parts.push(`${this.failed} failed`);
    parts.push(`${(rate / 1000).toFixed(1)}k vertices/s`);
    parts.push(Number.isFinite(remaining) ? `${formatDuration(remaining)} left` : '– left');
    return `segment ${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${parts.join(', ')}`;
  }
}

/** One line per file for logs (non-TTY output): `ok 6890 vertices 812 ms in.obj → out.glb`. */
export function fileLine(result: FileResult): string {
  const ms = `${Math.round(result.ms)} ms`;
  if (result.status === 'error') return `error ${result.input}: ${result.error!.message.replace(`${result.input}: `, '')} [${result.error!.code}]`;
  if (result.status === 'skipped') return `skipped ${result.input} → ${result.output} (up to date)`;
  return `ok ${result.input} → ${result.output} ${result.vertices} vertices ${ms}`;
}
