// A small builder for ONNX graphs: nodes, initializers, typed inputs/outputs and metadata,
// serialized through the protobufjs ModelProto. Exporters describe graphs with it and never
// touch wire bytes.
import protobuf from 'protobufjs';
import {
  AttributeType,
  DataType,
  ModelProto,
  StringStringEntryProto,
  type DataTypeCode,
} from './onnx-proto.js';

export const mlDomain = 'ai.onnx.ml';
// ai.onnx.ml 3 has the TreeEnsemble*/Linear*/LabelEncoder attributes used here; opset 17 has
// Softmax over one axis; IR 8 is what both need and every onnxruntime since 1.10 loads.
const opsets = [
  { domain: '', version: 17 },
  { domain: mlDomain, version: 3 },
];
const irVersion = 8;

export type Attribute =
  | { type: typeof AttributeType.FLOAT; f: number }
  | { type: typeof AttributeType.INT; i: number }
  | { type: typeof AttributeType.STRING; s: Uint8Array }
  | { type: typeof AttributeType.FLOATS; floats: ArrayLike<number> }
  | { type: typeof AttributeType.INTS; ints: ArrayLike<number> }
  | { type: typeof AttributeType.STRINGS; strings: Uint8Array[] };

const utf8 = new TextEncoder();

export const attr = {
  float: (f: number): Attribute => ({ type: AttributeType.FLOAT, f }),
  int: (i: number): Attribute => ({ type: AttributeType.INT, i }),
  string: (s: string): Attribute => ({ type: AttributeType.STRING, s: utf8.encode(s) }),
  floats: (values: ArrayLike<number>): Attribute => ({
    type: AttributeType.FLOATS,
    floats: Array.from(values),
  }),
  ints: (values: ArrayLike<number>): Attribute => ({ type: AttributeType.INTS, ints: Array.from(values) }),
  strings: (values: readonly string[]): Attribute => ({
    type: AttributeType.STRINGS,
    strings: values.map((v) => utf8.encode(v)),
  }),
};

/** A dimension is a fixed size or a symbolic name such as 'N' for the batch. */
export type Dim = number | string;

interface ValueInfo {
  name: string;
  type: {
    tensor_type: {
      elem_type: DataTypeCode;
      shape: { dim: ({ dim_value: number } | { dim_param: string })[] };
    };
  };
}

function valueInfo(name: string, elemType: DataTypeCode, dims: readonly Dim[]): ValueInfo {
  const dim = dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d }));
  return { name, type: { tensor_type: { elem_type: elemType, shape: { dim } } } };
}

export class OnnxGraph {
  private readonly nodes: object[] = [];
  private readonly initializers: object[] = [];
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private counter = 0;

  /** A fresh internal tensor name; the prefix keeps it apart from column names. */
  fresh(hint: string): string {
    this.counter += 1;
    return `__${hint}_${this.counter}`;
  }

  input(name: string, elemType: DataTypeCode, dims: readonly Dim[]): string {
    this.inputs.push(valueInfo(name, elemType, dims));
    return name;
  }

  output(name: string, elemType: DataTypeCode, dims: readonly Dim[]): void {
    this.outputs.push(valueInfo(name, elemType, dims));
  }

  /** Adds a node and returns its single output's name (`output` when given, else a fresh one). */
  node(
    opType: string,
    inputs: readonly string[],
    attributes: Record<string, Attribute> = {},
    output?: string,
    domain = '',
  ): string {
    const out = output ?? this.fresh(opType.toLowerCase());
    const attribute = Object.entries(attributes).map(([name, a]) => ({ name, ...a }));
    this.nodes.push({
      input: inputs,
      output: [out],
      name: this.fresh(`node_${opType}`),
      op_type: opType,
      domain,
      attribute,
    });
    return out;
  }

  floatConstant(values: ArrayLike<number>, dims: readonly number[]): string {
    const name = this.fresh('const');
    this.initializers.push({ name, data_type: DataType.FLOAT, dims, float_data: Array.from(values) });
    return name;
  }

  stringConstant(values: readonly string[], dims: readonly number[]): string {
    const name = this.fresh('const');
    this.initializers.push({
      name,
      data_type: DataType.STRING,
      dims,
      string_data: values.map((v) => utf8.encode(v)),
    });
    return name;
  }

  int64Constant(values: readonly number[], dims: readonly number[]): string {
    const name = this.fresh('const');
    this.initializers.push({ name, data_type: DataType.INT64, dims, int64_data: values });
    return name;
  }

  serialize(graphName: string, metadata: Record<string, string>, producerVersion: string): Uint8Array {
    const model = ModelProto.fromObject({
      ir_version: irVersion,
      opset_import: opsets,
      producer_name: 'azfn-mlops',
      producer_version: producerVersion,
      graph: {
        name: graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
      metadata_props: Object.entries(metadata).map(([key, value]) => ({ key, value })),
    });
    return ModelProto.encode(model).finish();
  }
}

// ModelProto's field number of metadata_props.
const metadataField = 14;

/**
 * The metadata_props of a serialized model, as written by OnnxGraph.serialize. Only those
 * entries are decoded and the graph is skipped: decoding a 500-tree graph takes three times as
 * long as onnxruntime takes to load it, on the path of a cold scoring request.
 */
export function readMetadata(bytes: Uint8Array): Record<string, string> {
  const reader = protobuf.Reader.create(bytes);
  const metadata: Record<string, string> = {};
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag >>> 3 === metadataField && (tag & 7) === 2) {
      const entry = StringStringEntryProto.decode(reader, reader.uint32()) as unknown as {
        key: string;
        value: string;
      };
      metadata[entry.key] = entry.value;
    } else reader.skipType(tag & 7);
  }
  return metadata;
}
