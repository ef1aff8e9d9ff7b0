// Group commit for pushes. While the engine cleanses one push of a dataset, the pushes that
// arrive for it (same schema and rules) wait, then go through the engine together: one staging
// table and one checking pass for all of them, each batch still answered with its own report
// and files, exactly as if it had run alone (the engine guarantees it for row-local rules). A
// lone push runs at once, so coalescing adds no latency; it only removes per-push fixed cost
// when pushes overlap. If a combined run fails, each batch runs alone, so one bad batch never
// fails the others.
import { createHash } from 'node:crypto';
import type { RulesDocument } from '../../domain/cleansing-rules.js';
import type { ColumnSchema } from '../../domain/datasets.js';
import type { DataEngine, IngestOutcome, RecordsIngestRequest } from '../../domain/ports/data-engine.js';

/** Most rows one combined run takes (a run of more would hold later pushes back for longer). */
const MAX_COMBINED_ROWS = 20_000;

interface Waiting {
  request: RecordsIngestRequest & { schema: ColumnSchema[] };
  resolve: (outcome: IngestOutcome) => void;
  reject: (error: unknown) => void;
}

interface Lane {
  waiting: Waiting[];
}

export class PushCoalescer {
  private readonly lanes = new Map<string, Lane>();

  constructor(private readonly engine: () => DataEngine) {}

  /** Cleanse one pushed batch, together with the batches of the same lane that are waiting. */
  ingest(datasetId: string, request: RecordsIngestRequest & { schema: ColumnSchema[]; rules: RulesDocument | null }): Promise<IngestOutcome> {
    const key = `${datasetId}:${createHash('sha256').update(JSON.stringify([request.schema, request.rules])).digest('hex')}`;
    return new Promise((resolve, reject) => {
      const lane = this.lanes.get(key);
      if (lane) {
        lane.waiting.push({ request, resolve, reject });
        return;
      }
      const fresh: Lane = { waiting: [{ request, resolve, reject }] };
      this.lanes.set(key, fresh);
      void this.drain(key, fresh);
    });
  }

  private async drain(key: string, lane: Lane): Promise<void> {
    try {
      while (lane.waiting.length > 0) {
        const take: Waiting[] = [];
        let rows = 0;
        while (lane.waiting.length > 0 && (take.length === 0 || rows + lane.waiting[0].request.records.length <= MAX_COMBINED_ROWS)) {
          const next = lane.waiting.shift()!;
          rows += next.request.records.length;
          take.push(next);
        }
        await this.run(take);
      }
    } finally {
      this.lanes.delete(key);
    }
  }

  private async run(take: Waiting[]): Promise<void> {
    const engine = this.engine();
    if (take.length > 1) {
      const { rules, schema } = take[0].request;
      try {
        const outcomes = await engine.ingestRecordGroups({
          rules: rules ?? null,
          schema,
          groups: take.map((w) => ({ records: w.request.records, text: w.request.text, source: w.request.source, workDir: w.request.workDir })),
        });
        take.forEach((w, k) => w.resolve(outcomes[k]));
        return;
      } catch {
        // Some batch cannot be cleansed (keys outside the schema, say): each alone says which.
      }
    }
    for (const w of take) {
      try {
        w.resolve(await engine.ingestRecords({ ...w.request, profile: false }));
      } catch (error) {
        w.reject(error);
      }
    }
  }
}
