/**
 * Erlangen core (`erlangen`): loading scans, welding and repair, and the geometry of gauges.
 * Every function is a plain function of typed arrays: it runs on the main thread, in a worker or in Node.
 * @packageDocumentation
 */
export type { Mesh, SourceMesh, SourcePrimitive, Repair } from './mesh/mesh.js';
export { NO_VERTEX, vertexCount, triangleCount } from './mesh/mesh.js';
export { MeshError, type MeshErrorCode } from './mesh/mesh-error.js';
export { loadSourceMesh, type LoadSourceMeshOptions } from './mesh/load-source-mesh.js';
export { loadMesh, type LoadMeshOptions } from './mesh/load-mesh.js';
export { loadDocument } from './mesh/load-document.js';
export { dropMissingImages, MISSING_IMAGES_KEY } from './mesh/drop-missing-images.js';
export { documentFromSourceMesh } from './mesh/document-from-source-mesh.js';
export { gltfIO, type GltfIOOptions } from './mesh/gltf-io.js';
export { prepareMesh } from './mesh/prepare-mesh.js';
export { weld } from './mesh/weld.js';
export { repairMesh, type RepairMeshOptions } from './mesh/repair.js';
export { meshTopology, type MeshTopology } from './mesh/topology.js';
export { boundingBox, type BoundingBox } from './mesh/bounding-box.js';
export type { MeshFormat } from './mesh/detect-format.js';
export {
  simplifyMesh, remeshMesh, refineMesh, nearestVertices, transferVertexData, SIMPLIFY_MESH_DEFAULTS, REMESH_MESH_DEFAULTS, REFINE_MESH_DEFAULTS,
  type Retriangulation, type SimplifyMeshOptions, type RemeshMeshOptions, type RemeshResult, type RefineMeshOptions, type VertexData,
} from './mesh/retriangulate.js';

export type { Neighbourhood, SparseMatrix } from './geometry/neighbourhood.js';
export type { GaugeGeometry } from './geometry/gauge-geometry.js';
export { computeGaugeGeometry } from './geometry/compute-gauge-geometry.js';
export { computeVertexNormals } from './geometry/vertex-normals.js';
export { computeVertexAreas, computeTotalArea } from './geometry/vertex-areas.js';
export { meanEdgeLength } from './geometry/mean-edge-length.js';
export { computeTangentFrames, type TangentFrames } from './geometry/tangent-frames.js';
export { computeOneRing } from './geometry/one-ring.js';
export { computeCotanLaplacian, computeLumpedMass } from './geometry/cotan-laplacian.js';
export { geodesicPatches, type GeodesicPatchesOptions } from './geometry/geodesic-patches.js';
export { patchRadius, type PatchRadiusOptions } from './geometry/patch-radius.js';
export { buildHierarchy, type Hierarchy, type HierarchyLevel, type HierarchyOptions } from './geometry/hierarchy.js';
export { describeMesh, type MeshDescription } from './geometry/describe-mesh.js';

export { computeInputFeatures, type InputFeatures, type InputFeaturesOptions } from './model/features/input-features.js';
export type { FieldShape } from './model/layers/feature-layout.js';
export type { ConvNeighbourhood } from './model/layers/conv-neighbourhood.js';
export { ARCHITECTURE_DEFAULTS, type Architecture } from './model/architecture.js';
export { prepareNetworkInput, PREPROCESSING_DEFAULTS, type Preprocessing, type NetworkInput, type NetworkLevel, type NetworkPooling } from './model/network-input.js';
export { Network, type ForwardPass, type ForwardOptions } from './model/network.js';
export { createModel, encodeModel, decodeModel, type Model } from './model/model.js';
export { predictMesh, predictInput, labelsFromLogits, labelsOfSourceVertices, labelsOfMeshVertices, type Prediction } from './model/predict.js';
export { ProbabilityEnsemble, PREDICTION_DEFAULTS, predictionOptions, predictPasses, smoothingTime, type PredictionOptions, type PassHooks } from './model/prediction-ensemble.js';
export { smoothProbabilities } from './model/smooth-probabilities.js';
export { heatFlow, type HeatFlowOptions } from './geometry/heat-flow.js';
export { changeGauge, randomGauge } from './model/random-gauge.js';
export { sampleGradients, type TrainingSample, type SampleResult } from './model/sample-gradients.js';
export { train, TRAIN_DEFAULTS, type TrainOptions, type TrainProgress, type TrainCheckpoint, type GradientSource, type BatchGradients } from './model/train.js';
export { AdamW, learningRate, type AdamWOptions } from './model/adam.js';
export { mulberry32 } from './mesh/seeded-random.js';
export { encodeModelFile, decodeModelFile, MODEL_FILE_MAGIC, MODEL_FILE_VERSION, type ModelFileContent } from './model/model-file.js';
export { ModelFileError, type ModelFileErrorCode } from './model/model-file-error.js';
export { SegmentationMetrics, type SegmentationResult, type ClassMetrics } from './model/metrics.js';
