import { describe, expect, it } from 'vitest';
import { createModel, decodeModel, encodeModel } from '../../../core/model/model.js';
import { ModelFileError } from '../../../core/model/model-file-error.js';
import { encodeModelFile, decodeModelFile } from '../../../core/model/model-file.js';
import { prepareNetworkInput } from '../../../core/model/network-input.js';
import { predictInput } from '../../../core/model/predict.js';
import { mulberry32 } from '../../../core/mesh/seeded-random.js';
import { bumpySphere, SMALL_PREPROCESSING, smallArchitecture } from './network-fixtures.js';

const LABELS = ['a', 'b', 'c', 'd', 'e'];
const input = prepareNetworkInput(bumpySphere(3), SMALL_PREPROCESSING);

describe('model files', () => {
  it('round-trip to the same predictions, bit for bit', () => {
    const model = createModel(smallArchitecture(12), SMALL_PREPROCESSING, input.featureShape, LABELS, mulberry32(1));
    const loaded = decodeModel(encodeModel(model), 'small.erlm');
    expect(loaded.labels).toEqual(LABELS);
    expect(loaded.preprocessing).toEqual(SMALL_PREPROCESSING);
    const a = model.network.forward(model.parameters, input).logits;
    const b = loaded.network.forward(loaded.parameters, input).logits;
    expect(b).toEqual(a);
    expect(predictInput(loaded.network, loaded.parameters, input).labels).toEqual(predictInput(model.network, model.parameters, input).labels);
  });

  it('refuses a corrupt file with a ModelFileError naming it', () => {
    const bytes = encodeModel(createModel(smallArchitecture(12), SMALL_PREPROCESSING, input.featureShape, LABELS, mulberry32(1)));
    bytes[bytes.length - 100]! ^= 0x40;
    expect(() => decodeModel(bytes, 'broken.erlm')).toThrow(ModelFileError);
    expect(() => decodeModel(bytes, 'broken.erlm')).toThrow(/^broken\.erlm: .*checksum/);
  });

  it('refuses a well-formed file whose weights do not fit its architecture', () => {
    const model = createModel(smallArchitecture(12), SMALL_PREPROCESSING, input.featureShape, LABELS, mulberry32(1));
    const content = decodeModelFile(encodeModel(model), 'x');
    const bytes = encodeModelFile({ ...content, parameters: content.parameters.subarray(1) });
    expect(() => decodeModel(bytes, 'short.erlm')).toThrow(/short\.erlm: the architecture needs \d+ parameters, the file holds \d+/);
    const wrongLabels = encodeModelFile({ ...content, labels: ['only', 'two'] });
    expect(() => decodeModel(wrongLabels, 'labels.erlm')).toThrow(/5 classes but the file names 2 labels/);
  });
});
