// Push ingest: batches of JSON rows, each stored once per Idempotency-Key in the dataset's staging
// area (typed and cleansed by the latest version's schema and rules, bad rows quarantined), and
// the commit that turns the staged rows plus the previous version's into a new immutable version.
// A push reads what it needs in one statement (the dataset, the staging area's counts and commit
// setting, the declared schema, whether its key is taken), its binding comes from memory
// (push-bindings.ts), and storing the batch adds it to the kept counts in the same transaction.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { MAX_PUSH_ROWS, type PushReport, type StagedBatch, type StagingStatus } from '../../domain/dataset-staging.js';
import type { ColumnSchema, Dataset, DatasetVersion, IngestReport, QuarantineRow } from '../../domain/datasets.js';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { isId, newId } from '../../domain/ids.js';
import type { DataEngine, IngestOutcome } from '../../domain/ports/data-engine.js';
import type { PushTarget, StagingCounts } from '../../domain/ports/staging-store.js';
import type { ProjectAccess } from '../access/authorize.js';
import type { CallContext } from '../access/principal.js';
import type { AuditDraft } from '../audit/audit.service.js';
import { engineOf, type DatasetsDeps, type DatasetsService } from './datasets.service.js';
import { scratchDir } from './upload.js';
import { PushCoalescer } from './push-coalescer.js';
import { appendBinding } from './declared-schema.js';
import { rowLocalRules } from '../../domain/cleansing-rules.js';
import { PushBindings } from './push-bindings.js';
import { ScannedPushBody } from './push-body.js';
import { stat } from 'node:fs/promises';
import type { StageFileReport } from '../../domain/dataset-sources.js';
import type { DataFormat } from '../../domain/datasets.js';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

function reportOf(b: StagedBatch, replayed: boolean, quarantined: QuarantineRow[]): PushReport {
  return {
    batch_id: b.id,
    accepted: b.report.accepted,
    quarantined: b.report.quarantined,
    staged_rows: b.staged_rows,
    by_rule: b.report.by_rule,
    quarantined_rows: quarantined.map((q) => ({ index: q.line - 1, rule: q.rule, reason: q.reason })),
    replayed,
    committed_version_id: b.committed_version_id,
  };
}

function checkKey(key: string | undefined): string {
  if (key === undefined || key.trim() === '') {
    throw new ValidationError(`the ${IDEMPOTENCY_HEADER} header is required (a unique value per batch, reused when retrying it)`, { field: `header.${IDEMPOTENCY_HEADER}` });
  }
  if (key.length > 255 || !/^[\x21-\x7e]+$/.test(key)) {
    throw new ValidationError(`the ${IDEMPOTENCY_HEADER} header must be 1-255 visible ASCII characters`, { field: `header.${IDEMPOTENCY_HEADER}` });
  }
  return key;
}

/**
 * The rows of a parsed body as JSON Lines (each row's JSON.stringify), after the checks the scan
 * of a plain body makes by construction: 1 to MAX_PUSH_ROWS rows, each a JSON object.
 */
function parsedRows(rows: unknown[]): { lines: string; records: Array<Record<string, unknown>> } {
  if (!Array.isArray(rows) || rows.length === 0) throw new ValidationError('body.rows must hold at least one row', { field: 'body.rows' });
  if (rows.length > MAX_PUSH_ROWS) throw new ValidationError(`a push holds at most ${MAX_PUSH_ROWS} rows; got ${rows.length}`, { field: 'body.rows', limit: MAX_PUSH_ROWS });
  rows.forEach((r, i) => {
    if (typeof r !== 'object' || r === null || Array.isArray(r)) throw new ValidationError(`body.rows[${i}] is not a JSON object`, { field: `body.rows[${i}]` });
  });
  return { lines: rows.map((r) => JSON.stringify(r)).join('\n') + '\n', records: rows as Array<Record<string, unknown>> };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The rows' lines as JSON.stringify writes them (what batches were fingerprinted by before bodies were scanned). */
const restringified = (lines: string) =>
  lines
    .slice(0, -1)
    .split('\n')
    .map((l) => JSON.stringify(JSON.parse(l)))
    .join('\n') + '\n';

const sameColumns = (a: ColumnSchema[], b: ColumnSchema[]) => a.length === b.length && a.every((c, i) => c.name === b[i].name && c.type === b[i].type);

export class DatasetStagingService {
  private readonly coalescer = new PushCoalescer(() => this.engine);
  private readonly bindings = new PushBindings((datasetId, version) => this.deps.store.datasetVersions.get(datasetId, version));
  private pushRootMade?: Promise<string>;

  constructor(
    private readonly deps: DatasetsDeps,
    private readonly datasets: DatasetsService,
  ) {}

  /**
   * The dataset `ref` (a name, else an id) with what staging a batch under `key` builds on (see
   * PushTarget); NotFoundError when the project has no such dataset.
   */
  private async target(access: ProjectAccess, ref: string, key: string): Promise<PushTarget> {
    const projectId = access.project.id;
    const { stagedBatches } = this.deps.store;
    const found = (await stagedBatches.pushTarget(projectId, ref, key, false)) ?? (isId(ref) ? await stagedBatches.pushTarget(projectId, ref, key, true) : undefined);
    if (!found) throw new NotFoundError('dataset', ref, { project: access.project.name });
    return found;
  }

  /** Store an ingest's accepted and quarantined rows and describe them as the next staged batch. */
  private async batchOf(ctx: CallContext, dataset: Dataset, outcome: IngestOutcome, body: { key: string; sha256: string; bytes: number }): Promise<Omit<StagedBatch, 'staged_rows'>> {
    // A batch's files are small (at most MAX_PUSH_ROWS rows): read whole, not streamed.
    const accepted = await this.deps.artifacts.put(outcome.accepted.bytes ?? (await readFile(outcome.accepted.path)));
    const quarantined = outcome.quarantine ? await this.deps.artifacts.put(await readFile(outcome.quarantine.path)) : undefined;
    return {
      id: newId(),
      project_id: dataset.project_id,
      dataset_id: dataset.id,
      idempotency_key: body.key,
      body_sha256: body.sha256,
      body_bytes: body.bytes,
      file: { sha256: accepted.sha256, rows: outcome.accepted.rows, bytes: accepted.size },
      quarantine_file: quarantined ? { sha256: quarantined.sha256, rows: outcome.quarantine!.rows } : null,
      schema: outcome.schema,
      report: outcome.report,
      committed_version_id: null,
      created_by: ctx.principal.user.id,
      created_at: this.deps.clock.now(),
    };
  }

  /**
   * Store a staged batch with its audit event (its details get the staged rows with it), adding
   * it to the staging area's counts. When a concurrent retry with the same key won the insert,
   * answer what `replay` makes of the winner instead.
   */
  private async insertBatch<T>(
    ctx: CallContext,
    draft: AuditDraft,
    batch: Omit<StagedBatch, 'staged_rows'>,
    replay: () => Promise<T | undefined>,
  ): Promise<{ stored: { batch: StagedBatch; staged: StagingCounts } } | { winner: T }> {
    try {
      const stored = await this.deps.ops.run(ctx, draft, async (tx, ev) => {
        ev.target_ids = { ...ev.target_ids, staged_batch: batch.id };
        const done = await tx.stagedBatches.create(batch);
        ev.details = { ...ev.details, staged_rows: done.batch.staged_rows };
        return done;
      });
      return { stored };
    } catch (error) {
      if (error instanceof ConflictError) {
        const winner = await replay();
        if (winner) return { winner };
      }
      throw error;
    }
  }

  /** Commit when storing a batch brought the staged rows to the commit setting; the committed version's id, else null. */
  private async commitIfDue(ctx: CallContext, access: ProjectAccess, datasetId: string, staged: StagingCounts): Promise<string | null> {
    if (staged.commit_at_rows === null || staged.rows < staged.commit_at_rows) return null;
    try {
      return (await this.commit(ctx, access, datasetId)).id;
    } catch (error) {
      // Another commit took the staged rows first: the batch is stored either way.
      if (!(error instanceof ConflictError)) throw error;
      return null;
    }
  }

  private get engine(): DataEngine {
    return engineOf(this.deps);
  }

  /**
   * Stage a batch of rows under `key`: the parsed body's rows, or a scanned body (push-body.ts). A
   * retry (same key, same rows) answers the stored report and stores nothing; the same key with
   * other rows is a ConflictError.
   * @example await staging.push(ctx, access, 'weather', 'batch-0001', [{ date: '2015-01-01', temp_max: 9.4 }])
   */
  async push(ctx: CallContext, access: ProjectAccess, ref: string, key: string | undefined, body: unknown[] | ScannedPushBody): Promise<PushReport> {
    const idempotencyKey = checkKey(key);
    const { lines, records } = body instanceof ScannedPushBody ? { lines: body.lines, records: body.shapes } : parsedRows(body);
    const target = await this.target(access, ref, idempotencyKey);
    const { dataset } = target;
    const bodySha = sha256(lines);
    const bytes = Buffer.byteLength(lines);

    const replay = async (): Promise<PushReport | undefined> => {
      const found = await this.deps.store.stagedBatches.getByKey(dataset.id, idempotencyKey);
      if (!found) return undefined;
      // A batch stored before bodies were scanned has the fingerprint of its rows as JSON.stringify writes them.
      if (found.body_sha256 !== bodySha && (!(body instanceof ScannedPushBody) || found.body_sha256 !== sha256(restringified(lines)))) {
        throw new ConflictError(`${IDEMPOTENCY_HEADER} '${idempotencyKey}' was already used for a different batch of rows; use a new key for new rows`, {
          field: `header.${IDEMPOTENCY_HEADER}`,
        });
      }
      const file = found.quarantine_file ? await this.deps.artifacts.localPath(found.quarantine_file.sha256) : undefined;
      return reportOf(found, true, file ? await this.readAll(file) : []);
    };
    if (target.key_taken) {
      const earlier = await replay();
      if (earlier) return earlier;
    }

    const draft = {
      action: 'dataset.push',
      project_id: access.project.id,
      target_ids: { project: access.project.id, dataset: dataset.id },
      details: { idempotency_key: idempotencyKey, rows: records.length } as Record<string, unknown>,
    };
    // The batch's scratch folder is made by the engine only if it writes there (not for a batch
    // cleansed in a warm workspace, whose accepted rows come back as bytes).
    const workDir = path.join(await this.pushRoot(), newId());
    let folderMade = true; // unless the engine says otherwise
    try {
      const { schema, rules, lane } = await this.bindings.of(target);
      const request = { records, text: lines, source: { bytes, sha256: bodySha }, rules, workDir, profile: false };
      // With a schema to bind and row-local rules, overlapping pushes are cleansed together.
      const outcome = schema && rowLocalRules(rules) ? await this.coalescer.ingest(dataset.id, { ...request, schema }, lane) : await this.engine.ingestRecords({ ...request, schema });
      folderMade = outcome.accepted.bytes === undefined;
      const quarantinedRows = outcome.quarantine ? await this.readAll(outcome.quarantine.path) : [];
      const batch = await this.batchOf(ctx, dataset, outcome, { key: idempotencyKey, sha256: bodySha, bytes });
      draft.details = { ...draft.details, accepted: batch.report.accepted, quarantined: batch.report.quarantined };
      const inserted = await this.insertBatch(ctx, draft, batch, replay);
      if ('winner' in inserted) return inserted.winner;
      const { stored } = inserted;
      const committed = await this.commitIfDue(ctx, access, dataset.id, stored.staged);
      return reportOf(committed ? { ...stored.batch, committed_version_id: committed } : stored.batch, false, quarantinedRows);
    } catch (error) {
      if (!ctx.audited) {
        await this.deps.audit.recordFailure(ctx, draft, error).catch(() => undefined);
        ctx.audited = true;
      }
      throw error;
    } finally {
      if (folderMade) await rm(workDir, { recursive: true, force: true });
    }
  }

  /** The folder of pushed batches' scratch folders (made once; each push's folder is made only when needed). */
  private pushRoot(): Promise<string> {
    const root = path.join(this.deps.tmpDir, 'push');
    this.pushRootMade ??= mkdir(root, { recursive: true }).then(
      () => root,
      (error: unknown) => {
        this.pushRootMade = undefined;
        throw error;
      },
    );
    return this.pushRootMade;
  }

  /** Every row of a batch's quarantine file (a batch holds at most MAX_PUSH_ROWS). */
  private readAll(file: string): Promise<QuarantineRow[]> {
    return this.engine.readQuarantine(file, { limit: MAX_PUSH_ROWS });
  }

  /** The staging area's rows and batches, and the automatic-commit setting. */
  async status(access: ProjectAccess, ref: string): Promise<StagingStatus> {
    const dataset = await this.datasets.get(access, ref);
    const size = await this.deps.store.stagedBatches.stagedSize(dataset.id);
    return {
      commit_at_rows: await this.deps.store.stagedBatches.getCommitAt(dataset.id),
      staged_rows: size.rows,
      staged_batches: size.batches,
    };
  }

  /** Set (or with null, clear) the staged row count at which a push commits by itself. */
  async configure(ctx: CallContext, access: ProjectAccess, ref: string, input: { commit_at_rows: number | null }): Promise<StagingStatus> {
    const dataset = await this.datasets.get(access, ref);
    const rows = input.commit_at_rows;
    if (rows !== null && (!Number.isSafeInteger(rows) || rows < 1)) throw new ValidationError('commit_at_rows must be a positive integer or null', { field: 'body.commit_at_rows' });
    const draft = { action: 'dataset.staging.configure', project_id: access.project.id, target_ids: { project: access.project.id, dataset: dataset.id }, details: { commit_at_rows: rows } };
    await this.deps.ops.run(ctx, draft, (tx) => tx.stagedBatches.setCommitAt(dataset.project_id, dataset.id, rows, this.deps.clock.now()));
    return this.status(access, dataset.id);
  }

  /**
   * Commit the staged rows: a new version (parent = the previous one) whose files are the
   * parent's plus the staged batches', profiled over all of them; its report and quarantine
   * cover the committed batches (quarantine line = position in their concatenation, from 1).
   * Nothing staged is a ConflictError.
   */
  async commit(ctx: CallContext, access: ProjectAccess, ref: string): Promise<DatasetVersion> {
    const dataset = await this.datasets.get(access, ref);
    const draft = {
      action: 'dataset.commit',
      project_id: access.project.id,
      target_ids: { project: access.project.id, dataset: dataset.id } as Record<string, string>,
      details: {} as Record<string, unknown>,
    };
    const scratch = await scratchDir(this.deps.tmpDir, 'commit-');
    try {
      const staged = await this.deps.store.stagedBatches.listStaged(dataset.id);
      if (staged.length === 0) throw new ConflictError(`dataset '${dataset.name}' has nothing staged to commit (push rows first)`, { dataset: dataset.name });
      const parent = dataset.latest_version > 0 ? await this.deps.store.datasetVersions.get(dataset.id, dataset.latest_version) : undefined;
      // The version keeps its parent's types, with the declared nullability and meanings.
      const schema = parent ? appendBinding(await this.deps.store.datasetSchemas.get(dataset.id), parent.schema, null).schema : staged[0].schema;
      const stale = staged.find((b) => !sameColumns(b.schema, schema));
      if (stale) {
        throw new ConflictError(`staged batch '${stale.idempotency_key}' was typed with another schema than version ${dataset.latest_version}'s; push it again`, {
          dataset: dataset.name,
        });
      }
      const newFiles = staged.map((b) => b.file).filter((f) => f.rows > 0);
      const files = [...(parent?.files ?? []), ...newFiles];
      if (files.length === 0) files.push(staged[0].file); // every staged row was quarantined: an empty version
      const paths = await Promise.all(files.map((f) => this.deps.artifacts.localPath(f.sha256)));
      const profile = await this.engine.profile(paths, schema, scratch.dir);

      const report: IngestReport = { rows_read: 0, accepted: 0, quarantined: 0, by_rule: {} };
      const parts: Array<{ path: string; lineOffset: number }> = [];
      for (const b of staged) {
        if (b.quarantine_file) parts.push({ path: await this.deps.artifacts.localPath(b.quarantine_file.sha256), lineOffset: report.rows_read });
        report.rows_read += b.report.rows_read;
        report.accepted += b.report.accepted;
        report.quarantined += b.report.quarantined;
        for (const [rule, n] of Object.entries(b.report.by_rule)) report.by_rule[rule] = (report.by_rule[rule] ?? 0) + n;
        for (const key of ['imputed', 'pii_flagged', 'pii_masked'] as const) {
          const counts = b.report[key];
          if (!counts) continue;
          const into = (report[key] ??= {});
          for (const [k, n] of Object.entries(counts)) into[k] = (into[k] ?? 0) + n;
        }
      }
      let quarantineFile: DatasetVersion['quarantine_file'] = null;
      if (parts.length > 0) {
        const merged = await this.engine.mergeQuarantine(parts, path.join(scratch.dir, 'quarantine.parquet'));
        const stored = await this.deps.artifacts.put(createReadStream(merged.path));
        quarantineFile = { sha256: stored.sha256, rows: merged.rows };
      }
      const sourceSha = createHash('sha256');
      for (const b of staged) sourceSha.update(b.body_sha256);
      const version: DatasetVersion = {
        id: newId(),
        project_id: dataset.project_id,
        dataset_id: dataset.id,
        version: dataset.latest_version + 1,
        parent_version_id: parent?.id ?? null,
        files,
        quarantine_file: quarantineFile,
        schema,
        profile,
        report,
        rules: parent?.rules ?? null,
        source: {
          kind: 'push',
          name: `${staged.length} pushed batch${staged.length === 1 ? '' : 'es'}`,
          format: 'jsonl',
          bytes: staged.reduce((n, b) => n + b.body_bytes, 0),
          sha256: sourceSha.digest('hex'),
        },
        created_by: ctx.principal.user.id,
        created_at: this.deps.clock.now(),
      };
      draft.target_ids.dataset_version = version.id;
      draft.details = { version: version.version, batches: staged.length, ...report };
      await this.deps.ops.run(ctx, draft, async (tx) => {
        if (!(await tx.datasets.advance(dataset.id, dataset.latest_version, version.version, version.created_at))) {
          throw new ConflictError(`dataset '${dataset.name}' got a new version during the commit; commit again`, { dataset: dataset.name });
        }
        await tx.datasetVersions.create(version);
        const marked = await tx.stagedBatches.markCommitted(dataset.id, staged.map((b) => b.id), version.id);
        if (marked !== staged.length) throw new ConflictError(`another commit of dataset '${dataset.name}' took these batches; nothing was committed`, { dataset: dataset.name });
      });
      return version;
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

  /**
   * Stage a whole local file (a pulled or dropped file) as one batch under `input.key`. The same
   * key again answers the stored batch's report and stores nothing (a source pull's key is the
   * source id plus the file's sha256, so an unchanged file is staged once); the same key with
   * other bytes is a ConflictError. Reaching commit_at_rows commits, as a push does.
   * @example await staging.stageFile(ctx, access, 'weather', '/tmp/pull/source', { format: 'csv', key: `source:${id}:${sha}`, sha256: sha })
   */
  async stageFile(
    ctx: CallContext,
    access: ProjectAccess,
    ref: string,
    file: string,
    input: { format: DataFormat; key: string; sha256?: string; label?: string },
  ): Promise<StageFileReport> {
    const target = await this.target(access, ref, input.key);
    const { dataset } = target;
    let bodySha = input.sha256;
    if (bodySha === undefined) {
      const hash = createHash('sha256');
      for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
      bodySha = hash.digest('hex');
    }
    const bytes = (await stat(file)).size;
    const report = (b: StagedBatch, replayed: boolean, committed = b.committed_version_id): StageFileReport => ({
      batch_id: b.id,
      rows_read: b.report.rows_read,
      accepted: b.report.accepted,
      quarantined: b.report.quarantined,
      by_rule: b.report.by_rule,
      staged_rows: b.staged_rows,
      replayed,
      committed_version_id: committed,
    });
    const replay = async (): Promise<StageFileReport | undefined> => {
      const found = await this.deps.store.stagedBatches.getByKey(dataset.id, input.key);
      if (!found) return undefined;
      if (found.body_sha256 !== bodySha) throw new ConflictError(`staging key '${input.key}' was already used for a different file`, { field: 'key' });
      return report(found, true);
    };
    if (target.key_taken) {
      const earlier = await replay();
      if (earlier) return earlier;
    }
    const draft = {
      action: 'dataset.stage',
      project_id: access.project.id,
      target_ids: { project: access.project.id, dataset: dataset.id } as Record<string, string>,
      details: { key: input.key, format: input.format, bytes, ...(input.label ? { source: input.label } : {}) } as Record<string, unknown>,
    };
    const scratch = await scratchDir(this.deps.tmpDir, 'stage-');
    try {
      const { schema, rules } = await this.bindings.of(target);
      const outcome = await this.engine.ingest({ path: file, format: input.format, rules, schema, workDir: scratch.dir, profile: false });
      const batch = await this.batchOf(ctx, dataset, outcome, { key: input.key, sha256: bodySha, bytes });
      draft.details = { ...draft.details, ...outcome.report };
      const inserted = await this.insertBatch(ctx, draft, batch, replay);
      if ('winner' in inserted) return inserted.winner;
      const { stored } = inserted;
      return report(stored.batch, false, (await this.commitIfDue(ctx, access, dataset.id, stored.staged)) ?? stored.batch.committed_version_id);
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
}
