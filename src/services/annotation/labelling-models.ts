// The registry models labelling jobs use: resolve a job's model reference (a version, or an
// alias followed at the time) to a version whose classes are the job's labels, and score rows of
// task data with it through the model runtime, in batches. Unknown models, versions and aliases
// and models predicting classes the job does not have are refused as bad input naming the field.
import { labelsOf, type JobModelRef, type LabellingJob } from '../../domain/annotation.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import type { FeatureColumn, ModelRuntime } from '../../domain/ports/model-runtime.js';
import type { FeatureSpec } from '../../domain/serving.js';
import type { ProjectAccess } from '../access/authorize.js';
import type { RegistryService } from '../serving/registry.service.js';

/** Rows per batch sent to the runtime. */
export const SCORE_BATCH = 1024;

/** The version a job's model reference names now. */
export interface ResolvedModel {
  ref: JobModelRef;
  id: string;
  model: string;
  version: number;
  features: FeatureSpec[];
  classes: string[];
  artifact_sha256: string;
}

/** A row's prediction: label, its probability, every class's probability. */
export interface RowScore {
  label: string;
  confidence: number;
  probabilities: number[];
}

/** Why a row could not be scored (a missing or ill-typed feature). */
export interface RowProblem {
  problem: string;
}

export interface ModelChecker {
  /** The version `ref` names, checked against the job (ValidationError naming `field` otherwise). */
  resolve(access: ProjectAccess, ref: JobModelRef, job: Pick<LabellingJob, 'kind' | 'label_config'>, field: string): Promise<ResolvedModel>;
}

const round6 = (p: number): number => Math.round(p * 1e6) / 1e6;

/** The column value of one feature of a row, or why it has none. */
function featureValue(f: FeatureSpec, v: unknown): number | string | RowProblem {
  if (v === undefined || v === null) return { problem: `feature '${f.name}' is missing` };
  if (f.kind === 'numeric') {
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    return typeof n === 'number' && Number.isFinite(n) ? n : { problem: `feature '${f.name}' is not a number` };
  }
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return { problem: `feature '${f.name}' is not a category (a string)` };
}

/**
 * Build the model's input columns from rows of task data; rows lacking a feature are left out
 * and named with their reason.
 * @example featureColumns([{ t: 1 }, { t: 'x' }], [{ name: 't', kind: 'numeric' }]) // kept [0]; problems [{ index: 1, problem: "feature 't' is not a number" }]
 */
export function featureColumns(rows: ReadonlyArray<Record<string, unknown>>, features: FeatureSpec[]) {
  const kept: number[] = [];
  const problems: Array<{ index: number; problem: string }> = [];
  const values: Array<Array<number | string>> = [];
  rows.forEach((row, index) => {
    const vals: Array<number | string> = [];
    for (const f of features) {
      const v = featureValue(f, row[f.name]);
      if (typeof v === 'object') return void problems.push({ index, problem: v.problem });
      vals.push(v);
    }
    kept.push(index);
    values.push(vals);
  });
  const columns: Record<string, FeatureColumn> = {};
  features.forEach((f, k) => {
    columns[f.name] = f.kind === 'numeric' ? Float32Array.from(values, (v) => v[k] as number) : values.map((v) => v[k] as string);
  });
  return { columns, kept, problems };
}

export class LabellingModels implements ModelChecker {
  constructor(
    private readonly registry: RegistryService,
    private readonly runtime: ModelRuntime,
  ) {}

  async resolve(access: ProjectAccess, ref: JobModelRef, job: Pick<LabellingJob, 'kind' | 'label_config'>, field: string): Promise<ResolvedModel> {
    if (job.kind !== 'classification') {
      throw new ValidationError(`${field}: suggestions and auto-labels from a model are for classification jobs; this is a ${job.kind} job`, { field });
    }
    const model = await this.registry.getModel(access, ref.model).catch((err: unknown) => {
      if (err instanceof NotFoundError) throw new ValidationError(`${field}.model: there is no model '${ref.model}' in this project's registry`, { field: `${field}.model` });
      throw err;
    });
    let n = ref.version;
    if (n === null) {
      const alias = ref.alias ?? 'champion';
      n = model.aliases[alias] ?? null;
      if (n === null) throw new ValidationError(`${field}.alias: model '${model.name}' has no alias '${alias}'`, { field: `${field}.alias` });
    }
    const v = await this.registry.getVersion(access, model.name, n).catch((err: unknown) => {
      if (err instanceof NotFoundError) throw new ValidationError(`${field}.version: model '${model.name}' has no version ${n}`, { field: `${field}.version` });
      throw err;
    });
    const labels = labelsOf(job.label_config);
    const unknown = v.classes.filter((c) => !labels.includes(c));
    if (unknown.length > 0) {
      throw new ValidationError(
        `${field}: model '${model.name}' v${v.version} predicts ${v.classes.join(', ')}, but ${unknown.map((c) => `'${c}'`).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not among this job's labels (${labels.join(', ')})`,
        { field, model_classes: v.classes, labels },
      );
    }
    return { ref, id: v.id, model: model.name, version: v.version, features: v.features, classes: v.classes, artifact_sha256: v.artifact_sha256 };
  }

  /** Load the version into the runtime (once per digest) and answer a scorer of rows. */
  async scorer(access: ProjectAccess, m: ResolvedModel): Promise<(rows: ReadonlyArray<Record<string, unknown>>) => Promise<Array<RowScore | RowProblem>>> {
    if (!this.runtime.isLoaded(m.artifact_sha256)) {
      const { bytes } = await this.registry.versionBytes(access, m.model, m.version);
      await this.runtime.load(m.artifact_sha256, bytes);
    }
    return async (rows) => {
      const out: Array<RowScore | RowProblem> = new Array(rows.length);
      const { columns, kept, problems } = featureColumns(rows, m.features);
      for (const p of problems) out[p.index] = { problem: p.problem };
      for (let start = 0; start < kept.length; start += SCORE_BATCH) {
        const idx = kept.slice(start, start + SCORE_BATCH);
        const slice: Record<string, FeatureColumn> = {};
        for (const [name, col] of Object.entries(columns)) slice[name] = col.slice(start, start + idx.length) as FeatureColumn;
        const r = await this.runtime.predict(m.artifact_sha256, slice);
        idx.forEach((rowIndex, i) => {
          const probabilities = Array.from(r.probabilities.subarray(i * r.classes, (i + 1) * r.classes), round6);
          const label = r.labels[i];
          const k = m.classes.indexOf(label);
          out[rowIndex] = { label, confidence: k >= 0 ? probabilities[k] : Math.max(...probabilities), probabilities };
        });
      }
      return out;
    };
  }
}
