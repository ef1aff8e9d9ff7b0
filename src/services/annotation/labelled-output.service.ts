// A job's labelled output: its resolved tasks as a new version of a dataset (created when new),
// each row its task's data plus the label and where the label came from — the method (human
// consensus, review, or the model), the agreement or the model's confidence, and the annotators —
// so training can use it and lineage shows it. Gold tasks are left out (they measure people).
// Tasks are read a page at a time and written straight to the version's JSON Lines file.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetVersion } from '../../domain/datasets.js';
import type { LabellingTask } from '../../domain/annotation.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { NAME_PATTERN, NAME_RULE } from '../../domain/names.js';
import type { MetadataStore } from '../../domain/ports/metadata-store.js';
import type { ProjectAccess } from '../access/authorize.js';
import type { CallContext } from '../access/principal.js';
import type { DatasetsService } from '../datasets/datasets.service.js';
import { writeJsonl, type Row } from '../loop/labelled-rows.js';
import type { LabellingService } from './labelling.service.js';

/** What a row's `label_method` says: its annotators' consensus, a reviewer's decision, or the model. */
export const OUTPUT_METHODS = { consensus: 'human-consensus', review: 'review', model: 'model' } as const;
export type OutputMethod = (typeof OUTPUT_METHODS)[keyof typeof OUTPUT_METHODS];

const PAGE = 1000;

export interface OutputInput {
  /** The dataset to add a version to (created when the project has none of that name). */
  dataset: string;
  /** The label column's name (default 'label'); the provenance columns are `<target>_method`, … */
  target?: string;
}

export interface OutputReport {
  dataset: string;
  version: number;
  dataset_version_id: string;
  rows: number;
  by_method: Record<OutputMethod, number>;
  columns: string[];
}

/** The provenance columns written beside the label column `target`. */
export const provenanceColumns = (target: string) => ({
  method: `${target}_method`,
  agreement: `${target}_agreement`,
  confidence: `${target}_confidence`,
  annotators: `${target}_annotators`,
  task: `${target}_task_id`,
  prediction: `${target}_prediction_id`,
});

/** Every column the output adds to a task's data: the label and its provenance. */
const addedColumns = (target: string): string[] => [target, ...Object.values(provenanceColumns(target))];

/** One output row of a resolved task: its data, the label and its provenance. */
export function outputRow(t: LabellingTask, annotators: string[], target: string): Row {
  const c = provenanceColumns(target);
  const method = OUTPUT_METHODS[t.resolved_by ?? 'consensus'];
  const confidence = method === 'model' ? (t.suggestion?.confidence ?? null) : t.agreement;
  return {
    ...(t.data as Row),
    [target]: t.resolved_label,
    [c.method]: method,
    [c.agreement]: method === 'model' ? null : t.agreement,
    [c.confidence]: confidence,
    [c.annotators]: annotators.join(','),
    [c.task]: t.id,
    [c.prediction]: t.prediction_id,
  };
}

export class LabelledOutputService {
  constructor(
    private readonly store: MetadataStore,
    private readonly labelling: LabellingService,
    private readonly datasets: DatasetsService,
    private readonly tmpDir: string,
  ) {}

  /**
   * Write the job's resolved tasks as the next version of `dataset`. ValidationError when no
   * task is resolved yet, or a task's data has a column of the names the output adds. Example:
   *   await output.write(ctx, access, 'jan-2014', { dataset: 'weather-labelled' })
   */
  async write(ctx: CallContext, access: ProjectAccess, jobRef: string, input: OutputInput): Promise<OutputReport> {
    if (typeof input.dataset !== 'string' || !NAME_PATTERN.test(input.dataset)) throw new ValidationError(`body.dataset ${NAME_RULE}`, { field: 'body.dataset' });
    const target = input.target ?? 'label';
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(target)) throw new ValidationError('body.target must be a column name: letters, digits and underscores, not starting with a digit', { field: 'body.target' });
    const job = await this.labelling.job(access, jobRef);
    const by_method: Record<OutputMethod, number> = { 'human-consensus': 0, review: 0, model: 0 };
    await mkdir(this.tmpDir, { recursive: true });
    const dir = await mkdtemp(join(this.tmpDir, 'labelled-output-'));
    try {
      const file = join(dir, 'rows.jsonl');
      // Page by page into the file: a job of 1M resolved tasks is never in memory at once.
      await writeJsonl(file, this.outputRows(job.id, target, by_method));
      const rows = Object.values(by_method).reduce((a, b) => a + b, 0);
      if (rows === 0) throw new ValidationError(`job '${job.name}' has no resolved task yet: nothing to write`, { field: 'job' });
      const version = await this.versionOf(ctx, access, input.dataset, file, `labelling job ${job.name}: ${rows} labelled rows`);
      return { dataset: input.dataset, version: version.version, dataset_version_id: version.id, rows: version.report.accepted, by_method, columns: addedColumns(target) };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** The job's resolved tasks as output rows, a page at a time; counts each row's method in `byMethod`. */
  private async *outputRows(jobId: string, target: string, byMethod: Record<OutputMethod, number>): AsyncGenerator<Row> {
    const added = addedColumns(target);
    for (let after: string | null = null; ; ) {
      const tasks = await this.store.labellingTasks.listResolvedAfter(jobId, after, PAGE);
      if (tasks.length === 0) return;
      after = tasks[tasks.length - 1].id;
      const labels = await this.store.taskLabels.listForTasks(tasks.map((t) => t.id));
      const names = new Map<string, string[]>();
      for (const l of labels) names.set(l.task_id, [...(names.get(l.task_id) ?? []), l.annotator]);
      for (const t of tasks) {
        const clash = added.find((k) => k in t.data);
        if (clash) throw new ValidationError(`body.target: task ${t.id} has a data column '${clash}', which the output adds; choose another body.target`, { field: 'body.target', task: t.id });
        const row = outputRow(t, names.get(t.id) ?? [], target);
        byMethod[row[provenanceColumns(target).method] as OutputMethod]++;
        yield row;
      }
    }
  }

  private async versionOf(ctx: CallContext, access: ProjectAccess, dataset: string, file: string, sourceName: string): Promise<DatasetVersion> {
    await this.datasets.get(access, dataset).catch(async (err: unknown) => {
      if (!(err instanceof NotFoundError)) throw err;
      await this.datasets.create(ctx, access, { name: dataset, description: 'labelled by Flywheel labelling jobs' });
    });
    return this.datasets.ingestFile(ctx, access, dataset, file, { format: 'jsonl', sourceName });
  }
}
