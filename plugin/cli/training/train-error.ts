import { FileError } from '../../../core/mesh/file-error.js';

/** Why `erlangen train` stopped, beyond a bad data folder (DatasetError) or mesh (MeshError). Codes are stable: scripts match on them. */
export type TrainErrorCode =
  /**
   * The checkpoint cannot be resumed by this run: it was made with other options, data or network,
   * by a version that prepares meshes differently or did not record its data, or it is past the
   * epochs asked for. Deleting it starts over.
   */
  | 'CHECKPOINT_MISMATCH'
  /** Preparing a mesh, or a re-triangulated copy of it, as a training sample failed other than on reading its files. */
  | 'PREPARE_FAILED';

/** A typed error of `erlangen train`: `code` for programs, `message` (naming the file) for people. */
export class TrainError extends FileError<TrainErrorCode> {
  override readonly name = 'TrainError';
}
