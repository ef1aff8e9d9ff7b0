// The watched drop folder: FLYWHEEL_HOME/drop/<project>/<dataset>/ (project and dataset by name
// or id). A poll claims each file whose size and modification time held still since the last
// poll (so files still being written wait), by renaming it into `.processing/` — an atomic step,
// so of several servers polling one folder only one claims a file — and enqueues its ingest as a
// background job. The job stages the file like a pull (key: its sha256, so the same content
// dropped twice is staged once) and moves it to `.done/`, or to `.failed/` with a `.error.txt`
// beside it. Dotfiles, `*.part`/`*.tmp`/`*.crdownload`/`*~` and folders are left alone; symbolic
// links are never followed (they are moved to `.failed/`), so no path leaves the folder.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, mkdir, readdir, realpath, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '../../domain/clock.js';
import type { StageFileReport } from '../../domain/dataset-sources.js';
import type { Dataset } from '../../domain/datasets.js';
import type { Project } from '../../domain/entities.js';
import { AppError, ValidationError } from '../../domain/errors.js';
import { isId, newId } from '../../domain/ids.js';
import type { MetadataStore } from '../../domain/ports/metadata-store.js';
import { jobContext } from '../access/job-context.js';
import type { DatasetStagingService } from '../datasets/staging.service.js';
import type { JobsService } from '../jobs/jobs.service.js';
import { formatOfName } from './formats.js';

export const DROP_INGEST_TASK = 'dataset.drop-ingest';

const PROCESSING = '.processing';
const DONE = '.done';
const FAILED = '.failed';
/** Names of files still being written by common tools. */
const IN_PROGRESS = /(\.part|\.partial|\.tmp|\.crdownload|\.download|~)$/i;

export interface DropPayload {
  project_id: string;
  dataset_id: string;
  /** The dataset's folder, relative to the drop root (`<project>/<dataset>`). */
  folder: string;
  /** The claimed file's name inside `<folder>/.processing/`. */
  claimed: string;
  /** The name the file was dropped with. */
  original: string;
}

export interface DropPollReport {
  claimed: Array<{ folder: string; file: string; job_id: string }>;
  rejected: Array<{ folder: string; file: string; reason: string }>;
  /** Files seen for the first time or still changing: looked at again next poll. */
  waiting: number;
}

export interface DropIngestResult {
  file: string;
  outcome: 'done';
  moved_to: string;
  report: StageFileReport;
}

export interface DropFolderDeps {
  store: MetadataStore;
  clock: Clock;
  jobs: JobsService;
  staging: DatasetStagingService;
  /** FLYWHEEL_HOME/drop; without it the drop folder is off. */
  dropDir?: string;
}

/** `inner` is `outer` or inside it (both real paths). */
function within(outer: string, inner: string): boolean {
  return inner === outer || inner.startsWith(outer.endsWith(path.sep) ? outer : outer + path.sep);
}

async function exists(p: string): Promise<boolean> {
  return lstat(p).then(
    () => true,
    () => false,
  );
}

export class DropFolderService {
  /** Path → "size:mtime" as last seen: a file is claimed when a poll sees it unchanged. */
  private readonly seen = new Map<string, string>();

  constructor(private readonly deps: DropFolderDeps) {}

  /** The folder a dataset's files are dropped into (it may not exist yet). */
  folderOf(project: Pick<Project, 'name'>, dataset: Pick<Dataset, 'name'>): string | null {
    return this.deps.dropDir ? path.join(this.deps.dropDir, project.name, dataset.name) : null;
  }

  /** One poll of every `<project>/<dataset>/` folder under the drop root. */
  async poll(): Promise<DropPollReport> {
    const report: DropPollReport = { claimed: [], rejected: [], waiting: 0 };
    const root = this.deps.dropDir;
    if (!root) return report;
    await mkdir(root, { recursive: true, mode: 0o700 });
    const live = new Set<string>();
    for (const p of await readdir(root, { withFileTypes: true })) {
      if (!p.isDirectory() || p.name.startsWith('.')) continue; // real folders only: a symlinked folder is not walked
      const project = (await this.deps.store.projects.getByName(p.name)) ?? (isId(p.name) ? await this.deps.store.projects.getById(p.name) : undefined);
      if (!project) continue;
      for (const d of await readdir(path.join(root, p.name), { withFileTypes: true })) {
        if (!d.isDirectory() || d.name.startsWith('.')) continue;
        const dataset =
          (await this.deps.store.datasets.getByName(project.id, d.name)) ?? (isId(d.name) ? await this.deps.store.datasets.getById(project.id, d.name) : undefined);
        if (!dataset) continue;
        await this.pollDataset(root, `${p.name}/${d.name}`, dataset, report, live);
      }
    }
    for (const key of [...this.seen.keys()]) if (!live.has(key)) this.seen.delete(key);
    return report;
  }

  private async pollDataset(root: string, folder: string, dataset: Dataset, report: DropPollReport, live: Set<string>): Promise<void> {
    const dir = path.join(root, folder);
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const name = entry.name;
      if (name.startsWith('.') || IN_PROGRESS.test(name) || entry.isDirectory()) continue;
      const file = path.join(dir, name);
      const reject = async (reason: string) => {
        if (await this.moveAside(dir, name, FAILED, reason)) report.rejected.push({ folder, file: name, reason });
      };
      if (entry.isSymbolicLink()) {
        await reject('symbolic links are not followed: copy or move the file itself into the drop folder');
        continue;
      }
      if (!entry.isFile()) {
        await reject('not a regular file');
        continue;
      }
      if (!formatOfName(name)) {
        await reject(`unsupported file type: drop .csv, .jsonl (or .ndjson) or .parquet files`);
        continue;
      }
      const info = await stat(file).catch(() => undefined);
      if (!info) continue;
      const signature = `${info.size}:${info.mtimeMs}`;
      live.add(file);
      if (this.seen.get(file) !== signature) {
        this.seen.set(file, signature);
        report.waiting++;
        continue;
      }
      this.seen.delete(file);
      const claimed = `${newId()}-${name}`;
      await mkdir(path.join(dir, PROCESSING), { recursive: true, mode: 0o700 });
      try {
        await rename(file, path.join(dir, PROCESSING, claimed));
      } catch {
        continue; // another server claimed it first, or it was removed
      }
      const payload: DropPayload = { project_id: dataset.project_id, dataset_id: dataset.id, folder, claimed, original: name };
      try {
        const job = await this.deps.jobs.enqueue({
          task: DROP_INGEST_TASK,
          payload,
          project_id: dataset.project_id,
          job_key: `drop:${dataset.id}:${claimed}`,
          created_by: dataset.created_by,
          max_attempts: 1, // a failed file is moved aside with its reason: drop it again to retry
        });
        report.claimed.push({ folder, file: name, job_id: job.id });
      } catch (error) {
        await rename(path.join(dir, PROCESSING, claimed), file).catch(() => undefined); // picked up again next poll
        throw error;
      }
    }
  }

  /**
   * The job body: stage a claimed file, then move it to `.done/` (or `.failed/` with the
   * reason in `<name>.error.txt`, and the job fails with that reason).
   */
  async ingest(payload: DropPayload, progress: (fraction: number, message?: string) => void = () => undefined): Promise<DropIngestResult> {
    const root = this.deps.dropDir;
    if (!root) throw new ValidationError('the drop folder is not configured');
    const rootReal = await realpath(root);
    const dir = await realpath(path.join(root, payload.folder));
    if (!within(rootReal, dir) || path.basename(payload.claimed) !== payload.claimed || path.basename(payload.original) !== payload.original) {
      throw new ValidationError('the dropped file is outside the drop folder', { field: 'file' });
    }
    const file = path.join(dir, PROCESSING, payload.claimed);
    const info = await lstat(file);
    if (!info.isFile()) throw new ValidationError(`${payload.original} is no longer a regular file`, { field: 'file' });
    try {
      const format = formatOfName(payload.original);
      if (!format) throw new ValidationError(`unsupported file type: ${payload.original}`, { field: 'file' });
      const { ctx, access } = await jobContext(this.deps.store, (await this.datasetCreator(payload)) ?? null, payload.project_id);
      progress(0.1, `hashing ${payload.original}`);
      const hash = createHash('sha256');
      for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
      const sha256 = hash.digest('hex');
      progress(0.3, `staging ${payload.original}`);
      const report = await this.deps.staging.stageFile(ctx, access, payload.dataset_id, file, { format, key: `drop:${sha256}`, sha256, label: `drop ${payload.original}` });
      const movedTo = await this.move(dir, path.join(PROCESSING, payload.claimed), payload.original, DONE);
      progress(1, report.replayed ? 'already staged: nothing new' : `staged ${report.accepted} rows, quarantined ${report.quarantined}`);
      return { file: payload.original, outcome: 'done', moved_to: movedTo, report };
    } catch (error) {
      const reason = error instanceof AppError ? error.message : `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
      const movedTo = await this.move(dir, path.join(PROCESSING, payload.claimed), payload.original, FAILED).catch(() => undefined);
      if (movedTo) await writeFile(path.join(dir, `${movedTo}.error.txt`), `${reason}\n`, { mode: 0o600 }).catch(() => undefined);
      throw error;
    }
  }

  private async datasetCreator(payload: DropPayload): Promise<string | undefined> {
    return (await this.deps.store.datasets.getById(payload.project_id, payload.dataset_id))?.created_by;
  }

  /** Move `from` (relative to `dir`) into `dir/<to>/` as `name`, or `name` with a timestamp when taken; answers the new relative path. */
  private async move(dir: string, from: string, name: string, to: string): Promise<string> {
    await mkdir(path.join(dir, to), { recursive: true, mode: 0o700 });
    let target = path.join(to, name);
    if (await exists(path.join(dir, target))) {
      const ext = path.extname(name);
      target = path.join(to, `${name.slice(0, name.length - ext.length)}-${this.deps.clock.now()}-${newId().slice(-6)}${ext}`);
    }
    await rename(path.join(dir, from), path.join(dir, target));
    return target;
  }

  /** Move a rejected file aside with its reason; false when it vanished meanwhile. */
  private async moveAside(dir: string, name: string, to: string, reason: string): Promise<boolean> {
    try {
      const target = await this.move(dir, name, name, to);
      await writeFile(path.join(dir, `${target}.error.txt`), `${reason}\n`, { mode: 0o600 });
      return true;
    } catch {
      return false;
    }
  }
}
