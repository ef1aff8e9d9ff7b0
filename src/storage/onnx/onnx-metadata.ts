// Read an ONNX model's metadata properties (metadata_props) from its bytes with onnx-proto;
// onnxruntime does not expose them.
import onnxProto from 'onnx-proto';
import { ValidationError } from '../../domain/errors.js';

const { onnx } = onnxProto;

/** The model's metadata_props as a plain object; ValidationError when the bytes are not ONNX. */
export function onnxMetadata(bytes: Uint8Array): Record<string, string> {
  let model: onnxProto.onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (err) {
    throw new ValidationError(`the model is not a valid ONNX file: ${err instanceof Error ? err.message : String(err)}`, { field: 'onnx' });
  }
  const out: Record<string, string> = {};
  for (const p of model.metadataProps ?? []) if (p.key) out[p.key] = p.value ?? '';
  return out;
}
