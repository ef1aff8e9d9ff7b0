// Adaptive micro-batching: concurrent requests for the same model are coalesced into one
// runtime call, whose outputs are split back per request. It adapts to the load by itself: a
// request that finds the model idle runs at the end of the current event-loop turn (with whatever
// else arrived in that turn), so a lone request waits for nothing; requests that arrive while a
// run is in progress queue up and go together as soon as it finishes. `maxRows` caps a batch
// (a full queue goes at once), and `maxDelayMs` caps how long a request waits behind a running
// batch before it is sent anyway. Requests are validated before they get here, so one caller's
// bad input never fails another's batch; a failing run fails only the requests in it.
import type { FeatureColumn, ModelOutput, ModelRuntime } from '../../domain/ports/model-runtime.js';

export interface BatchSettings {
  /** Rows per model run at most; 1 turns batching off. */
  maxRows: number;
  /** How long a request may wait behind a running batch (ms); 0: only what arrives in the same event-loop turn is coalesced. */
  maxDelayMs: number;
}

/** Told about each model run: rows in it and how many requests they came from. */
export type RunObserver = (key: string, rows: number, requests: number) => void;

interface Waiting {
  columns: Record<string, FeatureColumn>;
  rows: number;
  resolve: (out: ModelOutput) => void;
  reject: (err: unknown) => void;
}

interface Queue {
  sha: string;
  settings: BatchSettings;
  waiting: Waiting[];
  rows: number;
  running: number;
  scheduled: boolean;
  timer?: NodeJS.Timeout;
}

/** Concatenate the requests' columns in order (numeric columns into one Float32Array). */
function concatColumns(items: Waiting[], rows: number): Record<string, FeatureColumn> {
  if (items.length === 1) return items[0].columns;
  const out: Record<string, FeatureColumn> = {};
  for (const name of Object.keys(items[0].columns)) {
    if (items[0].columns[name] instanceof Float32Array) {
      const col = new Float32Array(rows);
      let at = 0;
      for (const it of items) {
        const part = it.columns[name] as Float32Array;
        col.set(part, at);
        at += part.length;
      }
      out[name] = col;
    } else {
      const col: string[] = new Array(rows);
      let at = 0;
      for (const it of items) for (const v of it.columns[name] as string[]) col[at++] = v;
      out[name] = col;
    }
  }
  return out;
}

export class MicroBatcher {
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly runtime: ModelRuntime,
    private readonly observe?: RunObserver,
  ) {}

  /**
   * Run `rows` rows (columns in the model's input order) through model `sha`, coalesced with the
   * concurrent calls under the same `key` (one queue per deployment and model). Example:
   *   const out = await batcher.run('weather-prod:ab12…', 'ab12…', columns, 1, { maxRows: 64, maxDelayMs: 2 })
   */
  run(key: string, sha: string, columns: Record<string, FeatureColumn>, rows: number, settings: BatchSettings): Promise<ModelOutput> {
    if (rows >= settings.maxRows) return this.direct(key, sha, columns, rows);
    let q = this.queues.get(key);
    if (!q || q.sha !== sha) {
      // A new queue, or the key's model changed (a hot swap): the old queue drains on its own.
      q = { sha, settings, waiting: [], rows: 0, running: 0, scheduled: false };
      this.queues.set(key, q);
    }
    q.settings = settings;
    const queue = q;
    return new Promise<ModelOutput>((resolve, reject) => {
      queue.waiting.push({ columns, rows, resolve, reject });
      queue.rows += rows;
      this.arm(key, queue);
    });
  }

  /** Requests waiting for a batch now (all queues). */
  waitingRequests(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.waiting.length;
    return n;
  }

  private async direct(key: string, sha: string, columns: Record<string, FeatureColumn>, rows: number): Promise<ModelOutput> {
    const out = await this.runtime.predict(sha, columns);
    this.observe?.(key, rows, 1);
    return out;
  }

  /**
   * Decide when what waits goes: now when a full batch waits; at the end of this event-loop turn
   * when the model is idle (so requests arriving in the same turn go together); else when the
   * running batch finishes, or after `maxDelayMs` at the latest.
   */
  private arm(key: string, q: Queue): void {
    if (q.waiting.length === 0) return;
    if (q.rows >= q.settings.maxRows) this.dispatch(key, q);
    else if (q.running === 0) this.schedule(key, q);
    else if (!q.timer) {
      q.timer = setTimeout(() => {
        q.timer = undefined;
        this.dispatch(key, q);
      }, q.settings.maxDelayMs);
    }
  }

  private schedule(key: string, q: Queue): void {
    if (q.scheduled) return;
    q.scheduled = true;
    setImmediate(() => {
      q.scheduled = false;
      if (q.running === 0) this.dispatch(key, q);
      else this.arm(key, q);
    });
  }

  /** Send the longest run of waiting requests that fits in one batch (at least one request). */
  private dispatch(key: string, q: Queue): void {
    if (q.timer) {
      clearTimeout(q.timer);
      q.timer = undefined;
    }
    if (q.waiting.length === 0) return;
    const max = q.settings.maxRows;
    let rows = 0;
    let n = 0;
    while (n < q.waiting.length && (n === 0 || rows + q.waiting[n].rows <= max)) rows += q.waiting[n++].rows;
    const items = q.waiting.splice(0, n);
    q.rows -= rows;
    q.running++;
    this.runtime.predict(q.sha, concatColumns(items, rows)).then(
      (out) => {
        this.observe?.(key, rows, items.length);
        if (items.length === 1) items[0].resolve(out);
        else {
          const c = out.classes;
          let at = 0;
          for (const it of items) {
            it.resolve({
              labels: out.labels.slice(at, at + it.rows),
              probabilities: out.probabilities.subarray(at * c, (at + it.rows) * c),
              classes: c,
              ...(out.values ? { values: out.values.subarray(at, at + it.rows) } : {}),
            });
            at += it.rows;
          }
        }
        this.finished(key, q);
      },
      (err: unknown) => {
        for (const it of items) it.reject(err);
        this.finished(key, q);
      },
    );
    this.arm(key, q);
  }

  private finished(key: string, q: Queue): void {
    q.running--;
    this.arm(key, q);
  }
}
