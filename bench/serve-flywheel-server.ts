// The serving benchmark's Flywheel: a fresh FLYWHEEL_HOME (SQLite, files), the model registered
// and deployed as `gbdt` in project `bench`, an API token of a data scientist who is a member of
// the project (a real token: every request is authenticated and authorized), then the server
// built and listening exactly as `flywheel up` builds it (JSON request logs at info, the
// prediction log on). Run as its own process by serve.bench.ts:
//   node --import tsx bench/serve-flywheel-server.ts HOME model.onnx
// Prints `READY <port> <token>` on stderr once listening; SIGTERM closes it gracefully (the
// prediction log's open segment is flushed), then it prints `CLOSED <rows in registered segments>`.
import { readFileSync } from 'node:fs';
import { configFromEnv, openPlatform, VERSION } from '../src/platform.js';
import { buildApp } from '../src/server/app.js';
import type { CallContext } from '../src/services/index.js';

const [home, modelPath] = process.argv.slice(2);

const config = configFromEnv({ ...process.env, FLYWHEEL_HOME: home, FLYWHEEL_DEMO: '0', FLYWHEEL_PORT: '0' });
const platform = await openPlatform(config);
const s = platform.services;
const boot = (await s.users.bootstrapAdmin())!;
const admin: CallContext = { principal: { user: boot.user, via: 'local' } };
const project = await s.projects.create(admin, { name: 'bench' });
const owner = { project, role: 'owner' as const };
await s.users.create(admin, { username: 'dora', password: 'bench-password-123' });
await s.projects.putMember(admin, owner, 'dora', 'data-scientist');
await s.registry.registerVersion(admin, owner, { model: 'gbdt', onnx: readFileSync(modelPath), metrics: {}, gate: { passed: true, summary: 'bench' } });
await s.registry.setAlias(admin, owner, 'gbdt', 'champion', 1, 'bench');
// BENCH_BATCHING (JSON, e.g. {"max_rows":1}) overrides the deployment's micro-batching defaults.
await s.deployments.create(admin, owner, { name: 'gbdt', model: 'gbdt', batching: process.env.BENCH_BATCHING ? JSON.parse(process.env.BENCH_BATCHING) : undefined });
const dora = await platform.store.users.getByUsername('dora');
const token = await s.tokens.create({ principal: { user: dora!, via: 'local' } }, { name: 'bench', role: 'data-scientist', project: 'bench' });

const app = await buildApp({ services: s, version: VERSION, logger: { level: config.logLevel }, metricsPublic: true });
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stderr.write(`READY ${new URL(address).port} ${token.secret}\n`);

process.once('SIGTERM', () => {
  void (async () => {
    await app.close();
    await s.predictionLog.flush();
    const segments = await s.predictionLog.listSegments(project.id);
    await platform.close();
    process.stderr.write(`CLOSED ${segments.reduce((n, x) => n + x.rows, 0)}\n`);
    process.exit(0);
  })();
});
