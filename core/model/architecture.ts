/** The network's shape, stored as JSON in the model file. */
export interface Architecture {
  /** Band limit M of hidden features: each channel is ρ0 ⊕ ρ1 ⊕ … ⊕ ρM. */
  maxOrder: number;
  /** Angular samples of the regular nonlinearity; exact equivariance for rotations by multiples of 2π/N. */
  samples: number;
  /** Pointwise function of the regular nonlinearity. */
  nonlinearity: 'relu' | 'silu';
  /** Radial hat functions per convolution. */
  rings: number;
  /** Channels per network level (hierarchy levels 1, 2, …), finest first. */
  channels: number[];
  /** Residual blocks per level on the way down (the way up has one per level). */
  blocks: number;
  /** ρ0 channels of the hidden layer at the mesh's own vertices. */
  outputChannels: number;
  /** Number of classes. */
  classes: number;
  /** Probability of dropping a channel at a vertex during training. */
  dropout: number;
  /** Convolution radius in the level's spacings (the patch radius). */
  convRadius: number;
  /** Radius of the output convolution in level-1 spacings. */
  outputRadius: number;
}

/** Defaults of {@link Architecture}, without the class count. */
export const ARCHITECTURE_DEFAULTS: Omit<Architecture, 'classes'> = {
  maxOrder: 2,
  // SiLU is smooth, so its harmonics fall off fast: random-gauge error 2.3e-3 at N = 12 and 5.6e-7 at N = 24 against ReLU's 8.2e-2 and 1.7e-2 (M = 2).
  samples: 16,
  nonlinearity: 'silu',
  rings: 3,
  channels: [12, 16, 24],
  blocks: 1,
  outputChannels: 16,
  dropout: 0.1,
  convRadius: 2.5,
  outputRadius: 1.5,
};
