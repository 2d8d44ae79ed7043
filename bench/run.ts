import { benchBatch } from './batch.js';
import { benchForwardCpu } from './forward-cpu.js';
import { benchForwardCpuPasses } from './forward-cpu-passes.js';
import { benchForwardCpuVsOrt } from './forward-cpu-vs-ort.js';
import { benchForwardWebgpu } from './forward-webgpu.js';
import { benchForwardWebgpuVsOrt } from './forward-webgpu-vs-ort.js';
import { benchPrepare } from './prepare.js';
import { benchTrainStepCpu } from './train-step-cpu.js';

/** Benchmark cases by name; `npm run bench -- prepare` runs one, no argument runs all. */
const CASES: Record<string, () => Promise<void>> = {
  prepare: benchPrepare,
  'forward-cpu': benchForwardCpu,
  'forward-cpu-passes': benchForwardCpuPasses,
  'forward-cpu-vs-ort': benchForwardCpuVsOrt,
  'forward-webgpu': benchForwardWebgpu,
  'forward-webgpu-vs-ort': benchForwardWebgpuVsOrt,
  'train-step-cpu': benchTrainStepCpu,
  batch: benchBatch,
};

const wanted = process.argv.slice(2);
for (const name of wanted.length > 0 ? wanted : Object.keys(CASES)) {
  const run = CASES[name];
  if (!run) {
    process.stderr.write(`bench: unknown case '${name}' (known: ${Object.keys(CASES).join(', ')})\n`);
    process.exit(2);
  }
  await run();
}
