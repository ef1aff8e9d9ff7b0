// Bring your own trainer: a run that executes a command (an argv array, no shell) as a background
// job, with the dataset version written as Parquet and CSV beside it, the tracking API at hand
// (MLFLOW_TRACKING_URI, MLFLOW_RUN_ID and a token scoped to the project that lives as long as the
// run), and collects the ONNX file it writes as the run's model, checked by loading it in the
// model runtime. Its output is kept as the run's artifact `flywheel/command.log`, whatever happens;
// a command that fails, runs too long or writes no loadable model fails the run with the reason.
//
// Only owners and data scientists may ask for one (`experiment.command`), and only on a server
// and worker started with FLYWHEEL_ALLOW_COMMANDS=1: a command runs as the worker's OS user.
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { Clock } from '../../domain/clock.js';
import type { ApiToken } from '../../domain/entities.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { ArtifactStore } from '../../domain/ports/artifact-store.js';
import type { DataEngine } from '../../domain/ports/data-engine.js';
import type { MetadataStore } from '../../domain/ports/metadata-store.js';
import type { ModelRuntime } from '../../domain/ports/model-runtime.js';
import type { GateReport, Run } from '../../domain/tracking.js';
import type { ProjectAccess } from '../access/authorize.js';
import { jobContext } from '../access/job-context.js';
import type { CallContext } from '../access/principal.js';
import type { DatasetsService } from '../datasets/datasets.service.js';
import type { JobsService } from '../jobs/jobs.service.js';
import type { OperationRunner } from '../operation.js';
import { generateToken, sha256Hex } from '../secrets/tokens.js';
import { checkModelContract } from '../serving/model-contract.js';
import { runCommand, type CommandResult } from './command-process.js';
import type { ModelValidationService } from './model-validation.service.js';
import type { Progress, TrainingService } from './training.service.js';

export const COMMAND_TASK = 'training.command';
export const COMMAND_LOG_PATH = 'flywheel/command.log';
export const COMMAND_MODEL_PATH = 'model/model.onnx';
/** Default and largest timeout of a command, in seconds. */
export const DEFAULT_COMMAND_TIMEOUT_S = 3600;
export const MAX_COMMAND_TIMEOUT_S = 7 * 24 * 3600;
/** The log keeps this much output (the rest is dropped, and the log says so). */
export const MAX_COMMAND_LOG_BYTES = 16 * 1024 * 1024;
/** Variables of the worker's environment a command inherits; nothing else (no database URL, no keys). */
const INHERITED_ENV = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TMPDIR', 'USER', 'LOGNAME', 'SHELL', 'PYTHONPATH', 'VIRTUAL_ENV', 'CONDA_PREFIX', 'R_HOME', 'JAVA_HOME'];
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const RESERVED_ENV = /^(FLYWHEEL_|MLFLOW_)/;

/** What a command run is asked to do (the run's spec, `kind: 'command'`). */
export interface CommandSpec {
  experiment: string;
  dataset: string;
  /** Dataset version number; the latest when absent. */
  version?: number;
  /** The program and its arguments, run without a shell (pass ['sh', '-c', '…'] for one). */
  command: string[];
  /** Absolute working directory on the worker; the run's own scratch folder when absent. */
  cwd?: string;
  timeout_seconds?: number;
  /** More environment variables for the command (FLYWHEEL_* and MLFLOW_* are Flywheel's). */
  env?: Record<string, string>;
  seed?: number;
  /** Register the model under this name when it passes the gate (it must follow Flywheel's model contract). */
  register?: { model: string; alias?: string };
}

export interface CommandSettings {
  /** FLYWHEEL_ALLOW_COMMANDS: whether this process may start or run commands. */
  allowed: boolean;
  /** The API's URL as the command reaches it (FLYWHEEL_PUBLIC_URL). */
  serverUrl: string;
  /** Scratch folders of command runs (FLYWHEEL_HOME/runs). */
  runsDir: string;
}

export interface CommandRunDeps {
  store: MetadataStore;
  ops: OperationRunner;
  clock: Clock;
  artifacts: ArtifactStore;
  engine?: DataEngine;
  datasets: DatasetsService;
  jobs: JobsService;
  runtime: ModelRuntime;
  validation: ModelValidationService;
  training: TrainingService;
  settings: CommandSettings;
}

const disabled = () =>
  new ForbiddenError('running commands is disabled on this server: an administrator enables it with FLYWHEEL_ALLOW_COMMANDS=1 (commands run as the server’s OS user)', {
    reason: 'commands_disabled',
  });

/** Why a command run failed, for the run's error. */
function failure(result: CommandResult, timeoutS: number): string | null {
  const log = `its output is the run's artifact ${COMMAND_LOG_PATH}`;
  if (result.startError) return `${result.startError} (${log})`;
  if (result.cancelled) return `the run was cancelled and its command stopped (${log})`;
  if (result.timedOut) return `the command ran past its timeout of ${timeoutS} s and was stopped (${log})`;
  if (result.exitCode !== 0) return `the command exited with ${result.exitCode === null ? `signal ${result.signal}` : `code ${result.exitCode}`} (${log})`;
  return null;
}

export class CommandRunService {
  constructor(private readonly deps: CommandRunDeps) {}

  /** Check the request (a 4xx naming the field, nothing written), record a queued run and enqueue its job. */
  async start(ctx: CallContext, access: ProjectAccess, spec: CommandSpec): Promise<Run> {
    if (!this.deps.settings.allowed) throw disabled();
    if (!Array.isArray(spec.command) || spec.command.length === 0 || spec.command[0] === '') {
      throw new ValidationError('command must be a non-empty argv array, e.g. ["/usr/bin/python3", "train.py"]', { field: 'body.command' });
    }
    spec.command.forEach((a, i) => {
      if (a.includes('\u0000')) throw new ValidationError(`command[${i}] contains a NUL character`, { field: `body.command.${i}` });
    });
    if (spec.cwd !== undefined && (!isAbsolute(spec.cwd) || spec.cwd.includes('\u0000'))) {
      throw new ValidationError(`cwd must be an absolute path on the worker, got '${spec.cwd}'`, { field: 'body.cwd' });
    }
    const timeout = spec.timeout_seconds ?? DEFAULT_COMMAND_TIMEOUT_S;
    if (!Number.isInteger(timeout) || timeout < 1 || timeout > MAX_COMMAND_TIMEOUT_S) {
      throw new ValidationError(`timeout_seconds must be an integer in [1, ${MAX_COMMAND_TIMEOUT_S}]`, { field: 'body.timeout_seconds' });
    }
    for (const [name, value] of Object.entries(spec.env ?? {})) {
      if (!ENV_NAME.test(name)) throw new ValidationError(`'${name}' is not an environment variable name`, { field: `body.env.${name}` });
      if (RESERVED_ENV.test(name)) throw new ValidationError(`'${name}' is set by Flywheel (FLYWHEEL_* and MLFLOW_* are reserved)`, { field: `body.env.${name}` });
      if (typeof value !== 'string' || value.includes('\u0000')) throw new ValidationError(`env.${name} must be a string without NUL`, { field: `body.env.${name}` });
    }
    const dataset = await this.deps.datasets.get(access, spec.dataset);
    const version = await this.deps.datasets.getVersion(access, dataset.name, spec.version ?? 'latest');
    const stored: CommandSpec & { kind: 'command' } = { kind: 'command', ...spec, version: version.version, timeout_seconds: timeout };
    const now = this.deps.clock.now();
    const runId = newId();
    const name = `${spec.experiment}-command-${new Date(now).toISOString().slice(0, 19)}`;
    const details = { command: spec.command, cwd: spec.cwd ?? null, timeout_seconds: timeout, dataset: dataset.name, version: version.version };
    const run = await this.deps.ops.run(ctx, { action: 'run.command', project_id: access.project.id, target_ids: { run: runId, dataset_version: version.id }, details }, async (tx) => {
      const experiment = await tx.tracking.ensureExperiment(access.project.id, spec.experiment, now);
      await tx.tracking.createRun(this.deps.training.queuedRun({ id: runId, projectId: access.project.id, experimentId: experiment.id, spec: stored, versionId: version.id, userId: ctx.principal.user.id, now, name }));
      await tx.tracking.setTags(runId, { 'mlflow.runName': name, 'flywheel.command': JSON.stringify(spec.command).slice(0, 5000) });
      return (await tx.tracking.getRun(runId))!;
    });
    // One attempt: a failed command is the user's to look at, not to be run again unasked.
    const job = await this.deps.jobs.enqueue({ task: COMMAND_TASK, payload: { run_id: run.id }, project_id: access.project.id, job_key: `run:${run.id}`, created_by: ctx.principal.user.id, max_attempts: 1 });
    await this.deps.store.tracking.updateRun(run.id, { job_id: job.id });
    return { ...run, job_id: job.id };
  }

  /** The job body: materialise the data, run the command, keep its log, collect and check its model. */
  async execute(runId: string, progress: Progress = () => undefined, signal?: AbortSignal): Promise<Run> {
    const { store, clock, settings } = this.deps;
    const run = await store.tracking.getRun(runId);
    if (!run) throw new NotFoundError('run', runId);
    const spec = run.spec as unknown as CommandSpec;
    const fail = async (message: string): Promise<never> => {
      await store.tracking.updateRun(runId, { status: 'failed', end_time: clock.now(), error: message });
      throw new Error(message);
    };
    await store.tracking.updateRun(runId, { status: 'running', start_time: clock.now(), error: null });
    if (!settings.allowed) await fail('running commands is disabled on this worker (FLYWHEEL_ALLOW_COMMANDS is not 1)');
    if (!this.deps.engine) await fail('this worker has no data engine to write the dataset for the command');
    const { ctx, access } = await jobContext(store, run.created_by, run.project_id);
    const dir = join(settings.runsDir, runId);
    const cwd = spec.cwd ?? dir;
    if (spec.cwd && !(existsSync(cwd) && statSync(cwd).isDirectory())) await fail(`the working directory ${cwd} does not exist on this worker`);
    let token: ApiToken | undefined;
    try {
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true });
      progress(0.03, 'writing the dataset version as Parquet and CSV');
      const version = await this.deps.datasets.getVersionById(run.project_id, run.dataset_version_id!);
      const files = await Promise.all(version.files.map((f) => this.deps.artifacts.localPath(f.sha256)));
      const parquet = join(dir, 'data.parquet');
      const csv = join(dir, 'data.csv');
      const rows = await this.deps.engine!.exportRows(files, parquet, 'parquet');
      await this.deps.engine!.exportRows(files, csv, 'csv');

      const timeoutS = spec.timeout_seconds ?? DEFAULT_COMMAND_TIMEOUT_S;
      const secret = generateToken('fwt');
      token = await this.createToken(ctx, run, secret, timeoutS);
      const modelPath = join(dir, 'model.onnx');
      const experiment = (await store.mlflowTracking.getExperiment(run.project_id, run.experiment_id))!;
      const env: Record<string, string> = {};
      for (const k of INHERITED_ENV) if (process.env[k] !== undefined) env[k] = process.env[k]!;
      Object.assign(env, spec.env ?? {}, {
        MLFLOW_TRACKING_URI: settings.serverUrl,
        MLFLOW_TRACKING_TOKEN: secret,
        MLFLOW_RUN_ID: runId,
        MLFLOW_EXPERIMENT_ID: experiment.is_default ? '0' : experiment.id,
        FLYWHEEL_URL: settings.serverUrl,
        FLYWHEEL_TOKEN: secret,
        FLYWHEEL_PROJECT: access.project.name,
        FLYWHEEL_RUN_ID: runId,
        FLYWHEEL_DATASET: spec.dataset,
        FLYWHEEL_DATASET_VERSION: String(version.version),
        FLYWHEEL_DATA_PARQUET: parquet,
        FLYWHEEL_DATA_CSV: csv,
        FLYWHEEL_DATA_ROWS: String(rows),
        FLYWHEEL_MODEL_PATH: modelPath,
        FLYWHEEL_SEED: String(run.seed ?? 0),
      });
      // Tags, not params: the command may log params of any name through MLflow, and a param never changes.
      await store.tracking.setTags(runId, { 'flywheel.dataset': spec.dataset, 'flywheel.dataset_version': String(version.version), 'flywheel.data_rows': String(rows) });

      progress(0.1, `running ${spec.command[0]}`);
      const logPath = join(dir, 'command.log');
      const result = await runCommand(spec.command, {
        cwd,
        env,
        timeoutMs: timeoutS * 1000,
        logPath,
        maxLogBytes: MAX_COMMAND_LOG_BYTES,
        signal,
        // Before the job process itself is killed (5 s after its SIGTERM), so no command outlives it.
        killGraceMs: 2000,
        onTick: (s) => progress(0.1 + 0.75 * Math.min(1, s / timeoutS), `running ${spec.command[0]} for ${Math.round(s)} s (timeout ${timeoutS} s)`),
      });
      await this.keepArtifact(runId, COMMAND_LOG_PATH, await readFile(logPath));
      await store.tracking.setTags(runId, { 'flywheel.exit_code': String(result.exitCode), 'flywheel.command_seconds': result.seconds.toFixed(3) });
      const why = failure(result, timeoutS);
      if (why) return await fail(why);

      progress(0.9, 'collecting the model');
      if (!existsSync(modelPath)) return await fail(`the command exited with code 0 but wrote no model at FLYWHEEL_MODEL_PATH (${modelPath}); write the trained model there as ONNX`);
      const bytes = new Uint8Array(await readFile(modelPath));
      const blob = await this.deps.artifacts.put(bytes);
      let contract: ReturnType<typeof checkModelContract> | null = null;
      let contractError: string | null = null;
      try {
        const signature = await this.deps.runtime.load(blob.sha256, bytes);
        try {
          contract = checkModelContract(signature);
        } catch (e) {
          contractError = e instanceof Error ? e.message : String(e);
        }
      } catch (e) {
        return await fail(`the file at FLYWHEEL_MODEL_PATH is not a loadable ONNX model: ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        await this.deps.runtime.unload(blob.sha256).catch(() => undefined);
      }
      await this.keepArtifact(runId, COMMAND_MODEL_PATH, bytes);
      await store.tracking.setTags(runId, { 'flywheel.model_contract': contractError ?? 'ok' });
      if (spec.register && !contract) return await fail(`the model cannot be registered: ${contractError}`);
      const metrics = (await store.tracking.getRun(runId))!.metrics;
      let gate: GateReport | null = null;
      if (contract) gate = await this.deps.validation.evaluateRunModel(run.project_id, spec.register?.model ?? null, { artifact_sha256: blob.sha256, run_id: runId, dataset_version_id: version.id, metrics });
      if (gate) return await this.deps.training.completeRun(ctx, access, runId, spec, { onnxSha256: blob.sha256, versionId: version.id, metrics }, gate, progress);
      await store.tracking.updateRun(runId, { status: 'finished', end_time: clock.now(), model_artifact_sha256: blob.sha256 });
      progress(1, 'done');
      return (await store.tracking.getRun(runId))!;
    } catch (error) {
      const current = await store.tracking.getRun(runId);
      if (current && current.status !== 'failed') await store.tracking.updateRun(runId, { status: 'failed', end_time: clock.now(), error: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      if (token) await this.revokeToken(ctx, token).catch(() => undefined);
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  /** A token for the command: the run creator's, role data-scientist, this project only, expiring after the timeout. */
  private async createToken(ctx: CallContext, run: Run, secret: string, timeoutS: number): Promise<ApiToken> {
    const now = this.deps.clock.now();
    const token: ApiToken = {
      id: newId(),
      user_id: run.created_by!,
      name: `run ${run.id}`,
      role: 'data-scientist',
      project_id: run.project_id,
      token_hash: sha256Hex(secret),
      prefix: secret.slice(0, 10),
      created_at: now,
      expires_at: now + (timeoutS + 300) * 1000,
      revoked_at: null,
      last_used_at: null,
    };
    const draft = { action: 'token.create', project_id: run.project_id, target_ids: { token: token.id, user: token.user_id, run: run.id }, details: { name: token.name, role: token.role, for: 'command run' } };
    await this.deps.ops.run(ctx, draft, (tx) => tx.tokens.create(token));
    return token;
  }

  private async revokeToken(ctx: CallContext, token: ApiToken): Promise<void> {
    await this.deps.ops.run(ctx, { action: 'token.revoke', project_id: token.project_id, target_ids: { token: token.id, user: token.user_id } }, (tx) => tx.tokens.revoke(token.id, this.deps.clock.now()));
  }

  /** Store bytes as one of the run's artifacts (MLflow's artifact API lists and serves them). */
  private async keepArtifact(runId: string, path: string, bytes: Uint8Array): Promise<void> {
    const blob = await this.deps.artifacts.put(bytes);
    await this.deps.store.runArtifacts.put({ run_id: runId, path, sha256: blob.sha256, size: blob.size, created_at: this.deps.clock.now() });
  }
}
