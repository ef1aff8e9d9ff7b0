// A run's artifacts, as MLflow's artifact APIs use them: bytes streamed into the content-addressed
// artifact store, and a per-run index (path → sha256) in the metadata store. One audited event
// per upload; listings show files and directories one level deep, like MLflow's ListArtifacts.
import type { Clock } from '../../domain/clock.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import type { ArtifactStore } from '../../domain/ports/artifact-store.js';
import type { MetadataStore } from '../../domain/ports/metadata-store.js';
import type { RunArtifactEntry } from '../../domain/ports/run-artifact-store.js';
import type { TrackedRun } from '../../domain/tracking-mlflow.js';
import type { ProjectAccess } from '../access/authorize.js';
import type { CallContext } from '../access/principal.js';
import type { OperationRunner } from '../operation.js';
import { artifactDir, artifactPath } from './artifact-path.js';
import type { TrackingService } from './tracking.service.js';

export interface ArtifactFileInfo {
  /** Relative to the run's artifact root. */
  path: string;
  is_dir: boolean;
  file_size?: number;
}

export interface RunArtifactsDeps {
  store: MetadataStore;
  ops: OperationRunner;
  clock: Clock;
  artifacts: ArtifactStore;
  tracking: TrackingService;
}

export class RunArtifactsService {
  constructor(private readonly deps: RunArtifactsDeps) {}

  /** The run, checked to belong to the experiment (MLflow's id, "0" for the default one). */
  async runIn(access: ProjectAccess, experimentId: string, runId: string): Promise<TrackedRun> {
    const run = await this.deps.tracking.getRun(access, runId);
    const experiment = await this.deps.tracking.getExperiment(access, experimentId).catch(() => undefined);
    if (!experiment || experiment.id !== run.experiment_id) throw new NotFoundError('run', runId, { experiment: experimentId });
    return run;
  }

  /** Stream bytes to `path` in the run (replacing what was there). */
  async upload(ctx: CallContext, access: ProjectAccess, experimentId: string, runId: string, rawPath: string, body: AsyncIterable<Uint8Array> | Uint8Array): Promise<RunArtifactEntry> {
    const path = artifactPath(rawPath);
    const run = await this.runIn(access, experimentId, runId);
    this.assertActive(run);
    const blob = await this.deps.artifacts.put(body);
    const draft = { action: 'run.artifact.upload', project_id: access.project.id, target_ids: { run: run.id }, details: { path, sha256: blob.sha256, size: blob.size } };
    return this.deps.ops.run(ctx, draft, async (tx) => {
      const entries = await tx.runArtifacts.list(run.id);
      for (const e of entries) {
        if (path.startsWith(`${e.path}/`)) throw new ValidationError(`Invalid artifact path '${path}': '${e.path}' is a file, not a directory`, { field: 'path' });
        if (e.path.startsWith(`${path}/`)) throw new ValidationError(`Invalid artifact path '${path}': it is a directory`, { field: 'path' });
      }
      const entry = { run_id: run.id, path, sha256: blob.sha256, size: blob.size, created_at: this.deps.clock.now() };
      await tx.runArtifacts.put(entry);
      return entry;
    });
  }

  /** The bytes at `path`; NotFoundError when the run has no file there. */
  async download(access: ProjectAccess, experimentId: string, runId: string, rawPath: string): Promise<{ entry: RunArtifactEntry; bytes: AsyncIterable<Uint8Array> }> {
    const path = artifactPath(rawPath);
    const run = await this.runIn(access, experimentId, runId);
    const entry = await this.deps.store.runArtifacts.get(run.id, path);
    if (!entry) throw new NotFoundError('artifact', path, { run: run.id });
    return { entry, bytes: this.deps.artifacts.get(entry.sha256) };
  }

  /** The bytes at `path` of a run found by its id alone (the UI's download). */
  async file(access: ProjectAccess, runId: string, rawPath: string): Promise<{ entry: RunArtifactEntry; bytes: AsyncIterable<Uint8Array> }> {
    if (!rawPath) throw new ValidationError('path is required: the artifact file to download', { field: 'query.path' });
    const path = artifactPath(rawPath);
    const run = await this.deps.tracking.getRun(access, runId);
    const entry = await this.deps.store.runArtifacts.get(run.id, path);
    if (!entry) throw new NotFoundError('artifact', path, { run: run.id });
    return { entry, bytes: this.deps.artifacts.get(entry.sha256) };
  }

  /** Files and directories directly under `dir` ('' = the root); a file or unknown dir lists nothing. */
  async list(access: ProjectAccess, runId: string, rawDir: string | undefined): Promise<ArtifactFileInfo[]> {
    const dir = artifactDir(rawDir);
    const run = await this.deps.tracking.getRun(access, runId);
    const prefix = dir === '' ? '' : `${dir}/`;
    const out = new Map<string, ArtifactFileInfo>();
    for (const e of await this.deps.store.runArtifacts.list(run.id)) {
      if (!e.path.startsWith(prefix)) continue;
      const rest = e.path.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash < 0) out.set(e.path, { path: e.path, is_dir: false, file_size: e.size });
      else {
        const sub = prefix + rest.slice(0, slash);
        if (!out.has(sub)) out.set(sub, { path: sub, is_dir: true });
      }
    }
    return [...out.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  private assertActive(run: TrackedRun): void {
    if (run.lifecycle_stage !== 'active') {
      throw new ValidationError(`The run ${run.id} must be in the 'active' state. Current state is ${run.lifecycle_stage}.`, { field: 'run_id' });
    }
  }
}
