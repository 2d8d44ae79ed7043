import type { TrainProgress } from '../../../core/model/train.js';

/** One status line for a terminal: epoch, step bar, loss, accuracies and time left. */
export function formatProgress(p: TrainProgress): string {
  const width = 20;
  const filled = Math.round((p.step / p.stepsPerEpoch) * width);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
  const percent = (x: number) => (Number.isNaN(x) ? '  –  ' : `${(100 * x).toFixed(1)}%`);
  return `epoch ${p.epoch}/${p.epochs} ${bar} loss ${p.loss.toFixed(4)} train ${percent(p.trainAccuracy)} val ${percent(p.validationAccuracy)} ${formatDuration(p.elapsed)} elapsed, ${formatDuration(p.remaining)} left`;
}

/** 75 → "1m15s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}
