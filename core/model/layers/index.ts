/** Gauge-equivariant layers of a GEM-CNN on Float32Array, forward and backward. */
export { accumulateInto, addFields } from './add.js';
export { gaugeTransformNeighbourhood, type ConvNeighbourhood } from './conv-neighbourhood.js';
export { ChannelDropout, type ChannelDropoutSpec } from './dropout.js';
export { channelWidth, fieldVertexCount, fieldWidth, type FieldShape } from './feature-layout.js';
export { GemConv, type GemConvSpec } from './gem-conv.js';
export { fillNormal } from './initialisation.js';
export { InvariantNorm, type InvariantNormSpec } from './invariant-norm.js';
export { invariantPart, invariantPartBackward } from './invariant-part.js';
export { Pooling, Unpooling } from './pooling.js';
export { defaultSamples, LEAKY_SLOPE, RegularNonlinearity, type RegularNonlinearityKind, type RegularNonlinearitySpec } from './regular-nonlinearity.js';
export { rotateField } from './rotate-field.js';
export { SelfInteraction, type SelfInteractionSpec } from './self-interaction.js';
export { softmaxCrossEntropy, type SoftmaxCrossEntropyOptions } from './softmax-cross-entropy.js';
