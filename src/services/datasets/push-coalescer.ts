// Group commit for pushes. While the engine cleanses pushes of a dataset (one run at a time by
// default), the pushes that arrive for it (same schema and rules) wait, then go through the
// engine together (ingestRecordGroups: one statement prepared for the schema and rules run per
// batch, or one staging table and one checking pass for all of them), each batch still answered
// with its own report and files, exactly as if it had run alone (the engine guarantees it for
// row-local rules). A lone push runs at once, so coalescing adds no latency; it only removes
// per-push fixed cost when pushes overlap. If a combined run fails, each batch runs alone, so one
// bad batch never fails the others.
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
  running: number;
}

export class PushCoalescer {
  private readonly lanes = new Map<string, Lane>();

  constructor(
    private readonly engine: () => DataEngine,
    /**
     * Engine runs of one lane at once. One: the other core parses and stores requests meanwhile,
     * and that (the main thread) is what limits pushes; a warm 1,000-row batch costs DuckDB about
     * 3 ms (`npm run bench -- data`; with a run's fixed cost, before warm workspaces, one lane
     * gave 64k rows/s at 4 pushes in flight and two 54k).
     */
    private readonly parallel = 1,
  ) {}

  /**
   * Cleanse one pushed batch, together with the batches of the same lane that are waiting. `lane`
   * names the schema and rules within the dataset (their digest when not given).
   */
  ingest(datasetId: string, request: RecordsIngestRequest & { schema: ColumnSchema[]; rules: RulesDocument | null }, lane?: string): Promise<IngestOutcome> {
    const key = `${datasetId}:${lane ?? createHash('sha256').update(JSON.stringify([request.schema, request.rules])).digest('hex')}`;
    return new Promise((resolve, reject) => {
      let lane = this.lanes.get(key);
      if (!lane) this.lanes.set(key, (lane = { waiting: [], running: 0 }));
      lane.waiting.push({ request, resolve, reject });
      if (lane.running < this.parallel) void this.drain(key, lane);
    });
  }

  private async drain(key: string, lane: Lane): Promise<void> {
    lane.running++;
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
      lane.running--;
      if (lane.running === 0 && lane.waiting.length === 0) this.lanes.delete(key);
    }
  }

  private async run(take: Waiting[]): Promise<void> {
    const engine = this.engine();
    // Batches answered already (each as soon as the engine knows its outcome).
    const done = new Set<number>();
    if (take.length > 1) {
      const { rules, schema } = take[0].request;
      try {
        const outcomes = await engine.ingestRecordGroups({
          rules: rules ?? null,
          schema,
          groups: take.map((w) => ({ records: w.request.records, text: w.request.text, source: w.request.source, workDir: w.request.workDir })),
          onOutcome: (k, outcome) => {
            done.add(k);
            take[k].resolve(outcome);
          },
        });
        take.forEach((w, k) => w.resolve(outcomes[k]));
        return;
      } catch {
        // Some batch cannot be cleansed (keys outside the schema, say): each alone says which.
      }
    }
    for (const [k, w] of take.entries()) {
      if (done.has(k)) continue;
      try {
        w.resolve(await engine.ingestRecords({ ...w.request, profile: false }));
      } catch (error) {
        w.reject(error);
      }
    }
  }
}
