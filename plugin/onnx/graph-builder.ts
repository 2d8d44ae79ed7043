import { onnxModelType } from './onnx-schema.js';

/** Element types the exporter writes, named as onnxruntime names them. */
export type OnnxElementType = 'float32' | 'int32' | 'int64';

/** TensorProto.DataType codes of {@link OnnxElementType}. */
const DATA_TYPE: Record<OnnxElementType, number> = { float32: 1, int32: 6, int64: 7 };

/** A dimension: a fixed size or a symbolic name (a dynamic size, e.g. `level0_vertices`). */
export type OnnxDim = number | string;

/** A node attribute: int, ints, float, string or tensor, as AttributeProto types them. */
export type OnnxAttribute =
  | { readonly i: number }
  | { readonly ints: readonly number[] }
  | { readonly f: number }
  | { readonly s: string }
  | { readonly t: { readonly type: OnnxElementType; readonly dims: readonly number[]; readonly values: readonly number[] } };

/** What {@link OnnxGraphBuilder.encode} writes around the graph. */
export interface OnnxModelInfo {
  readonly graphName: string;
  readonly opset: number;
  readonly irVersion: number;
  readonly producerName: string;
  readonly producerVersion: string;
  readonly docString: string;
  readonly metadata: Readonly<Record<string, string>>;
}

interface ValueInfo { name: string; type: { tensor_type: { elem_type: number; shape: { dim: ({ dim_value: number } | { dim_param: string })[] } } } }

/** Little-endian bytes of a typed array (ONNX raw_data is little-endian; so is every platform Node and browsers run on). */
function rawBytes(data: Float32Array | Int32Array | BigInt64Array): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function valueInfo(name: string, type: OnnxElementType, dims: readonly OnnxDim[]): ValueInfo {
  const dim = dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d }));
  return { name, type: { tensor_type: { elem_type: DATA_TYPE[type], shape: { dim } } } };
}

function attributeProto(name: string, value: OnnxAttribute): Record<string, unknown> {
  if ('i' in value) return { name, type: 2, i: value.i };
  if ('ints' in value) return { name, type: 7, ints: [...value.ints] };
  if ('f' in value) return { name, type: 1, f: value.f };
  if ('s' in value) return { name, type: 3, s: new TextEncoder().encode(value.s) };
  const t = value.t;
  const data = t.type === 'float32' ? new Float32Array(t.values) : t.type === 'int32' ? new Int32Array(t.values) : BigInt64Array.from(t.values, BigInt);
  return { name, type: 4, t: { dims: [...t.dims], data_type: DATA_TYPE[t.type], raw_data: rawBytes(data) } };
}

/**
 * Builds one ONNX graph node by node: unique value names, initializers (small ones shared by
 * content), inputs and outputs with symbolic dimensions; `encode` writes a ModelProto with
 * protobufjs from the schema in onnx.proto.
 */
export class OnnxGraphBuilder {
  private readonly nodes: Record<string, unknown>[] = [];
  private readonly initializers: Record<string, unknown>[] = [];
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private readonly names = new Set<string>();
  private readonly shared = new Map<string, string>();
  /** Op types used, for the report and the README. */
  readonly opTypes = new Set<string>();

  /** A name not used yet, from `hint`. */
  fresh(hint: string): string {
    let name = hint;
    for (let n = 1; this.names.has(name); n++) name = `${hint}_${n}`;
    this.names.add(name);
    return name;
  }

  /** Declares a graph input; returns its name (which must be new). */
  input(name: string, type: OnnxElementType, dims: readonly OnnxDim[]): string {
    if (this.names.has(name)) throw new Error(`OnnxGraphBuilder: input name '${name}' is taken`);
    this.names.add(name);
    this.inputs.push(valueInfo(name, type, dims));
    return name;
  }

  /** Declares `value` a graph output. */
  output(value: string, type: OnnxElementType, dims: readonly OnnxDim[]): void {
    this.outputs.push(valueInfo(value, type, dims));
  }

  /** An initializer holding `data` with shape `dims`; tensors under 256 elements are shared by content. */
  constant(hint: string, data: Float32Array | Int32Array | BigInt64Array, dims: readonly number[]): string {
    const type: OnnxElementType = data instanceof Float32Array ? 'float32' : data instanceof Int32Array ? 'int32' : 'int64';
    const key = data.length < 256 ? `${type}:${dims.join('x')}:${Array.from(data as ArrayLike<number | bigint>, String).join(',')}` : null;
    const known = key === null ? undefined : this.shared.get(key);
    if (known !== undefined) return known;
    const name = this.fresh(hint);
    this.initializers.push({ name, dims: [...dims], data_type: DATA_TYPE[type], raw_data: rawBytes(data) });
    if (key !== null) this.shared.set(key, name);
    return name;
  }

  /** A 1-D int64 constant (shapes, axes, indices). */
  int64s(values: readonly number[]): string {
    return this.constant('i64', BigInt64Array.from(values, BigInt), [values.length]);
  }

  /** A float constant of shape `dims` (a scalar when dims is empty). */
  floats(values: ArrayLike<number>, dims: readonly number[] = [values.length]): string {
    return this.constant('f32', Float32Array.from(values), dims);
  }

  /** Appends a node with one output; returns the output's name. */
  op(opType: string, inputs: readonly string[], attributes: Readonly<Record<string, OnnxAttribute>> = {}, hint = opType.toLowerCase()): string {
    const output = this.fresh(hint);
    this.opTypes.add(opType);
    const attribute = Object.entries(attributes).map(([name, value]) => attributeProto(name, value));
    this.nodes.push({ op_type: opType, input: [...inputs], output: [output], name: output, attribute });
    return output;
  }

  /** The ModelProto bytes of the graph built so far. */
  encode(info: OnnxModelInfo): Uint8Array {
    const type = onnxModelType();
    const model = {
      ir_version: info.irVersion,
      opset_import: [{ domain: '', version: info.opset }],
      producer_name: info.producerName,
      producer_version: info.producerVersion,
      doc_string: info.docString,
      graph: { name: info.graphName, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs },
      metadata_props: Object.entries(info.metadata).map(([key, value]) => ({ key, value })),
    };
    const problem = type.verify(model);
    if (problem) throw new Error(`OnnxGraphBuilder: the model does not fit onnx.proto: ${problem}`);
    return type.encode(type.fromObject(model)).finish();
  }
}
