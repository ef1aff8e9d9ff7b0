// Port of model cards' hand-written fields (one row per registered model). Conventions as in
// metadata-store.ts: `get` answers undefined when nothing was saved yet.
import type { ModelCardFields } from '../model-card.js';

export interface ModelCardRepository {
  get(modelId: string): Promise<ModelCardFields | undefined>;
  /** Insert or replace the fields of the model. */
  put(fields: ModelCardFields): Promise<void>;
}
