/**
 * `erlangen/onnx`: export a model's network as a standard ONNX graph and run it on onnxruntime
 * (onnxruntime-node or onnxruntime-web, optional dependencies loaded only when used).
 */
export { exportOnnx, exportOnnxGraph, EXPORT_ONNX_DEFAULTS, type ExportOnnxOptions, type OnnxExport } from './export-onnx.js';
export { onnxFeeds, type OnnxFeeds, type OnnxFeedTensor } from './onnx-feeds.js';
export { createOnnxBackend, type OnnxBackend, type OnnxBackendOptions, type OnnxPrediction } from './onnx-backend.js';
export { loadOnnxRuntime, type OnnxRuntimeKind } from './onnx-runtime.js';
export { OnnxError, type OnnxErrorCode } from './onnx-error.js';
export { ONNX_OPSET, ONNX_IR_VERSION, FEATURES, LOGITS, siteInputs, poolInputs } from './onnx-inputs.js';
export { gemConvWeightsFromGemCnn, selfInteractionWeightsFromGemCnn } from './gem-cnn-weights.js';
export { planNetwork, type PlanStep, type PlanSite } from './network-plan.js';
