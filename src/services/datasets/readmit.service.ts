// Re-admit: a person fixes quarantined rows of a version and sends them back. The rows are
// written as JSON Lines and go through the same engine ingest as any file, with the latest
// version's schema and rules (and the declared schema's nullability): rows that pass become a new
// version (parent = the latest; files = the latest's plus theirs), rows that still fail are
// answered with their rule and reason and nothing is written for them. Re-admitted lines are
// marked (the origin's quarantine never changes), so a line goes back once.
import { createReadStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ReadmitEdit, ReadmitMark, ReadmitOutcome } from '../../domain/dataset-curation.js';
import type { DatasetVersion, QuarantineRow } from '../../domain/datasets.js';
import { ConflictError, UnexpectedError, ValidationError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { DataEngine } from '../../domain/ports/data-engine.js';
import type { ProjectAccess } from '../access/authorize.js';
import type { CallContext } from '../access/principal.js';
import type { AuditDraft } from '../audit/audit.service.js';
import { appendBinding } from './declared-schema.js';
import { engineOf, type DatasetsDeps, type DatasetsService } from './datasets.service.js';
import { checkEdits, readmitJsonl, unknownLines } from './readmit-rows.js';
import { scratchDir } from './upload.js';

const listed = (lines: number[]) => lines.slice(0, 10).join(', ') + (lines.length > 10 ? `, … (${lines.length} lines)` : '');

export class DatasetReadmitService {
  constructor(
    private readonly deps: DatasetsDeps,
    private readonly datasets: DatasetsService,
  ) {}

  private get engine(): DataEngine {
    return engineOf(this.deps);
  }

  /**
   * Re-admit edited rows of version `version`'s quarantine.
   * @example await readmit.readmit(ctx, access, 'weather', 1, [{ line: 734, values: { temp_max: '12.5' } }])
   */
  async readmit(ctx: CallContext, access: ProjectAccess, ref: string, version: number | 'latest', edits: ReadmitEdit[]): Promise<ReadmitOutcome> {
    const dataset = await this.datasets.get(access, ref);
    const origin = await this.datasets.getVersion(access, dataset.id, version);
    const draft: AuditDraft = {
      action: 'dataset.readmit',
      project_id: access.project.id,
      target_ids: { project: access.project.id, dataset: dataset.id, origin_version: origin.id },
      details: { origin_version: origin.version, rows: Array.isArray(edits) ? edits.length : 0 },
    };
    const scratch = await scratchDir(this.deps.tmpDir, 'readmit-');
    try {
      const columns = origin.schema.map((c) => c.name);
      checkEdits(edits, columns);
      const found = await this.quarantined(origin, edits.map((e) => e.line));
      const unknown = unknownLines(edits, found);
      if (unknown.length > 0) {
        const i = unknown[0];
        throw new ValidationError(
          `body.rows.${i}.line: line ${edits[i].line} is not in the quarantine of ${dataset.name} v${origin.version}` +
            (unknown.length > 1 ? ` (nor are the lines of body.rows ${listed(unknown.slice(1))})` : ''),
          { field: `body.rows.${i}.line`, line: edits[i].line, indexes: unknown.slice(0, 100) },
        );
      }
      const done = await this.deps.store.datasetReadmits.getLines(origin.id, edits.map((e) => e.line));
      if (done.length > 0) throw this.alreadyReadmitted(done);

      const latest = await this.deps.store.datasetVersions.get(dataset.id, dataset.latest_version);
      if (!latest) throw new UnexpectedError(`dataset '${dataset.name}' has no version ${dataset.latest_version}`);
      const binding = appendBinding(await this.deps.store.datasetSchemas.get(dataset.id), latest.schema, latest.rules);
      const file = path.join(scratch.dir, 'readmit.jsonl');
      await writeFile(file, readmitJsonl(columns, edits, found), { mode: 0o600 });
      const work = path.join(scratch.dir, 'work');
      await mkdir(work);
      const outcome = await this.engine.ingest({ path: file, format: 'jsonl', rules: binding.rules, schema: binding.schema, workDir: work });

      // Record n of the file is edit n − 1: map the engine's lines back to the origin's lines.
      const failed = outcome.quarantine ? await this.engine.readQuarantine(outcome.quarantine.path, { limit: edits.length }) : [];
      const failedAt = new Set(failed.map((f) => f.line));
      const rejected = failed.map((f) => ({ line: edits[f.line - 1].line, rule: f.rule, reason: f.reason }));
      const accepted = edits.flatMap((e, i) => (failedAt.has(i + 1) ? [] : [{ line: e.line }]));
      draft.details = { ...draft.details, accepted: accepted.length, rejected: rejected.length };

      if (accepted.length === 0) {
        // Nothing passes: no version, no marks; the attempt is still audited.
        await this.deps.ops.run(ctx, draft, async () => undefined);
        return { version: null, origin_version: origin.version, accepted, rejected };
      }

      const stored = await this.deps.artifacts.put(createReadStream(outcome.accepted.path));
      const files = [...latest.files, { sha256: stored.sha256, rows: outcome.accepted.rows, bytes: stored.size }];
      const paths = await Promise.all(files.map((f) => this.deps.artifacts.localPath(f.sha256)));
      const profile = await this.engine.profile(paths, binding.schema!, work);
      const now = this.deps.clock.now();
      const created: DatasetVersion = {
        id: newId(),
        project_id: dataset.project_id,
        dataset_id: dataset.id,
        version: latest.version + 1,
        parent_version_id: latest.id,
        files,
        quarantine_file: null,
        schema: binding.schema!,
        profile,
        // What this version added: the re-admitted rows (rows still failing were not written).
        report: { rows_read: accepted.length, accepted: accepted.length, quarantined: 0, by_rule: {} },
        rules: binding.rules,
        source: {
          kind: 'readmit',
          name: `re-admitted from v${origin.version} (${accepted.length} row${accepted.length === 1 ? '' : 's'})`,
          format: 'jsonl',
          bytes: outcome.source.bytes,
          sha256: outcome.source.sha256,
          origin: { version_id: origin.id, version: origin.version, rows: accepted.length },
        },
        created_by: ctx.principal.user.id,
        created_at: now,
      };
      const marks: ReadmitMark[] = accepted.map((a) => ({
        project_id: dataset.project_id,
        dataset_id: dataset.id,
        origin_version_id: origin.id,
        line: a.line,
        rule: found.get(a.line)!.rule,
        version_id: created.id,
        version: created.version,
        created_by: ctx.principal.user.id,
        created_at: now,
      }));
      draft.target_ids = { ...draft.target_ids, dataset_version: created.id };
      draft.details = { ...draft.details, version: created.version };
      await this.deps.ops.run(ctx, draft, async (tx) => {
        if (!(await tx.datasets.advance(dataset.id, latest.version, created.version, now))) {
          throw new ConflictError(`dataset '${dataset.name}' got a new version while the rows were re-admitted; send them again`, { dataset: dataset.name });
        }
        await tx.datasetVersions.create(created);
        await tx.datasetReadmits.createMany(marks);
      }).catch(async (error: unknown) => {
        // Another re-admit of one of these lines committed first (the marks' primary key): say which.
        if (error instanceof ConflictError && error.details?.field === 'line') {
          throw this.alreadyReadmitted(await this.deps.store.datasetReadmits.getLines(origin.id, marks.map((m) => m.line)));
        }
        throw error;
      });
      return { version: created, origin_version: origin.version, accepted, rejected };
    } catch (error) {
      if (!ctx.audited) {
        await this.deps.audit.recordFailure(ctx, draft, error).catch(() => undefined);
        ctx.audited = true;
      }
      throw error;
    } finally {
      await scratch.remove();
    }
  }

  /** The origin's quarantined rows of `lines`, by line. */
  private async quarantined(origin: DatasetVersion, lines: number[]): Promise<Map<number, QuarantineRow>> {
    if (!origin.quarantine_file) return new Map();
    const file = await this.deps.artifacts.localPath(origin.quarantine_file.sha256);
    const rows = await this.engine.readQuarantine(file, { lines, limit: lines.length });
    return new Map(rows.map((r) => [r.line, r]));
  }

  private alreadyReadmitted(done: ReadmitMark[]): ConflictError {
    if (done.length === 0) return new ConflictError('a line of this quarantine was re-admitted at the same time; send the rows again', { field: 'body.rows' });
    const first = done[0];
    return new ConflictError(
      `line ${first.line} was re-admitted already (into v${first.version})` + (done.length > 1 ? `; so were lines ${listed(done.slice(1).map((d) => d.line))}` : ''),
      { field: 'body.rows', lines: done.slice(0, 100).map((d) => d.line), version: first.version },
    );
  }
}
