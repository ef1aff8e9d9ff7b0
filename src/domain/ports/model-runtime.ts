// The model runtime port: loads model bytes once per content digest (one shared session per
// model version) and runs batches through it. Adapter: onnxruntime-node.

export interface TensorInfo {
  name: string;
  /** Element type as the runtime names it: 'float32', 'string', 'int64', … */
  type: string;
  /** Dimensions; symbolic ones (a batch size) as strings. */
  shape: Array<number | string>;
}

export interface ModelSignature {
  inputs: TensorInfo[];
  outputs: string[];
  /** Element type of each tensor output, by name ('float32', 'float64', 'string', …), when the runtime tells. */
  outputTypes?: Record<string, string>;
  /** The model's metadata properties (ONNX metadata_props). */
  metadata: Record<string, string>;
}

/** One input column of a batch: numbers for numeric features, strings for categorical ones. */
export type FeatureColumn = Float32Array | string[];

/**
 * A batch's outputs. A classifier answers `labels` and `probabilities`; a regression model (one
 * output, `prediction`) answers `values`, with no labels and no classes.
 */
export interface ModelOutput {
  /** The predicted label of each row (empty for a regression model). */
  labels: string[];
  /** Row-major [rows × classes] probabilities (empty for a regression model). */
  probabilities: Float32Array;
  classes: number;
  /** A regression model's predicted value of each row, as the model's output type holds it. */
  values?: Float32Array | Float64Array;
}

export interface ModelRuntime {
  readonly kind: string;
  /**
   * Load the model stored under `sha256` (idempotent: concurrent and later calls share one
   * session) and answer its signature. ValidationError when the bytes are not a loadable model.
   */
  load(sha256: string, bytes: Uint8Array): Promise<ModelSignature>;
  isLoaded(sha256: string): boolean;
  /** The signature of a loaded model (undefined when it is not loaded). */
  signature(sha256: string): ModelSignature | undefined;
  /**
   * Run a batch: one column per model input, each of the same length (the rows), fed with shape
   * [rows, 1]. The model must be loaded; the outputs used are `label` and `probabilities`, or a
   * regression model's `prediction`.
   */
  predict(sha256: string, columns: Record<string, FeatureColumn>): Promise<ModelOutput>;
  /** Forget a session (later predictions need a new load). */
  unload(sha256: string): Promise<void>;
  close(): Promise<void>;
}
