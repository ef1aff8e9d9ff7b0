// Prediction-log segments on Kysely: one row per rolled Parquet file, idempotent by `source`.
import type { Kysely, Selectable } from 'kysely';
import type { PredictionSegmentRepository } from '../../domain/ports/serving-store.js';
import type { PredictionSegment } from '../../domain/serving.js';
import { toNum } from './row-values.js';
import type { Database } from './schema.js';
import type { PredictionSegmentsTable } from './schema-serving.js';

const toSegment = (r: Selectable<PredictionSegmentsTable>): PredictionSegment => ({
  id: r.id,
  project_id: r.project_id,
  deployment_id: r.deployment_id,
  artifact_sha256: r.artifact_sha256,
  rows: toNum(r.rows),
  min_event_time: toNum(r.min_event_time),
  max_event_time: toNum(r.max_event_time),
  source: r.source,
  created_at: toNum(r.created_at),
});

export class KyselyPredictionSegmentRepository implements PredictionSegmentRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async register(segment: PredictionSegment): Promise<boolean> {
    const r = await this.db
      .insertInto('prediction_segments')
      .values(segment)
      .onConflict((oc) => oc.column('source').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  async list(projectId: string, filter: { deploymentId?: string; from?: number; to?: number }): Promise<PredictionSegment[]> {
    const { deploymentId, from, to } = filter;
    const rows = await this.db
      .selectFrom('prediction_segments')
      .selectAll()
      .where('project_id', '=', projectId)
      .$if(deploymentId !== undefined, (q) => q.where('deployment_id', '=', deploymentId!))
      .$if(from !== undefined, (q) => q.where('max_event_time', '>=', from!))
      .$if(to !== undefined, (q) => q.where('min_event_time', '<', to!))
      .orderBy('min_event_time')
      .orderBy('id')
      .execute();
    return rows.map(toSegment);
  }

  async rowsByDeployment(deploymentIds: string[]): Promise<Map<string, number>> {
    if (deploymentIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('prediction_segments')
      .select((eb) => ['deployment_id', eb.fn.sum<number | string>('rows').as('n')])
      .where('deployment_id', 'in', deploymentIds)
      .groupBy('deployment_id')
      .execute();
    return new Map(rows.map((r) => [r.deployment_id, Number(r.n)]));
  }
}
