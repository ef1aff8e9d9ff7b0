// The serving benchmark's baselines, each run as its own process (as Flywheel's server is):
//   limit: a bare node:http server (no framework) that parses the JSON body (`{rows}` or
//          `{columns, data}`), feeds the rows to onnxruntime-node's `run` on the model file, once
//          per request, and answers each row's label and probabilities;
//   fixed: a bare node:http server answering a fixed small JSON body.
// Usage: node --import tsx bench/serve-bare-server.ts limit|fixed [model.onnx '["no","yes"]']
// Prints `READY <port>` once listening. The ONNX session gets the same options as Flywheel's
// runtime (BENCH_ORT_THREADS, as Flywheel's FLYWHEEL_ORT_THREADS).
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InferenceSession, Tensor } from 'onnxruntime-node';

const [mode, modelPath, classesJson] = process.argv.slice(2);
const classes = JSON.parse(classesJson ?? '[]') as string[];

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function limitHandler(): Promise<(req: IncomingMessage, res: ServerResponse) => void> {
  const threads = Number(process.env.BENCH_ORT_THREADS ?? 0);
  const session = await InferenceSession.create(readFileSync(modelPath), {
    graphOptimizationLevel: 'all',
    ...(threads > 0 ? { intraOpNumThreads: threads, interOpNumThreads: 1 } : {}),
  });
  const names = [...session.inputNames];
  return (req, res) => {
    readBody(req)
      .then(async (text) => {
        const body = JSON.parse(text) as { rows?: Array<Record<string, number>>; columns?: string[]; data?: number[][] };
        const n = body.rows ? body.rows.length : body.data!.length;
        const feeds: Record<string, Tensor> = {};
        if (body.rows) {
          for (const name of names) {
            const col = new Float32Array(n);
            for (let i = 0; i < n; i++) col[i] = body.rows[i][name];
            feeds[name] = new Tensor('float32', col, [n, 1]);
          }
        } else {
          const index = new Map(body.columns!.map((c, k) => [c, k]));
          for (const name of names) {
            const k = index.get(name)!;
            const col = new Float32Array(n);
            for (let i = 0; i < n; i++) col[i] = body.data![i][k];
            feeds[name] = new Tensor('float32', col, [n, 1]);
          }
        }
        const out = await session.run(feeds, ['label', 'probabilities']);
        const labels = out.label.data as string[];
        const p = out.probabilities.data as Float32Array;
        const predictions = new Array(n);
        const c = classes.length;
        for (let i = 0; i < n; i++) {
          const probabilities: Record<string, number> = {};
          for (let k = 0; k < c; k++) probabilities[classes[k]] = p[i * c + k];
          predictions[i] = { label: labels[i], probabilities };
        }
        const json = JSON.stringify({ predictions });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
        res.end(json);
      })
      .catch((err: unknown) => {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: String(err) }));
      });
  };
}

function fixedHandler(): (req: IncomingMessage, res: ServerResponse) => void {
  const body = JSON.stringify({ status: 'ok', version: '0.0.0' });
  return (req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  };
}

const handler = mode === 'limit' ? await limitHandler() : fixedHandler();
const server = createServer(handler);
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(`READY ${(server.address() as AddressInfo).port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
