// The composition root: read the configuration, open the stores their URLs name, build the
// services. Everything that runs Flywheel (server, CLI local mode, workers) starts here.
import { availableParallelism } from 'node:os';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import type { Clock } from './domain/clock.js';
import { openArtifactStore } from './storage/artifacts/open-artifact-store.js';
import { KyselyJobQueue } from './storage/jobs/kysely-job-queue.js';
import { openMetadataStore, type KyselyMetadataStore } from './storage/kysely/kysely-metadata-store.js';
import { createServices, type Services } from './services/index.js';
import { SecretCipher, parseSecretKey } from './services/secrets/secret-cipher.js';
import type { ArtifactStore } from './domain/ports/artifact-store.js';
import type { JobQueue } from './domain/ports/job-queue.js';
import { DEFAULT_OFFLOAD_ROWS, OnnxModelRuntime } from './storage/onnx/onnx-model-runtime.js';
import { DuckDbDataEngine } from './storage/duckdb/duckdb-data-engine.js';
import { DEFAULT_MAX_RECORD_BYTES } from './storage/duckdb/stage-source.js';
import { ParquetPredictionLogReader } from './storage/prediction-log/parquet-log-reader.js';
import { NetworkSourceReader } from './storage/sources/source-reader.js';
import { SOURCE_NETWORKS, type SourceNetworks } from './domain/ports/source-reader.js';
import { DEFAULT_SEGMENT_ROWS, DEFAULT_SEGMENT_SECONDS, SegmentPredictionLog } from './storage/prediction-log/segment-log.js';

export interface PlatformConfig {
  home: string;
  host: string;
  port: number;
  databaseUrl: string;
  artifactsUrl: string;
  /** 32-byte key; when absent it is generated into `${home}/secret.key`. */
  secretKey?: string;
  demo: boolean;
  metricsPublic: boolean;
  logLevel: string;
  sessionIdleMs: number;
  workers?: number;
  /** The prediction log rolls its open segment at this many rows (default 50,000)… */
  predictionSegmentRows?: number;
  /** Records (CSV records, JSON lines) longer than this are quarantined at ingest. */
  maxRecordBytes?: number;
  /** …or at this age in seconds (default 60). */
  predictionSegmentSeconds?: number;
  /** How often `up` / `worker` look into FLYWHEEL_HOME/drop for new files, in seconds (default 5). */
  dropPollSeconds?: number;
  /** The addresses HTTP and PostgreSQL sources may reach (default `private`: never this host or link-local). */
  sourceNetworks?: SourceNetworks;
  /** FLYWHEEL_ALLOW_COMMANDS: runs may execute trainer commands on the workers (default off). */
  allowCommands?: boolean;
  /** FLYWHEEL_PUBLIC_URL: the API's URL as trainer commands reach it (default http://HOST:PORT). */
  publicUrl?: string;
  /** FLYWHEEL_ORT_THREADS: threads per model run in onnxruntime (default 1: concurrent requests are batched instead). */
  ortThreads?: number;
  /** FLYWHEEL_ORT_WORKERS: model-run worker threads for large batches (default: one per CPU; 0 runs every batch on the serving thread). */
  ortWorkers?: number;
  /** FLYWHEEL_ORT_OFFLOAD_ROWS: batches of this many rows or more run on those workers (default 256). */
  ortOffloadRows?: number;
}

/** Every configuration variable, with its default (the README lists the same). */
export const CONFIG_VARIABLES: Array<{ name: string; default: string; description: string }> = [
  { name: 'FLYWHEEL_HOME', default: './.flywheel', description: 'folder for the embedded database, artifacts and the secret key' },
  { name: 'FLYWHEEL_PORT', default: '7070', description: 'HTTP port of `flywheel up`' },
  { name: 'FLYWHEEL_HOST', default: '127.0.0.1', description: 'address to listen on (0.0.0.0 to expose)' },
  { name: 'FLYWHEEL_DATABASE_URL', default: 'sqlite:$FLYWHEEL_HOME/flywheel.db', description: 'metadata store: sqlite:PATH or postgres://…' },
  { name: 'FLYWHEEL_ARTIFACTS', default: '$FLYWHEEL_HOME/artifacts', description: 'artifact store: a folder path' },
  { name: 'FLYWHEEL_SECRET_KEY', default: 'generated into $FLYWHEEL_HOME/secret.key', description: '32-byte key (64 hex chars or base64) encrypting stored credentials' },
  { name: 'FLYWHEEL_DEMO', default: '1', description: 'seed the demo project on first start (0 to skip)' },
  { name: 'FLYWHEEL_METRICS_PUBLIC', default: '0', description: '1 serves /metrics without credentials' },
  { name: 'FLYWHEEL_LOG_LEVEL', default: 'info', description: 'pino log level' },
  { name: 'FLYWHEEL_SESSION_IDLE_MINUTES', default: '720', description: 'idle minutes after which a UI session expires' },
  { name: 'FLYWHEEL_MAX_RECORD_BYTES', default: '1048576', description: 'longest CSV record or JSON line an ingest accepts; longer ones are quarantined (parse.record_too_long)' },
  { name: 'FLYWHEEL_WORKERS', default: 'CPUs - 1', description: 'background jobs run at once by `flywheel up` / `flywheel worker`' },
  { name: 'FLYWHEEL_PREDICTION_SEGMENT_ROWS', default: '50000', description: 'the prediction log rolls its open segment into Parquet at this many rows' },
  { name: 'FLYWHEEL_PREDICTION_SEGMENT_SECONDS', default: '60', description: '… or when the open segment is this many seconds old' },
  {
    name: 'FLYWHEEL_SOURCE_NETWORKS',
    default: 'private',
    description: 'addresses HTTP and PostgreSQL sources may reach: private (public and private networks, never this host or link-local such as cloud metadata), public, or any',
  },
  { name: 'FLYWHEEL_DROP_POLL_SECONDS', default: '5', description: 'how often `up` / `worker` look into $FLYWHEEL_HOME/drop/<project>/<dataset>/ for new files' },
  { name: 'FLYWHEEL_ORT_THREADS', default: '1', description: 'threads onnxruntime uses for one model run (serving batches concurrent requests instead; more threads spin on idle cores)' },
  { name: 'FLYWHEEL_ORT_WORKERS', default: 'CPUs', description: 'worker threads that run large prediction batches, so they never stall the thread answering HTTP (0: every batch on that thread)' },
  { name: 'FLYWHEEL_ORT_OFFLOAD_ROWS', default: '256', description: 'prediction batches of this many rows or more run on those worker threads; smaller ones (single rows, micro-batches) run in place' },
  { name: 'FLYWHEEL_ALLOW_COMMANDS', default: '0', description: '1 lets owners and data scientists run trainer commands (any program, as the server’s OS user) on the workers' },
  { name: 'FLYWHEEL_PUBLIC_URL', default: 'http://$FLYWHEEL_HOST:$FLYWHEEL_PORT', description: 'the API’s URL as trainer commands reach it (MLFLOW_TRACKING_URI, FLYWHEEL_URL)' },
  { name: 'FLYWHEEL_URL', default: '(unset: local mode)', description: 'CLI: the server to talk to' },
  { name: 'FLYWHEEL_TOKEN', default: '(unset)', description: 'CLI: API token for FLYWHEEL_URL' },
  { name: 'FLYWHEEL_PROJECT', default: '(unset)', description: 'CLI: default --project' },
];

function flag(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  return !['0', 'false', 'no', 'off'].includes(value.toLowerCase());
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got '${raw}'`);
  return n;
}

function count(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number of 0 or more, got '${raw}'`);
  return n;
}

function sourceNetworksOf(raw: string | undefined): SourceNetworks {
  if (raw === undefined || raw === '') return 'private';
  if (!(SOURCE_NETWORKS as readonly string[]).includes(raw)) throw new Error(`FLYWHEEL_SOURCE_NETWORKS must be one of ${SOURCE_NETWORKS.join(', ')}, got '${raw}'`);
  return raw as SourceNetworks;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  const home = resolve(env.FLYWHEEL_HOME || '.flywheel');
  const port = Number(env.FLYWHEEL_PORT || 7070);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`FLYWHEEL_PORT must be a port number, got '${env.FLYWHEEL_PORT}'`);
  return {
    home,
    host: env.FLYWHEEL_HOST || '127.0.0.1',
    port,
    databaseUrl: env.FLYWHEEL_DATABASE_URL || `sqlite:${join(home, 'flywheel.db')}`,
    artifactsUrl: env.FLYWHEEL_ARTIFACTS || join(home, 'artifacts'),
    secretKey: env.FLYWHEEL_SECRET_KEY || undefined,
    demo: flag(env.FLYWHEEL_DEMO, true),
    metricsPublic: flag(env.FLYWHEEL_METRICS_PUBLIC, false),
    logLevel: env.FLYWHEEL_LOG_LEVEL || 'info',
    sessionIdleMs: Number(env.FLYWHEEL_SESSION_IDLE_MINUTES || 720) * 60_000,
    workers: env.FLYWHEEL_WORKERS ? Number(env.FLYWHEEL_WORKERS) : undefined,
    predictionSegmentRows: positive(env, 'FLYWHEEL_PREDICTION_SEGMENT_ROWS', DEFAULT_SEGMENT_ROWS),
    maxRecordBytes: Math.floor(positive(env, 'FLYWHEEL_MAX_RECORD_BYTES', DEFAULT_MAX_RECORD_BYTES)),
    predictionSegmentSeconds: positive(env, 'FLYWHEEL_PREDICTION_SEGMENT_SECONDS', DEFAULT_SEGMENT_SECONDS),
    dropPollSeconds: positive(env, 'FLYWHEEL_DROP_POLL_SECONDS', 5),
    sourceNetworks: sourceNetworksOf(env.FLYWHEEL_SOURCE_NETWORKS),
    allowCommands: flag(env.FLYWHEEL_ALLOW_COMMANDS, false),
    publicUrl: env.FLYWHEEL_PUBLIC_URL || undefined,
    ortThreads: Math.floor(positive(env, 'FLYWHEEL_ORT_THREADS', 1)),
    ortWorkers: count(env, 'FLYWHEEL_ORT_WORKERS'),
    ortOffloadRows: Math.floor(positive(env, 'FLYWHEEL_ORT_OFFLOAD_ROWS', DEFAULT_OFFLOAD_ROWS)),
  };
}

/** FLYWHEEL_PUBLIC_URL, or the address `up` listens on (a wildcard host read as the loopback). */
export function publicUrlOf(config: Pick<PlatformConfig, 'publicUrl' | 'host' | 'port'>): string {
  if (config.publicUrl) return config.publicUrl.replace(/\/+$/, '');
  const host = ['0.0.0.0', '::', ''].includes(config.host) ? '127.0.0.1' : config.host.includes(':') ? `[${config.host}]` : config.host;
  return `http://${host}:${config.port}`;
}

/** The key from the environment, or the one kept in FLYWHEEL_HOME (made on first start). */
function loadSecretKey(config: PlatformConfig): Buffer {
  if (config.secretKey) return parseSecretKey(config.secretKey);
  const file = join(config.home, 'secret.key');
  if (!existsSync(file)) {
    writeFileSync(file, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  }
  chmodSync(file, 0o600);
  return parseSecretKey(readFileSync(file, 'utf8').trim());
}

export const VERSION: string = (() => {
  try {
    return JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version as string;
  } catch {
    return '0.0.0';
  }
})();

/** The package version, plus the git commit (and `-dirty`) when running from a checkout. */
export const CODE_VERSION: string = (() => {
  try {
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    const commit = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() !== '';
    return `${VERSION}+${commit}${dirty ? '-dirty' : ''}`;
  } catch {
    return VERSION;
  }
})();

export interface Platform {
  config: PlatformConfig;
  store: KyselyMetadataStore;
  artifacts: ArtifactStore;
  queue: JobQueue;
  services: Services;
  close(): Promise<void>;
}

export async function openPlatform(config: PlatformConfig, options: { clock?: Clock } = {}): Promise<Platform> {
  mkdirSync(config.home, { recursive: true });
  const key = loadSecretKey(config);
  const store = await openMetadataStore(config.databaseUrl);
  try {
    const artifacts = await openArtifactStore(config.artifactsUrl);
    const queue = new KyselyJobQueue(store.db, store.dialect, options.clock);
    const runtime = new OnnxModelRuntime({ intraOpThreads: config.ortThreads ?? 1, workers: config.ortWorkers ?? availableParallelism(), offloadRows: config.ortOffloadRows });
    const dataEngine = new DuckDbDataEngine({ maxRecordBytes: config.maxRecordBytes });
    const predictionLog = new SegmentPredictionLog({
      dir: join(config.home, 'prediction-log'),
      artifacts,
      segments: store.predictionSegments,
      maxRows: config.predictionSegmentRows,
      maxAgeMs: (config.predictionSegmentSeconds ?? DEFAULT_SEGMENT_SECONDS) * 1000,
      clock: options.clock,
      onError: (err) => process.emitWarning(`prediction log: ${err instanceof Error ? err.message : String(err)} (will retry)`, 'FlywheelPredictionLog'),
    });
    const predictionReader = new ParquetPredictionLogReader(artifacts);
    // Segments left open by a process that died are rolled now: nothing logged is lost.
    await predictionLog.recover().catch((err) => process.emitWarning(`prediction log recovery: ${err instanceof Error ? err.message : String(err)}`, 'FlywheelPredictionLog'));
    const services = createServices({
      store,
      artifacts,
      jobs: queue,
      cipher: new SecretCipher(key),
      clock: options.clock,
      version: VERSION,
      codeVersion: CODE_VERSION,
      sessionIdleMs: config.sessionIdleMs,
      runtime,
      predictionLog,
      predictionReader,
      dataEngine,
      tmpDir: join(config.home, 'tmp'),
      sourceReader: new NetworkSourceReader(config.sourceNetworks),
      dropDir: join(config.home, 'drop'),
      commands: { allowed: config.allowCommands ?? false, serverUrl: publicUrlOf(config), runsDir: join(config.home, 'runs') },
    });
    const closeServing = async () => {
      try {
        await predictionLog.close(); // a graceful shutdown flushes the open segment
      } finally {
        await predictionReader.close();
        await runtime.close();
        await dataEngine.close();
      }
    };
    return { config, store, artifacts, queue, services, close: () => closeServing().finally(() => store.close()) };
  } catch (err) {
    await store.close();
    throw err;
  }
}
