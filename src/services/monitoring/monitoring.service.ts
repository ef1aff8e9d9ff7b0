// Monitors of a deployment: each window's drift (PSI of every feature against the training data)
// and performance (on labelled feedback: a classifier's labels, or a regression model's values
// against numeric feedback), stored with the alerts that crossing a threshold raises.
import type { Clock } from '../../domain/clock.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { Alert, Monitor, MonitorWindow } from '../../domain/monitoring.js';
import type { Page, PageRequest } from '../../domain/pagination.js';
import type { MetadataStore } from '../../domain/ports/metadata-store.js';
import type { ProjectAccess } from '../access/authorize.js';
import type { CallContext } from '../access/principal.js';
import type { FeedbackService } from '../annotation/feedback.service.js';
import type { DatasetsService } from '../datasets/datasets.service.js';
import type { OperationRunner } from '../operation.js';
import type { PredictionLogService } from '../serving/prediction-log.service.js';
import { evaluateWindow } from './window-evaluation.js';
import type { TimeWindow } from './windows.js';

export interface MonitoringDeps {
  store: MetadataStore;
  ops: OperationRunner;
  clock: Clock;
  datasets: DatasetsService;
  predictionLog: PredictionLogService;
  feedback: FeedbackService;
}

export interface NewMonitor {
  name: string;
  deployment: string;
  /** The dataset version the model was trained on (id). */
  reference_dataset_version_id: string;
  features: string[];
  psi_threshold?: number;
  tolerance?: number;
  baseline: Record<string, number>;
}

export interface WindowResult {
  window: MonitorWindow;
  alerts: Alert[];
}

/** A feedback label as a regression's true value: a finite decimal number, else null (left out). */
export function numericFeedback(label: string): number | null {
  const text = label.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return null;
  const v = Number(text);
  return Number.isFinite(v) ? v : null;
}

export const DEFAULT_PSI_THRESHOLD = 0.2;
export const DEFAULT_TOLERANCE = 0.05;

export class MonitoringService {
  constructor(private readonly deps: MonitoringDeps) {}

  async create(ctx: CallContext, access: ProjectAccess, input: NewMonitor): Promise<Monitor> {
    const version = await this.deps.datasets.getVersionById(access.project.id, input.reference_dataset_version_id);
    const numeric = new Set(version.schema.filter((c) => c.type === 'double' || c.type === 'integer').map((c) => c.name));
    input.features.forEach((f, i) => {
      if (!numeric.has(f)) throw new ValidationError(`feature '${f}' is not a numeric column of the reference data`, { field: `body.features.${i}` });
    });
    const now = this.deps.clock.now();
    const monitor: Monitor = {
      id: newId(),
      project_id: access.project.id,
      name: input.name,
      deployment: input.deployment,
      reference_dataset_version_id: version.id,
      features: input.features,
      psi_threshold: input.psi_threshold ?? DEFAULT_PSI_THRESHOLD,
      tolerance: input.tolerance ?? DEFAULT_TOLERANCE,
      baseline: input.baseline,
      window: 'month',
      created_at: now,
      updated_at: now,
    };
    await this.deps.ops.run(ctx, { action: 'monitor.create', project_id: access.project.id, target_ids: { monitor: monitor.id }, details: { name: monitor.name, deployment: monitor.deployment } }, (tx) =>
      tx.monitoring.createMonitor(monitor),
    );
    return monitor;
  }

  async get(access: ProjectAccess, ref: string): Promise<Monitor> {
    const m = await this.deps.store.monitoring.getMonitor(access.project.id, ref);
    if (!m) throw new NotFoundError('monitor', ref);
    return m;
  }

  list(access: ProjectAccess, page: PageRequest): Promise<Page<Monitor>> {
    return this.deps.store.monitoring.listMonitors(access.project.id, page);
  }

  windows(monitor: Monitor): Promise<MonitorWindow[]> {
    return this.deps.store.monitoring.listWindows(monitor.id);
  }

  alerts(access: ProjectAccess, page: PageRequest, filter: { monitorId?: string; status?: Alert['status'] } = {}): Promise<Page<Alert>> {
    return this.deps.store.monitoring.listAlerts(access.project.id, page, filter);
  }

  /** A new reference and baseline after the served model changed (e.g. a promoted challenger). */
  async rebase(ctx: CallContext, access: ProjectAccess, monitor: Monitor, referenceVersionId: string, baseline: Record<string, number>): Promise<void> {
    await this.deps.ops.run(ctx, { action: 'monitor.rebase', project_id: access.project.id, target_ids: { monitor: monitor.id, dataset_version: referenceVersionId }, details: { baseline } }, (tx) =>
      tx.monitoring.updateMonitor(monitor.id, { reference_dataset_version_id: referenceVersionId, baseline }, this.deps.clock.now()),
    );
    monitor.reference_dataset_version_id = referenceVersionId;
    monitor.baseline = baseline;
  }

  /** Evaluate one window of the monitor's deployment and store the result and its alerts. */
  async runWindow(ctx: CallContext, access: ProjectAccess, monitor: Monitor, window: TimeWindow): Promise<WindowResult> {
    const { datasets, predictionLog, feedback, clock } = this.deps;
    const reference = await datasets.getVersionById(access.project.id, monitor.reference_dataset_version_id);
    const ref = await datasets.readColumns(reference, monitor.features);
    await predictionLog.flush(); // what this process logged is in the window too
    const predictions = await predictionLog.readPredictions(access.project.id, monitor.deployment, { from: window.start, to: window.end });
    const current: Record<string, Array<number | null>> = {};
    for (const f of monitor.features) current[f] = predictions.map((p) => (typeof p.inputs[f] === 'number' ? (p.inputs[f] as number) : null));
    const truth = await feedback.feedbackFor(access.project.id, predictions.map((p) => p.id));
    const labelled = { predicted: [] as string[], actual: [] as string[] };
    // A regression model's predictions carry a value; their feedback is the true value as text.
    const values = { predicted: [] as number[], actual: [] as number[] };
    for (const p of predictions) {
      const f = truth.get(p.id);
      if (!f) continue;
      if (typeof p.value === 'number') {
        const actual = numericFeedback(f.label);
        if (actual === null) continue;
        values.predicted.push(p.value);
        values.actual.push(actual);
      } else {
        labelled.predicted.push(p.label);
        labelled.actual.push(f.label);
      }
    }
    const refColumns: Record<string, Array<number | null>> = {};
    for (const f of monitor.features) refColumns[f] = Array.from(ref.columns[f] as Float64Array, (v) => (Number.isNaN(v) ? null : v));
    const outcome = evaluateWindow({
      reference: refColumns,
      current,
      labelled,
      values,
      psiThreshold: monitor.psi_threshold,
      tolerance: monitor.tolerance,
      baseline: monitor.baseline,
    });
    const now = clock.now();
    const stored: MonitorWindow = {
      id: newId(),
      project_id: access.project.id,
      monitor_id: monitor.id,
      window_start: window.start,
      window_end: window.end,
      predictions: predictions.length,
      labelled: labelled.actual.length + values.actual.length,
      drift: outcome.drift,
      performance: outcome.performance,
      baseline: monitor.baseline,
      reference_dataset_version_id: reference.id,
      created_at: now,
    };
    const alerts: Alert[] = outcome.alerts.map((a) => ({
      id: newId(),
      project_id: access.project.id,
      monitor_id: monitor.id,
      deployment: null,
      window_start: window.start,
      window_end: window.end,
      status: 'open',
      created_at: now,
      ...a,
    }));
    const draft = { action: 'monitor.window', project_id: access.project.id, target_ids: { monitor: monitor.id }, details: { window_start: window.start, alerts: alerts.length } };
    await this.deps.ops.run(ctx, draft, async (tx) => {
      await tx.monitoring.putWindow(stored);
      for (const a of alerts) await tx.monitoring.createAlert(a);
    });
    return { window: stored, alerts };
  }
}
