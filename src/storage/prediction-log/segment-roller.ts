// Roll one closed NDJSON file of the prediction log into Parquet: one Parquet file per
// deployment in it, rows in the order they were logged (readers order by event time; a segment's
// event-time range is registered with it), zstd at level 1 (a quarter less work than the default
// level, and no larger on these rows), stored content-addressed in the artifact store and
// registered as a segment.
// Idempotent: a segment's `source` is the file name and deployment, so rolling a file again
// after a crash registers nothing twice.
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, stat, truncate, unlink } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../domain/clock.js';
import { newId } from '../../domain/ids.js';
import type { ArtifactStore } from '../../domain/ports/artifact-store.js';
import type { PredictionSegmentRepository } from '../../domain/ports/serving-store.js';
import type { PredictionSegment } from '../../domain/serving.js';
import type { LazyDuckDb } from './lazy-duckdb.js';
import { LINE_GROUPS, NDJSON_COLUMNS, PREDICTION_ROWS } from './record-columns.js';

export interface SegmentRollerDeps {
  duck: LazyDuckDb;
  artifacts: ArtifactStore;
  segments: PredictionSegmentRepository;
  /** Scratch folder for Parquet files on their way into the artifact store. */
  tmpDir: string;
  clock: Clock;
}

/** Cut a torn last line (a process killed mid-write) so every line left is whole JSON. */
async function dropTornTail(file: string): Promise<void> {
  const { size } = await stat(file);
  if (size === 0) return;
  const fh = await open(file, 'r');
  try {
    const last = Buffer.alloc(1);
    await fh.read(last, 0, 1, size - 1);
    if (last[0] === 0x0a) return;
  } finally {
    await fh.close();
  }
  const text = await readFile(file);
  const end = text.lastIndexOf(0x0a);
  await truncate(file, end + 1);
}

/**
 * read_json's `maximum_object_size` for a file whose longest line is `longestLine` bytes (unknown:
 * a file left by another process): DuckDB reads the file through buffers twice that size, and
 * buffers past a few hundred MB are mapped afresh and faulted in page by page on every roll (a
 * 50,000-row roll took ~20% more CPU with a 1 GB limit than with 16 MB).
 */
export function jsonObjectLimit(longestLine: number | undefined): number {
  if (longestLine === undefined) return 1 << 30;
  let limit = 16 << 20;
  while (limit <= longestLine) limit *= 2;
  return limit;
}

export class SegmentRoller {
  constructor(private readonly deps: SegmentRollerDeps) {}

  /** Roll `file` (then delete it); answers the segments registered now. `longestLine`: its longest line in bytes, when known. */
  async roll(file: string, longestLine?: number): Promise<PredictionSegment[]> {
    await dropTornTail(file);
    const { size } = await stat(file);
    if (size === 0) {
      await unlink(file).catch(() => undefined);
      return [];
    }
    const base = path.basename(file);
    const table = `seg_${randomBytes(6).toString('hex')}`;
    const { duck, artifacts, segments, tmpDir, clock } = this.deps;
    await mkdir(tmpDir, { recursive: true });
    const registered: PredictionSegment[] = [];
    await duck.with(async (conn) => {
      // Lines are single predictions or batches (lists, unnested into one row per prediction as
      // each deployment's Parquet is written: a table of the unnested rows cost a third more).
      const load = await conn.prepare(
        `CREATE TEMP TABLE ${table} AS SELECT * FROM read_json($1, format = 'newline_delimited', maximum_object_size = ${jsonObjectLimit(longestLine)}, columns = ${NDJSON_COLUMNS})`,
      );
      load.bindVarchar(1, file);
      await load.run();
      try {
        const groups = (await conn.runAndReadAll(LINE_GROUPS(table))).getRowObjectsJson();
        for (const g of groups) {
          const parquet = path.join(tmpDir, `${table}-${registered.length}.parquet`);
          const copy = await conn.prepare(
            `COPY (${PREDICTION_ROWS(`(SELECT * FROM ${table} WHERE project_id = $1 AND deployment_id = $2)`)}) TO $3 (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1)`,
          );
          copy.bindVarchar(1, String(g.project_id));
          copy.bindVarchar(2, String(g.deployment_id));
          copy.bindVarchar(3, parquet);
          await copy.run();
          try {
            const blob = await artifacts.put(createReadStream(parquet));
            const segment: PredictionSegment = {
              id: newId(),
              project_id: String(g.project_id),
              deployment_id: String(g.deployment_id),
              artifact_sha256: blob.sha256,
              rows: Number(g.n),
              min_event_time: Number(g.lo),
              max_event_time: Number(g.hi),
              source: `${base}#${String(g.deployment_id)}`,
              created_at: clock.now(),
            };
            if (await segments.register(segment)) registered.push(segment);
          } finally {
            await unlink(parquet).catch(() => undefined);
          }
        }
      } finally {
        await conn.run(`DROP TABLE IF EXISTS ${table}`);
      }
    });
    await unlink(file).catch(() => undefined);
    return registered;
  }
}
