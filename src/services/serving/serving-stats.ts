// Live serving statistics of this process for the deployment page: per deployment, one bucket per
// second over the last two minutes (requests, errors, rows, a latency histogram, model runs), kept
// in memory at O(1) per request. Each server keeps its own (a scaled-out instance shows the
// server the page asked). Prometheus gets the same events through /metrics.

/** Seconds kept per deployment. */
export const STATS_SECONDS = 120;
/** Latency histogram: bins of equal width on a log scale, 10 per decade, from 10 µs to 100 s. */
const BIN_LO_MS = 0.01;
const BINS_PER_DECADE = 10;
const BINS = 7 * BINS_PER_DECADE;

interface Bucket {
  second: number;
  requests: number;
  errors: number;
  rows: number;
  latencySum: number;
  latency: Uint32Array;
  runs: number;
  runRows: number;
}

/** One second of a deployment's traffic. */
export interface StatsPoint {
  /** Start of the second (epoch ms). */
  t: number;
  requests: number;
  errors: number;
  rows: number;
  /** Latency of the requests answered in that second, in ms (null when there were none). */
  mean_ms: number | null;
  p50_ms: number | null;
  p99_ms: number | null;
  /** Model runs and the mean rows per run (how well concurrent requests were batched; null without runs). */
  model_runs: number;
  rows_per_run: number | null;
}

const binOf = (ms: number) => (ms <= BIN_LO_MS ? 0 : Math.min(BINS - 1, Math.floor(Math.log10(ms / BIN_LO_MS) * BINS_PER_DECADE)));
/** The geometric middle of a bin, in ms. */
const binMiddle = (b: number) => BIN_LO_MS * 10 ** ((b + 0.5) / BINS_PER_DECADE);

function quantile(hist: Uint32Array, n: number, q: number): number | null {
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil(q * n));
  let seen = 0;
  for (let b = 0; b < hist.length; b++) {
    seen += hist[b];
    if (seen >= rank) return binMiddle(b);
  }
  return binMiddle(hist.length - 1);
}

export class ServingStats {
  private readonly series = new Map<string, Bucket[]>();

  constructor(private readonly now: () => number = Date.now) {}

  /** One answered request of `deployment` (a name this process serves: the set stays bounded). */
  recordRequest(deployment: string, latencyMs: number, rows: number, ok: boolean): void {
    const b = this.bucket(deployment);
    b.requests++;
    if (ok) b.rows += rows;
    else b.errors++;
    b.latencySum += latencyMs;
    b.latency[binOf(latencyMs)]++;
  }

  /** One model run of `deployment` with `rows` rows (several requests when they were batched). */
  recordRun(deployment: string, rows: number): void {
    const b = this.bucket(deployment);
    b.runs++;
    b.runRows += rows;
  }

  /**
   * The last `seconds` whole seconds of a deployment (oldest first, one point per second, zeros
   * where nothing happened), ending with the second before the current one.
   */
  points(deployment: string, seconds = 60): StatsPoint[] {
    const span = Math.min(Math.max(1, Math.floor(seconds)), STATS_SECONDS - 1);
    const current = Math.floor(this.now() / 1000);
    const ring = this.series.get(deployment);
    const out: StatsPoint[] = [];
    for (let s = current - span; s < current; s++) {
      const b = ring?.[s % STATS_SECONDS];
      if (!b || b.second !== s) {
        out.push({ t: s * 1000, requests: 0, errors: 0, rows: 0, mean_ms: null, p50_ms: null, p99_ms: null, model_runs: 0, rows_per_run: null });
        continue;
      }
      out.push({
        t: s * 1000,
        requests: b.requests,
        errors: b.errors,
        rows: b.rows,
        mean_ms: b.requests ? b.latencySum / b.requests : null,
        p50_ms: quantile(b.latency, b.requests, 0.5),
        p99_ms: quantile(b.latency, b.requests, 0.99),
        model_runs: b.runs,
        rows_per_run: b.runs ? b.runRows / b.runs : null,
      });
    }
    return out;
  }

  private bucket(deployment: string): Bucket {
    const second = Math.floor(this.now() / 1000);
    let ring = this.series.get(deployment);
    if (!ring) this.series.set(deployment, (ring = new Array<Bucket>(STATS_SECONDS)));
    const slot = second % STATS_SECONDS;
    let b = ring[slot];
    if (!b || b.second !== second) {
      if (b) {
        b.second = second;
        b.requests = b.errors = b.rows = b.latencySum = b.runs = b.runRows = 0;
        b.latency.fill(0);
      } else ring[slot] = b = { second, requests: 0, errors: 0, rows: 0, latencySum: 0, latency: new Uint32Array(BINS), runs: 0, runRows: 0 };
    }
    return b;
  }
}
