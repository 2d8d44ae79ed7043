import type { Architecture } from '../../core/model/architecture.js';
import type { FieldShape } from '../../core/model/layers/feature-layout.js';
import { GemConv, type GemConvSpec } from '../../core/model/layers/gem-conv.js';
import { SelfInteraction, type SelfInteractionSpec } from '../../core/model/layers/self-interaction.js';

/** Where a step's vertices live: a network level (0 = hierarchy level 1) or the mesh itself. */
export type PlanSite = number | 'mesh';

/** A step's parameters: its slice of the model's flat parameter vector. */
interface ParameterSlice {
  readonly offset: number;
  readonly count: number;
}

/** One inference-time operation of the network; `inputs` index earlier steps. */
export type PlanStep = { readonly site: PlanSite; readonly shape: FieldShape; readonly inputs: readonly number[] } & (
  | { readonly kind: 'input' }
  | ({ readonly kind: 'conv'; readonly spec: Required<GemConvSpec> } & ParameterSlice)
  | ({ readonly kind: 'self'; readonly spec: SelfInteractionSpec } & ParameterSlice)
  | { readonly kind: 'nonlinearity'; readonly samples: number; readonly function: Architecture['nonlinearity'] }
  | { readonly kind: 'add' }
  | { readonly kind: 'concat' }
  | { readonly kind: 'pool'; readonly pool: number }
  | { readonly kind: 'unpool'; readonly pool: number }
);

/**
 * The steps of core/model/network.ts's `Network` in inference mode (dropout is the identity and
 * left out), in the same order and with the same parameter offsets. `Network` keeps its node
 * list private, so this walks the same U-shape; the exporter checks that the parameter count
 * agrees and the tests check the logits.
 */
export function planNetwork(a: Architecture, inputShape: FieldShape): { steps: PlanStep[]; parameterCount: number } {
  const steps: PlanStep[] = [];
  let parameters = 0;
  const hidden = (channels: number): FieldShape => ({ channels, maxOrder: a.maxOrder });
  const push = (step: PlanStep): number => steps.push(step) - 1;
  const slice = (count: number): ParameterSlice => {
    const s = { offset: parameters, count };
    parameters += count;
    return s;
  };
  const shapeOf = (x: number): FieldShape => steps[x]!.shape;
  const conv = (site: PlanSite, x: number, out: FieldShape, radius: number, bias: boolean): number => {
    const layer = new GemConv({ in: shapeOf(x), out, rings: a.rings, radius, bias, normalise: true });
    return push({ kind: 'conv', site, shape: out, inputs: [x], spec: layer.spec, ...slice(layer.parameterCount) });
  };
  const self = (site: PlanSite, x: number, out: FieldShape): number => {
    const spec: SelfInteractionSpec = { in: shapeOf(x), out, bias: true };
    return push({ kind: 'self', site, shape: out, inputs: [x], spec, ...slice(new SelfInteraction(spec).parameterCount) });
  };
  const nonlinear = (site: PlanSite, x: number): number =>
    push({ kind: 'nonlinearity', site, shape: shapeOf(x), inputs: [x], samples: a.samples, function: a.nonlinearity });
  const sum = (site: PlanSite, x: number, y: number): number => push({ kind: 'add', site, shape: shapeOf(x), inputs: [x, y] });
  const convUnit = (site: number, x: number, out: FieldShape): number => {
    const c = conv(site, x, out, a.convRadius, false);
    return sum(site, c, self(site, x, out));
  };
  const block = (site: number, x: number): number => {
    const h = nonlinear(site, convUnit(site, x, shapeOf(x)));
    return nonlinear(site, sum(site, x, convUnit(site, h, shapeOf(x))));
  };

  let x = push({ kind: 'input', site: 0, shape: inputShape, inputs: [] });
  x = nonlinear(0, convUnit(0, x, hidden(a.channels[0]!)));
  const skips: number[] = [];
  for (let level = 0; level < a.channels.length; level++) {
    if (level > 0) {
      x = push({ kind: 'pool', site: level, shape: shapeOf(x), inputs: [x], pool: level - 1 });
      x = nonlinear(level, self(level, x, hidden(a.channels[level]!)));
    }
    for (let b = 0; b < a.blocks; b++) x = block(level, x);
    skips.push(x);
  }
  for (let level = a.channels.length - 2; level >= 0; level--) {
    x = push({ kind: 'unpool', site: level, shape: shapeOf(x), inputs: [x], pool: level });
    const skip = skips[level]!;
    const joined = push({ kind: 'concat', site: level, shape: hidden(shapeOf(x).channels + shapeOf(skip).channels), inputs: [x, skip] });
    x = nonlinear(level, self(level, joined, hidden(a.channels[level]!)));
    x = block(level, x);
  }
  x = conv('mesh', x, { channels: a.outputChannels, maxOrder: 0 }, a.outputRadius, true);
  x = nonlinear('mesh', x);
  self('mesh', x, { channels: a.classes, maxOrder: 0 });
  return { steps, parameterCount: parameters };
}
