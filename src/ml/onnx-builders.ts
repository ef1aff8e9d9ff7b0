// Small builders of ONNX protobuf pieces shared by the exporters: attributes, typed values with a
// symbolic batch dimension, double initializers, and the model envelope every export carries.
import onnxProto from 'onnx-proto';
import type { onnx as Onnx } from 'onnx-proto';

/** ONNX opsets the exported graphs use. */
export const ONNX_OPSET = 17;
export const ONNX_ML_OPSET = 3;
/** IR version 8 (ONNX 1.10+), read by every onnxruntime since 1.10. */
export const ONNX_IR_VERSION = 8;

/** metadata_props keys every exported model carries. */
export const ONNX_METADATA = {
  features: 'flywheel.features',
  classes: 'flywheel.classes',
  model: 'flywheel.model',
} as const;

export const { onnx } = onnxProto;
export const FLOAT = onnx.TensorProto.DataType.FLOAT;
export const DOUBLE = onnx.TensorProto.DataType.DOUBLE;
export const STRING = onnx.TensorProto.DataType.STRING;
export const BOOL = onnx.TensorProto.DataType.BOOL;
const A = onnx.AttributeProto.AttributeType;
const utf8 = new TextEncoder();

export type Attr = Onnx.IAttributeProto;
export const intAttr = (name: string, v: number): Attr => ({ name, type: A.INT, i: v });
export const floatAttr = (name: string, v: number): Attr => ({ name, type: A.FLOAT, f: v });
export const stringAttr = (name: string, v: string): Attr => ({ name, type: A.STRING, s: utf8.encode(v) });
export const floatsAttr = (name: string, v: ArrayLike<number>): Attr => ({ name, type: A.FLOATS, floats: Array.from(v, Math.fround) });
export const stringsAttr = (name: string, v: readonly string[]): Attr => ({ name, type: A.STRINGS, strings: v.map((s) => utf8.encode(s)) });

/** A tensor value with a symbolic batch dimension: [N, ...rest]. */
export function tensorValue(name: string, elemType: number, rest: number[]): Onnx.IValueInfoProto {
  return { name, type: { tensorType: { elemType, shape: { dim: [{ dimParam: 'N' }, ...rest.map((d) => ({ dimValue: d }))] } } } };
}

/** A double initializer of the given shape (row-major values). */
export function doubleTensor(name: string, dims: number[], values: ArrayLike<number>): Onnx.ITensorProto {
  return { name, dims, dataType: DOUBLE, doubleData: Array.from(values) };
}

/** A graph under construction: nodes named `flywheel/<op>_<n>`, intermediate value types. */
export class GraphBuilder {
  readonly nodes: Onnx.INodeProto[] = [];
  readonly valueInfo: Onnx.IValueInfoProto[] = [];
  readonly initializers: Onnx.ITensorProto[] = [];

  node(opType: string, input: string[], output: string[], attribute: Attr[] = [], domain = ''): void {
    this.nodes.push({ opType, input, output, attribute, domain, name: `flywheel/${opType}_${this.nodes.length}` });
  }

  /** Declare the type of an intermediate [N, ...rest] tensor. */
  value(name: string, elemType: number, rest: number[]): void {
    this.valueInfo.push(tensorValue(name, elemType, rest));
  }
}

/**
 * The model envelope of every export: IR 8, opsets ai.onnx 17 and ai.onnx.ml 3, producer
 * 'flywheel', the metadata given, one input per feature ([N, 1] float or string).
 */
export function encodeModel(args: {
  graphName: string;
  docString: string;
  features: ReadonlyArray<{ name: string; kind: 'numeric' | 'categorical' }>;
  graph: GraphBuilder;
  outputs: Onnx.IValueInfoProto[];
  metadata: Array<{ key: string; value: string }>;
}): Uint8Array {
  const proto = onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    producerName: 'flywheel',
    producerVersion: '1',
    domain: 'flywheel',
    modelVersion: 1,
    docString: args.docString,
    opsetImport: [
      { domain: '', version: ONNX_OPSET },
      { domain: 'ai.onnx.ml', version: ONNX_ML_OPSET },
    ],
    metadataProps: args.metadata,
    graph: {
      name: args.graphName,
      node: args.graph.nodes,
      input: args.features.map((f) => tensorValue(f.name, f.kind === 'numeric' ? FLOAT : STRING, [1])),
      output: args.outputs,
      initializer: args.graph.initializers,
      valueInfo: args.graph.valueInfo,
    },
  });
  return onnx.ModelProto.encode(proto).finish();
}
