// Read predictions back from rolled segments: DuckDB over the segments' Parquet files (local
// paths from the artifact store), filtered by deployment and event-time window; each row's inputs
// as an object (values kept in column order are zipped with their names).
import { LIST, VARCHAR, listValue } from '@duckdb/node-api';
import type { ArtifactStore } from '../../domain/ports/artifact-store.js';
import type { LoggedPrediction, PredictionFilter, PredictionLogReader } from '../../domain/ports/prediction-log.js';
import type { PredictionSegment } from '../../domain/serving.js';
import { LazyDuckDb } from './lazy-duckdb.js';
import { inputsObject } from './record-columns.js';

export class ParquetPredictionLogReader implements PredictionLogReader {
  private readonly duck = new LazyDuckDb();

  constructor(private readonly artifacts: ArtifactStore) {}

  async read(
    segments: Array<Pick<PredictionSegment, 'artifact_sha256'>>,
    filter: PredictionFilter = {},
  ): Promise<LoggedPrediction[]> {
    if (segments.length === 0) return [];
    const shas = [...new Set(segments.map((s) => s.artifact_sha256))];
    const paths = await Promise.all(shas.map((sha) => this.artifacts.localPath(sha)));
    const where: string[] = [];
    const binds: Array<(p: { bindVarchar(i: number, v: string): void; bindBigInt(i: number, v: bigint): void }, i: number) => void> = [];
    if (filter.deploymentId !== undefined) {
      where.push(`deployment_id = $${binds.length + 2}`);
      const v = filter.deploymentId;
      binds.push((p, i) => p.bindVarchar(i, v));
    }
    if (filter.from !== undefined) {
      where.push(`event_time >= $${binds.length + 2}`);
      const v = BigInt(Math.floor(filter.from));
      binds.push((p, i) => p.bindBigInt(i, v));
    }
    if (filter.to !== undefined) {
      where.push(`event_time < $${binds.length + 2}`);
      const v = BigInt(Math.ceil(filter.to));
      binds.push((p, i) => p.bindBigInt(i, v));
    }
    // union_by_name: segments rolled before the shadow column existed read it as NULL (not shadow).
    const sql = `SELECT * FROM read_parquet($1, union_by_name = true) ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY event_time, id`;
    const rows = await this.duck.with(async (conn) => {
      const stmt = await conn.prepare(sql);
      stmt.bindList(1, listValue(paths), LIST(VARCHAR));
      binds.forEach((bind, k) => bind(stmt, k + 2));
      return (await stmt.runAndReadAll()).getRowObjectsJson();
    });
    const shadow = filter.shadow ?? 'exclude';
    const kept = shadow === 'include' ? rows : rows.filter((r) => (r.shadow === true) === (shadow === 'only'));
    return kept.map((r) => ({
      id: String(r.id),
      project_id: String(r.project_id),
      deployment_id: String(r.deployment_id),
      deployment: String(r.deployment),
      model_version_id: String(r.model_version_id),
      model_version: Number(r.model_version),
      inputs: inputsObject(String(r.inputs), r.input_columns as string | null | undefined),
      label: String(r.label),
      probabilities: JSON.parse(String(r.probabilities)) as Record<string, number>,
      latency_ms: Number(r.latency_ms),
      event_time: Number(r.event_time),
      received_at: Number(r.received_at),
      ...(r.shadow === true ? { shadow: true } : {}),
      // A regression model's value (the column is absent from segments rolled before it existed).
      ...(r.value !== null && r.value !== undefined ? { value: Number(r.value) } : {}),
    }));
  }

  close(): Promise<void> {
    return this.duck.close();
  }
}
