// The prediction log for the other stages (annotation, monitoring, the demo): which segments
// exist, the predictions of a deployment in an event-time window, and flush() to roll the open
// segment now (a graceful shutdown does the same).
import { NotFoundError } from '../../domain/errors.js';
import type { MetadataStore } from '../../domain/ports/metadata-store.js';
import type { LoggedPrediction, PredictionFilter, PredictionLogReader, PredictionLogWriter } from '../../domain/ports/prediction-log.js';
import type { Deployment, PredictionSegment } from '../../domain/serving.js';

export interface EventWindow {
  /** Inclusive lower bound on event_time (epoch ms). */
  from?: number;
  /** Exclusive upper bound on event_time (epoch ms). */
  to?: number;
}

export class PredictionLogService {
  constructor(
    private readonly store: MetadataStore,
    private readonly writer: PredictionLogWriter,
    private readonly reader: PredictionLogReader,
  ) {}

  /**
   * Registered segments of a project, oldest first; with `deploymentId`, only that deployment's;
   * with a window, only segments holding events in [from, to).
   */
  listSegments(projectId: string, filter: { deploymentId?: string } & EventWindow = {}): Promise<PredictionSegment[]> {
    return this.store.predictionSegments.list(projectId, filter);
  }

  /**
   * The logged predictions of a deployment (by name or id) with event time in [from, to),
   * ordered by event time then id, read from the registered segments; shadow models' outputs only
   * with `shadow: 'include'` or `'only'`. Predictions still in an
   * open segment are not included: call flush() first when they must be. Example:
   *   const rows = await log.readPredictions(project.id, 'weather-prod', { from: Date.UTC(2014, 0), to: Date.UTC(2014, 1) })
   *   rows[0].inputs.temp_max, rows[0].label, rows[0].probabilities.rain
   */
  async readPredictions(projectId: string, deployment: string, window: EventWindow = {}, options: { shadow?: PredictionFilter['shadow'] } = {}): Promise<LoggedPrediction[]> {
    const d = await this.findDeployment(projectId, deployment);
    const segments = await this.listSegments(projectId, { deploymentId: d.id, ...window });
    return this.reader.read(segments, { deploymentId: d.id, ...window, shadow: options.shadow });
  }

  /** Roll this process's open segment now and wait until every pending segment is registered. */
  flush(): Promise<PredictionSegment[]> {
    return this.writer.flush();
  }

  /** Rows this process has logged that are not in a registered segment yet. */
  pendingRows(): number {
    return this.writer.pendingRows();
  }

  private async findDeployment(projectId: string, ref: string): Promise<Deployment> {
    const d = (await this.store.deployments.getByName(ref)) ?? (await this.store.deployments.getById(ref));
    if (!d || d.project_id !== projectId) throw new NotFoundError('deployment', ref);
    return d;
  }
}
