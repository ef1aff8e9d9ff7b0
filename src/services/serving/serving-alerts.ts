// Alerts of the serving stage: a model version a deployment should serve could not be loaded
// (the deployment keeps serving the previous version). One open alert per deployment and
// version: repeated failures (every refresh retries) do not raise more.
import type { Clock } from '../../domain/clock.js';
import { newId } from '../../domain/ids.js';
import type { MetadataStore } from '../../domain/ports/metadata-store.js';
import type { Alert } from '../../domain/monitoring.js';
import type { Deployment, ModelVersion } from '../../domain/serving.js';
import type { OperationRunner } from '../operation.js';

export const LOAD_FAILED = 'serving.load_failed' as const;

export interface LoadFailure {
  deployment: Deployment;
  /** The version that failed to load. */
  version: ModelVersion;
  /** The version still serving (null when the deployment serves nothing yet). */
  serving: number | null;
  error: unknown;
}

export interface ServingAlertSink {
  loadFailed(failure: LoadFailure): Promise<void>;
  /** The version loaded after all: a later failure of it raises a new alert. */
  loaded(deploymentId: string, versionId: string): void;
}

export class ServingAlerts implements ServingAlertSink {
  /** deployment id:version id of alerts this process raised (and that are not known to be over). */
  private readonly raised = new Set<string>();

  constructor(
    private readonly store: MetadataStore,
    private readonly ops: OperationRunner,
    private readonly clock: Clock,
  ) {}

  async loadFailed({ deployment, version, serving, error }: LoadFailure): Promise<void> {
    const key = `${deployment.id}:${version.id}`;
    if (this.raised.has(key)) return;
    this.raised.add(key);
    const open = await this.store.monitoring.listAlerts(deployment.project_id, { limit: 100 }, { status: 'open', kind: LOAD_FAILED, deployment: deployment.name });
    if (open.items.some((a) => a.value === version.version)) return; // raised by another process
    const reason = error instanceof Error ? error.message : String(error);
    const now = this.clock.now();
    const alert: Alert = {
      id: newId(),
      project_id: deployment.project_id,
      monitor_id: null,
      deployment: deployment.name,
      kind: LOAD_FAILED,
      window_start: now,
      window_end: now,
      metric: 'model_version',
      value: version.version,
      threshold: serving ?? 0,
      message: `deployment '${deployment.name}' could not load model version v${version.version}: ${reason}; ${serving === null ? 'it serves nothing yet' : `v${serving} keeps serving`}`,
      status: 'open',
      created_at: now,
    };
    const draft = { action: LOAD_FAILED, project_id: deployment.project_id, target_ids: { project: deployment.project_id, deployment: deployment.id, model_version: version.id }, details: { version: version.version, serving, reason } };
    await this.ops.run(null, draft, (tx) => tx.monitoring.createAlert(alert));
  }

  loaded(deploymentId: string, versionId: string): void {
    this.raised.delete(`${deploymentId}:${versionId}`);
  }
}
