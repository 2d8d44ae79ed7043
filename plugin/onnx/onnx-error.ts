import { FileError } from '../../core/mesh/file-error.js';

/** Why an ONNX export or run failed. Codes are stable: scripts and reports match on them. */
export type OnnxErrorCode =
  /** The model cannot be exported: its parameters or architecture do not fit. */
  | 'INVALID_MODEL'
  /** onnxruntime-node or onnxruntime-web is not installed (both are optional dependencies). */
  | 'RUNTIME_MISSING'
  /** The runtime refused the ONNX file (not a model, or an op it lacks). */
  | 'SESSION_FAILED'
  /** The network input does not fit the model (levels, feature shape). */
  | 'INPUT_MISMATCH'
  /** The runtime failed while running the graph. */
  | 'RUN_FAILED';

/**
 * A typed error of the ONNX plugin: `code` for programs; `file` names what it is about (the
 * model file, the runtime package, or `<input>`), and the message says what to do.
 */
export class OnnxError extends FileError<OnnxErrorCode> {
  override readonly name = 'OnnxError';
}
