// Load for the annotation benchmark, run in a worker thread so the server's event loop is not
// shared with the load: each simulated annotator pulls its next task over HTTP, then submits a
// label for it after looking at it for a moment (the think time), in a loop; the time of every
// `next` round trip is recorded after a warm-up, and the time the server's thread (this process's
// main thread) was busy meanwhile.
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

export interface Annotator {
  /** Headers of the `next` and submit calls (a bearer token for Flywheel). */
  headers: Record<string, string>;
  /** URL of `next`. */
  nextUrl: string;
  /** URL of the submit call with `{task}` in place of the task id. */
  labelUrl: string;
}

export interface LoadResult {
  /** Round-trip times of `next`, milliseconds, sorted (after the warm-up; labels too are counted after it). */
  next: number[];
  submitted: number;
  /** Calls that did not answer 2xx (a 409 on submit counts: someone else filled the task). */
  errors: number;
  conflicts: number;
  empty: number;
  seconds: number;
  /** Milliseconds the main thread (the server's) was busy, warm-up included, and the calls answered meanwhile. */
  busyMs: number;
  calls: number;
}

// The calls use node:http with a kept-alive connection per annotator (as a browser keeps one),
// not fetch: fetch's own CPU time on these shared cores would be counted in every round trip.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { annotators, labels, warmupMs, durationMs, thinkMs } = workerData;
function call(agent, method, url, headers, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent, headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      const parts = [];
      res.on('data', (c) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(parts).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
async function run() {
  const times = [];
  let submitted = 0, errors = 0, conflicts = 0, empty = 0, calls = 0;
  const start = performance.now();
  const stopAt = start + warmupMs + durationMs;
  const measureFrom = start + warmupMs;
  await Promise.all(annotators.map(async (a, k) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    let n = k;
    while (performance.now() < stopAt) {
      const t0 = performance.now();
      const res = await call(agent, 'GET', a.nextUrl, a.headers);
      const body = JSON.parse(res.text);
      const t1 = performance.now();
      calls++;
      if (t0 >= measureFrom) times.push(t1 - t0);
      if (res.status < 200 || res.status > 299) { errors++; continue; }
      if (!body.task) { empty++; await new Promise((r) => setTimeout(r, 5)); continue; }
      const label = labels[(n++) % labels.length];
      if (thinkMs > 0) await new Promise((r) => setTimeout(r, thinkMs));
      const s = await call(agent, 'POST', a.labelUrl.replace('{task}', body.task.id), { ...a.headers, 'content-type': 'application/json' }, JSON.stringify({ label, duration_ms: 1000 }));
      calls++;
      if (s.status === 409) conflicts++;
      else if (s.status < 200 || s.status > 299) errors++;
      else if (t0 >= measureFrom) submitted++;
    }
    agent.destroy();
  }));
  times.sort((x, y) => x - y);
  parentPort.postMessage({ next: times, submitted, errors, conflicts, empty, seconds: durationMs / 1000, calls });
}
run().catch((err) => { throw err; });
`;

/** Run the annotators' loops for `durationMs` after `warmupMs` (not recorded); each looks at a task for `thinkMs` before labelling it. */
export function runLoad(annotators: Annotator[], labels: string[], warmupMs: number, durationMs: number, thinkMs = 0): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const busy = performance.eventLoopUtilization();
    const worker = new Worker(WORKER, { eval: true, workerData: { annotators, labels, warmupMs, durationMs, thinkMs } });
    worker.once('message', (m: Omit<LoadResult, 'busyMs'>) => resolve({ ...m, busyMs: performance.eventLoopUtilization(busy).active }));
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`load worker exited with ${code}`)));
  });
}

/** The q-quantile (0..1) of sorted values (nearest rank). */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
