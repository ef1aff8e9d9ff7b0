// Judge a model version by the project's KPI gate (thresholds, minimum improvement over the
// champion, maximum gap between slices) and keep the report with the version.
//
// Basis of the comparison: the candidate's own holdout. The candidate and the current champion
// are both run (through the model runtime, as served) on the labelled rows of the candidate's
// training run's time-based holdout, in its dataset version, so they are judged on the same rows
// and the champion's numbers are not stale ones from another period. A classifier is measured
// on its labels and probabilities (accuracy, F1, log loss, AUC, ECE), a regression model on its
// predicted values (MAE, RMSE, R², MAPE); the gate knows which way each metric is better. When
// that is impossible — the candidate has no training run with a holdout, the champion needs a
// feature the holdout lacks or predicts another kind of thing — the recorded metrics of the
// version(s) concerned are compared instead, and the report says so (basis.note, and "its
// recorded …" in the sentences).
import type { Clock } from '../../domain/clock.js';
import { NotFoundError } from '../../domain/errors.js';
import type { ArtifactStore } from '../../domain/ports/artifact-store.js';
import type { ColumnData } from '../../domain/ports/data-engine.js';
import type { MetadataStore } from '../../domain/ports/metadata-store.js';
import type { ModelRuntime } from '../../domain/ports/model-runtime.js';
import { modelTask, type FeatureSpec, type ModelTask, type ModelVersion, type RegisteredModel } from '../../domain/serving.js';
import type { GateBasis, GateReport, ValidationPolicy } from '../../domain/tracking.js';
import type { ProjectAccess } from '../access/authorize.js';
import type { CallContext } from '../access/principal.js';
import type { DatasetsService } from '../datasets/datasets.service.js';
import type { OperationRunner } from '../operation.js';
import { readArtifact } from '../serving/artifact-bytes.js';
import { checkModelContract } from '../serving/model-contract.js';
import { classifierMetrics, completeRows, featureColumn, sliceKeys, sliceValues, type ClassifierOutputs } from './holdout-evaluation.js';
import { regressionMetrics, regressionSliceValues } from './regression-evaluation.js';
import { sliceByTime, sliceByTimeNumeric } from './training-data.js';
import { toEpoch, type TrainingSpec } from './training-spec.js';
import { buildGateReport, type SliceMeasure } from './validation-gate.js';

export interface ValidationDeps {
  store: MetadataStore;
  ops: OperationRunner;
  clock: Clock;
  datasets: DatasetsService;
  artifacts: ArtifactStore;
  runtime: ModelRuntime;
}

/** A model to judge: a registered version, or a training run's model before registration (version null). */
export type Candidate = Pick<ModelVersion, 'artifact_sha256' | 'features' | 'classes' | 'run_id' | 'dataset_version_id' | 'metrics'> & { version: number | null };

/** The result of `flywheel models validate`. */
export interface ValidationResult {
  model: string;
  version: number;
  gate: GateReport;
}

interface Holdout {
  run_id: string;
  dataset_version_id: string;
  from: number;
  to: number;
  /** Labelled holdout rows whose features are complete for both models. */
  rows: number;
  skipped: number;
  columns: Record<string, ColumnData>;
  /** What the candidate predicts; the true labels (classification) or values (regression) of the rows. */
  task: ModelTask;
  actual: string[];
  values: Float64Array;
}

/** A model's outputs on the holdout's rows: a classifier's labels and probabilities, or a regression model's values. */
type HoldoutOutputs = { task: 'classification'; out: ClassifierOutputs } | { task: 'regression'; values: Float64Array };

/** The metrics of outputs on the holdout. */
function measure(h: Holdout, o: HoldoutOutputs): Record<string, number> {
  return o.task === 'regression' ? regressionMetrics(h.values, o.values) : classifierMetrics(h.actual, o.out);
}

/** `metric` per slice (of the slice keys of a column) of outputs on the holdout. */
function measureSlices(keys: Array<string | null>, h: Holdout, o: HoldoutOutputs, metric: string) {
  return o.task === 'regression' ? regressionSliceValues(keys, h.values, o.values, metric) : sliceValues(keys, h.actual, o.out, metric);
}

const taskName = (t: ModelTask) => (t === 'regression' ? 'a regression model' : 'a classifier');

/** The report format this service writes (reports without it are re-evaluated before a promotion). */
const REPORT_FORMAT = 2;

const emptyPolicy = (projectId: string): ValidationPolicy => ({ project_id: projectId, thresholds: {}, min_improvement: {}, max_slice_gap: [], updated_by: null, updated_at: 0 });

const hasChecks = (p: ValidationPolicy) => Object.keys(p.thresholds).length + Object.keys(p.min_improvement).length + p.max_slice_gap.length > 0;

export class ModelValidationService {
  constructor(private readonly deps: ValidationDeps) {}

  async policy(projectId: string): Promise<ValidationPolicy> {
    return (await this.deps.store.policies.get(projectId)) ?? emptyPolicy(projectId);
  }

  /**
   * Evaluate version `version` of `modelRef` now, record the report with the version (audited as
   * `model.validate`) and answer it. Example (what `flywheel models validate weather --version 3` calls):
   *   const { gate } = await validation.validate(ctx, access, 'weather', 3); gate.passed, gate.checks[0].message
   */
  async validate(ctx: CallContext, access: ProjectAccess, modelRef: string, version: number): Promise<ValidationResult> {
    const { model, target } = await this.find(access.project.id, modelRef, version);
    const gate = await this.evaluate(access.project.id, model, target);
    const draft = {
      action: 'model.validate',
      project_id: access.project.id,
      target_ids: { project: access.project.id, model: model.id, model_version: target.id },
      details: { model: model.name, version, passed: gate.passed, failed: gate.checks.filter((c) => !c.passed).map((c) => `${c.kind}:${c.metric}`) },
    };
    await this.deps.ops.run(ctx, draft, (tx) => tx.models.updateVersionGate(target.id, gate));
    return { model: model.name, version, gate };
  }

  /**
   * The report a promotion to champion is decided on: null when the policy sets no checks (the
   * promotion is free, the stored report stays), the version's stored report when it is current
   * (this format, the policy unchanged since, the same champion), else a new evaluation, recorded
   * with the version.
   */
  async reportForPromotion(projectId: string, model: RegisteredModel, target: ModelVersion): Promise<GateReport | null> {
    const policy = await this.policy(projectId);
    if (!hasChecks(policy)) return null;
    const champion = await this.deps.store.models.getAlias(model.id, 'champion');
    const stored = target.gate as GateReport | null;
    const basis = stored?.basis;
    if (stored && stored.format === REPORT_FORMAT && basis && basis.policy_updated_at === policy.updated_at && basis.champion_version === (champion?.version ?? null)) {
      return stored;
    }
    const gate = await this.evaluate(projectId, model, target, policy);
    await this.deps.store.models.updateVersionGate(target.id, gate);
    return gate;
  }

  /**
   * Judge the ONNX model a training run produced (already in the artifact store) against the
   * champion of `modelName` (none when null or unknown), before it is registered.
   */
  async evaluateRunModel(projectId: string, modelName: string | null, run: { artifact_sha256: string; run_id: string; dataset_version_id: string; metrics: Record<string, number> }): Promise<GateReport> {
    const policy = await this.policy(projectId);
    const model = (modelName ? await this.deps.store.models.get(projectId, modelName) : undefined) ?? null;
    if (!hasChecks(policy)) return this.evaluate(projectId, model, { ...run, features: [], classes: [], version: null }, policy);
    const signature = await this.deps.runtime.load(run.artifact_sha256, await readArtifact(this.deps.artifacts, run.artifact_sha256));
    const { features, classes } = checkModelContract(signature);
    return this.evaluate(projectId, model, { ...run, features, classes, version: null }, policy);
  }

  /** Evaluate `candidate` of `model` (null: not registered yet) against the policy, without recording anything. */
  async evaluate(projectId: string, model: RegisteredModel | null, candidate: Candidate, given?: ValidationPolicy): Promise<GateReport> {
    const { store, clock } = this.deps;
    const policy = given ?? (await this.policy(projectId));
    const alias = model ? await store.models.getAlias(model.id, 'champion') : undefined;
    const champion = model && alias ? await store.models.getVersion(model.id, alias.version) : undefined;
    const isCandidate = champion !== undefined && candidate.version === champion.version;
    const basis: GateBasis = {
      evaluated_at: clock.now(),
      policy_updated_at: policy.updated_at,
      champion_version: champion?.version ?? null,
      candidate_version: candidate.version,
      holdout: null,
      note: '',
    };
    if (!hasChecks(policy)) {
      basis.note = 'the policy sets no checks: nothing was evaluated';
      return { ...buildGateReport(policy, { candidate: candidate.metrics, champion: null, slices: [] }), basis, format: REPORT_FORMAT };
    }

    const rival = champion && !isCandidate ? champion : undefined;
    // A champion that predicts another kind of thing cannot be run on this holdout's measures.
    const comparable = rival !== undefined && modelTask(rival) === modelTask(candidate);
    const sliceColumns = policy.max_slice_gap.map((r) => r.column);
    const loaded = await this.loadHoldout(projectId, candidate, comparable ? rival.features : [], sliceColumns);
    let candidateMetrics = candidate.metrics;
    let championMetrics = champion?.metrics ?? {};
    let championRecorded = true;
    const slices: SliceMeasure[] = [];
    const notes: string[] = [];
    if ('error' in loaded) {
      notes.push(`recorded metrics compared (${loaded.error})`);
      for (const _ of policy.max_slice_gap) slices.push({ candidate: null, champion: null, error: loaded.error });
    } else {
      const h = loaded.holdout;
      basis.holdout = { run_id: h.run_id, dataset_version_id: h.dataset_version_id, from: h.from, to: h.to, rows: h.rows, skipped: h.skipped };
      const candOut = await this.run(candidate, h);
      candidateMetrics = measure(h, candOut);
      let champOut: HoldoutOutputs | undefined;
      if (rival && loaded.championFits) {
        champOut = await this.run(rival, h);
        championMetrics = measure(h, champOut);
        championRecorded = false;
        notes.push(`candidate and champion v${rival.version} both evaluated on the candidate's holdout (${h.rows} labelled rows)`);
      } else if (rival && !comparable) {
        notes.push(`candidate evaluated on its holdout (${h.rows} labelled rows); champion v${rival.version} is ${taskName(modelTask(rival))}, not ${taskName(h.task)}, so its recorded metrics are compared`);
      } else if (rival) {
        notes.push(`candidate evaluated on its holdout (${h.rows} labelled rows); champion v${rival.version} needs features the holdout lacks, so its recorded metrics are compared`);
      } else {
        notes.push(`candidate evaluated on its holdout (${h.rows} labelled rows)`);
      }
      for (const rule of policy.max_slice_gap) {
        const column = h.columns[rule.column];
        if (!column) {
          slices.push({ candidate: null, champion: null, error: `'${rule.column}' is not a column of the holdout's dataset version` });
          continue;
        }
        const keys = sliceKeys(column);
        slices.push({ candidate: measureSlices(keys, h, candOut, rule.metric), champion: champOut ? measureSlices(keys, h, champOut, rule.metric) : null, error: null });
      }
      if (h.skipped > 0) notes.push(`${h.skipped} holdout rows with missing feature values left out`);
    }
    basis.note = notes.join('; ');
    const report = buildGateReport(policy, {
      candidate: candidateMetrics,
      champion: champion ? { version: champion.version, metrics: isCandidate ? candidateMetrics : championMetrics, recorded: championRecorded, isCandidate } : null,
      slices,
    });
    return { ...report, basis, format: REPORT_FORMAT };
  }

  private async find(projectId: string, modelRef: string, version: number): Promise<{ model: RegisteredModel; target: ModelVersion }> {
    const model = await this.deps.store.models.get(projectId, modelRef);
    if (!model) throw new NotFoundError('model', modelRef);
    const target = await this.deps.store.models.getVersion(model.id, version);
    if (!target) throw new NotFoundError('model version', `${model.name} v${version}`);
    return { model, target };
  }

  private async ensureLoaded(sha: string): Promise<void> {
    if (this.deps.runtime.isLoaded(sha)) return;
    await this.deps.runtime.load(sha, await readArtifact(this.deps.artifacts, sha));
  }

  /** Run a model on the holdout's rows. */
  private async run(model: Pick<Candidate, 'artifact_sha256' | 'features' | 'classes'>, h: Holdout): Promise<HoldoutOutputs> {
    await this.ensureLoaded(model.artifact_sha256);
    const all = Int32Array.from({ length: h.rows }, (_, i) => i);
    const columns = Object.fromEntries(model.features.map((f) => [f.name, featureColumn(h.columns[f.name], f.kind, all)]));
    const out = await this.deps.runtime.predict(model.artifact_sha256, columns);
    if (out.values) return { task: 'regression', values: Float64Array.from(out.values) };
    return { task: 'classification', out: { labels: out.labels, probabilities: Float64Array.from(out.probabilities), classes: model.classes } };
  }

  /**
   * The candidate's holdout: the labelled rows of its run's dataset version in the run's holdout
   * window, with the columns both models and the slice rules need (rows missing a numeric
   * feature of either model left out). An error when there is none.
   */
  private async loadHoldout(projectId: string, candidate: Candidate, championFeatures: FeatureSpec[], sliceColumns: string[]): Promise<{ holdout: Holdout; championFits: boolean } | { error: string }> {
    const who = candidate.version === null ? 'the candidate' : `v${candidate.version}`;
    if (!candidate.run_id) return { error: `${who} has no training run, so no holdout` };
    const run = await this.deps.store.tracking.getRun(candidate.run_id);
    if (!run || run.project_id !== projectId) return { error: `${who}'s training run '${candidate.run_id}' is not in this project, so no holdout` };
    const spec = run.spec as Partial<TrainingSpec>;
    const from = toEpoch(spec.holdout?.from);
    const to = toEpoch(spec.holdout?.to);
    const datasetVersionId = run.dataset_version_id ?? candidate.dataset_version_id;
    if (!spec.target || !spec.time_column || from === undefined || to === undefined || !Number.isFinite(from) || !Number.isFinite(to) || !datasetVersionId) {
      return { error: `run ${run.id} has no time-based holdout` };
    }
    const version = await this.deps.datasets.getVersionById(projectId, datasetVersionId).catch(() => undefined);
    if (!version) return { error: `the dataset version of run ${run.id} is gone` };
    const schema = new Set(version.schema.map((c) => c.name));
    const missing = candidate.features.filter((f) => !schema.has(f.name)).map((f) => f.name);
    if (missing.length) return { error: `the holdout's dataset version lacks feature(s) ${missing.join(', ')}` };
    const championFits = championFeatures.length > 0 && championFeatures.every((f) => schema.has(f.name));
    const needed = [...new Set([...candidate.features.map((f) => f.name), ...(championFits ? championFeatures.map((f) => f.name) : []), ...sliceColumns.filter((c) => schema.has(c))])];
    const task = modelTask(candidate);
    const target = version.schema.find((c) => c.name === spec.target);
    if (task === 'regression' && target?.type !== 'integer' && target?.type !== 'double') {
      return { error: `the target '${spec.target}' of run ${run.id} is not numeric, so a regression model cannot be measured on it` };
    }
    const batch = await this.deps.datasets.readColumns(version, [...new Set([spec.time_column, spec.target, ...needed])]);
    const split = task === 'regression' ? sliceByTimeNumeric(batch, needed, spec.target, spec.time_column, from, to) : { ...sliceByTime(batch, needed, spec.target, spec.time_column, from, to), values: new Float64Array(0) };
    const splitColumns = split.columns as unknown as Record<string, ColumnData>;
    const complete = completeRows(splitColumns, [...candidate.features, ...(championFits ? championFeatures : [])], split.rows);
    const keep: number[] = [];
    for (let i = 0; i < split.rows; i++) if (complete[i]) keep.push(i);
    if (keep.length === 0) return { error: `the holdout of run ${run.id} has no labelled rows with complete features` };
    const columns: Holdout['columns'] = {};
    for (const name of needed) {
      const data = splitColumns[name];
      columns[name] = data instanceof Float64Array ? Float64Array.from(keep, (i) => data[i]) : (keep.map((i) => (data as unknown[])[i]) as Holdout['columns'][string]);
    }
    return {
      holdout: {
        run_id: run.id,
        dataset_version_id: datasetVersionId,
        from,
        to,
        rows: keep.length,
        skipped: split.rows - keep.length,
        columns,
        task,
        actual: task === 'regression' ? [] : keep.map((i) => split.target[i]),
        values: task === 'regression' ? Float64Array.from(keep, (i) => split.values[i]) : new Float64Array(0),
      },
      championFits,
    };
  }
}
