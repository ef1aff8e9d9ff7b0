// Model cards: the fields people fill in per registered model (intended use, limitations, …)
// and the facts a card is generated from (lineage, metrics, gate, aliases, retraining decisions).
import type { Dataset, DatasetVersion } from './datasets.js';
import type { RetrainDecision } from './monitoring.js';
import type { AliasChange, ModelVersion, RegisteredModel } from './serving.js';
import type { Run } from './tracking.js';

/** The hand-written parts of a card, one set per registered model; '' means not filled in yet. */
export interface ModelCardFields {
  model_id: string;
  project_id: string;
  intended_use: string;
  limitations: string;
  ethical_considerations: string;
  /** Owners and how to reach them. */
  owners: string;
  updated_by: string | null;
  updated_at: number | null;
}

export const CARD_FIELD_NAMES = ['intended_use', 'limitations', 'ethical_considerations', 'owners'] as const;
export type CardFieldName = (typeof CARD_FIELD_NAMES)[number];

export const CARD_FIELD_TITLES: Record<CardFieldName, string> = {
  intended_use: 'Intended use',
  limitations: 'Limitations',
  ethical_considerations: 'Ethical considerations',
  owners: 'Owners and contact',
};

/** One dataset version of the lineage chain (the trained-on version first, then its parents). */
export interface CardDatasetVersion {
  dataset: Pick<Dataset, 'id' | 'name'> | null;
  version: Pick<DatasetVersion, 'id' | 'version' | 'parent_version_id' | 'report' | 'source' | 'created_at'>;
}

/** Everything a card shows, gathered by the service; the renderers only format it. */
export interface ModelCardFacts {
  model: RegisteredModel;
  version: ModelVersion;
  /** Aliases pointing at this version now. */
  aliases: string[];
  /** Every alias move of the model that involved this version (to or from), newest first. */
  alias_history: AliasChange[];
  run: Pick<Run, 'id' | 'name' | 'code_version' | 'seed' | 'params' | 'metrics' | 'created_at'> | null;
  /** The run id the version names when the run is not (or no longer) in the project. */
  run_id: string | null;
  /** The trained-on dataset version, then its parents (oldest last). */
  datasets: CardDatasetVersion[];
  /** The dataset version id the version names when it is not found in the project. */
  dataset_version_id: string | null;
  decisions: RetrainDecision[];
  fields: ModelCardFields;
  generated_at: number;
}
