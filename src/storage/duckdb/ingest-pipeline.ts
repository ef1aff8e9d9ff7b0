// One ingest, start to end: scan the file, stage it in DuckDB, settle the schema (the dataset's,
// or the rules' types over inferred ones), apply the rules (row-level checks, then the cross-row
// stages: dedupe, unique, outliers; see rule-sql.ts for the order), mask and impute the accepted
// rows, write accepted and quarantined rows as Parquet, profile the accepted (stored) values.
// File-level problems and bad rules throw before anything is written.
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { VARCHAR } from '@duckdb/node-api';
import { checkRulesFit, rowLocalRules, type RulesDocument } from '../../domain/cleansing-rules.js';
import type { ColumnProfile, ColumnSchema, ColumnType, IngestReport } from '../../domain/datasets.js';
import type { IngestOutcome, IngestRequest, RecordGroupsIngestRequest, RecordsIngestRequest } from '../../domain/ports/data-engine.js';
import { DuckSession, ident, Params } from './duckdb-session.js';
import { candidateType, sampleCandidates, settleTypes, type Candidate } from './infer-types.js';
import { profileColumns } from './profile-sql.js';
import { prepareOutput, quarantineValueExpr } from './output-sql.js';
import { installPiiMacros, needsMacros } from './pii-sql.js';
import { checkRegexRules } from './regex-check.js';
import { checkedTableSql, planColumns, type ColumnPlan } from './rule-sql.js';
import { applySetRules } from './set-rules-sql.js';
import { checkSchemaColumns } from './schema-match.js';
import { guessSemantic } from './semantics.js';
import { scanSource } from './source-scan.js';
import { stageSource, type NativeColumn, type StagedSource } from './stage-source.js';
import { stageRecords } from './stage-records.js';
import { ONE_GROUP, rowGroups, type RowGroups } from './row-groups.js';

/** Memory an ingest's DuckDB may use before spilling to disk. */
const INGEST_MEMORY_LIMIT = '1GB';

/** Same rows in, same bytes out: one writer thread and fixed row groups. */
export const PARQUET_OPTIONS = 'FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880';

/** The row-level checking pass: rules fitted to the columns, then `fw_checked` created. */
async function checkRows(
  session: DuckSession,
  columns: Array<{ name: string; type: ColumnType }>,
  rules: RulesDocument | null | undefined,
  fixedTypes: boolean,
  candidates: Record<string, Candidate> = {},
  native?: { columns: Record<string, NativeColumn>; types: Record<string, ColumnType> },
): Promise<{ plans: ColumnPlan[]; unconfirmed: ColumnPlan[] }> {
  if (rules) {
    checkRulesFit(rules, columns, { fixedTypes });
    await checkRegexRules(session, rules);
  }
  const plans = planColumns(columns, rules).map((c) => (native?.columns[c.name] && native.types[c.name] === c.type ? { ...c, native: native.columns[c.name] } : c));
  if (needsMacros(plans.flatMap((c) => c.detectors))) await installPiiMacros(session);
  const unconfirmed = plans.filter((c) => candidates[c.name] !== undefined && c.type !== 'string');
  const checked = checkedTableSql(plans, unconfirmed);
  await session.run(checked.sql, checked.params.values, checked.params.types);
  return { plans, unconfirmed };
}

/** Inferred columns with a present value that did not cast to the sampled candidate type. */
async function misfitCandidates(session: DuckSession, unconfirmed: ColumnPlan[]): Promise<string[]> {
  if (unconfirmed.length === 0) return [];
  const counts = unconfirmed.map((c, k) => `count(*) FILTER (WHERE __fw_x${c.index}) AS m${k}`);
  const [row] = await session.rows<Record<string, string>>(`SELECT ${counts.join(', ')} FROM fw_checked WHERE __fw_parse_rule IS NULL`);
  return unconfirmed.filter((_, k) => Number(row[`m${k}`]) > 0).map((c) => c.name);
}

/**
 * Where an ingest runs: its own instance spilling to its scratch folder (large files), or a
 * workspace of a shared one (small files: pushed batches, re-admits).
 */
export type IngestSessionFactory = (request: IngestRequest, bytes: number) => Promise<DuckSession>;

export const openIngestInstance: IngestSessionFactory = async (request) => {
  await mkdir(path.join(request.workDir, 'spill'), { recursive: true });
  // In memory (several times faster than a database file) but bounded: beyond the limit DuckDB
  // spills to the scratch folder, so a file larger than memory still ingests.
  return DuckSession.open({ tempDir: path.join(request.workDir, 'spill'), memoryLimit: INGEST_MEMORY_LIMIT });
};

export async function runIngest(request: IngestRequest, openSession: IngestSessionFactory = openIngestInstance): Promise<IngestOutcome> {
  const { format, schema: existing } = request;
  // The scan (hash, file-level checks, line map) runs while DuckDB reads the file.
  const scanning = scanSource(request.path, format);
  scanning.catch(() => undefined); // awaited by stageSource; never an unhandled rejection
  const session = await openSession(request, (await stat(request.path)).size);
  try {
    const { staged, scan } = await stageSource(session, format, request.path, scanning, existing?.map((c) => c.name), { maxRecordBytes: request.maxRecordBytes });
    return await ingestStaged(session, request, staged, { bytes: scan.bytes, sha256: scan.sha256 });
  } finally {
    await session.release();
  }
}

/**
 * Ingest records already parsed (pushed JSON rows) without a file: they are appended to the
 * staging table as text, as a JSON Lines file of them would read, then cleansed the same way.
 */
export async function runRecordsIngest(request: RecordsIngestRequest, openSession: IngestSessionFactory = openIngestInstance): Promise<IngestOutcome> {
  const session = await openSession({ ...request, path: '', format: 'jsonl' }, request.source.bytes);
  try {
    const staged = await stageRecords(session, [{ records: request.records, text: request.text }], request.schema?.map((c) => c.name));
    const [outcome] = await cleanseStaged(session, { ...request, path: '', format: 'jsonl' }, staged, [{ source: request.source, workDir: request.workDir }], ONE_GROUP);
    return outcome;
  } finally {
    await session.release();
  }
}

/**
 * Several pushed batches of one dataset in one ingest (see RecordGroupsIngestRequest): staged in
 * one table, checked by one statement, each batch's report and files written on their own, so
 * each outcome is what ingesting that batch alone gives.
 */
export async function runRecordGroupsIngest(request: RecordGroupsIngestRequest, openSession: IngestSessionFactory = openIngestInstance): Promise<IngestOutcome[]> {
  if (!rowLocalRules(request.rules)) throw new Error('coalesced batches need rules that look at one row at a time');
  const bytes = request.groups.reduce((n, g) => n + g.source.bytes, 0);
  const single = { rules: request.rules, schema: request.schema, workDir: request.groups[0].workDir, path: '', format: 'jsonl' as const, profile: false };
  const session = await openSession(single, bytes);
  try {
    const staged = await stageRecords(
      session,
      request.groups.map((g) => ({ records: g.records, text: g.text })),
      request.schema.map((c) => c.name),
    );
    return await cleanseStaged(session, single, staged, request.groups, rowGroups(request.groups.map((g) => g.records.length)));
  } finally {
    await session.release();
  }
}

async function ingestStaged(session: DuckSession, request: IngestRequest, staged: StagedSource, source: { bytes: number; sha256: string }): Promise<IngestOutcome> {
  const [outcome] = await cleanseStaged(session, request, staged, [{ source, workDir: request.workDir }], ONE_GROUP);
  return outcome;
}

/** Everything after staging: settle the schema, check, cleanse, then write and profile each group. */
async function cleanseStaged(
  session: DuckSession,
  request: IngestRequest,
  staged: StagedSource,
  outputs: Array<{ source: { bytes: number; sha256: string }; workDir: string }>,
  split: RowGroups,
): Promise<IngestOutcome[]> {
  const { rules, schema: existing } = request;
  let columns: Array<{ name: string; type: ColumnType }>;
  // Inferred columns start from a candidate type the first rows suggest; the checking pass
  // confirms it over every row (a separate pass would read all values once more).
  let candidates: Record<string, Candidate> = {};
  if (existing) {
    checkSchemaColumns(existing, staged.columns);
    columns = existing.map((c) => ({ name: c.name, type: c.type }));
  } else {
    const undeclared = staged.columns.filter((c) => !rules?.columns[c]?.type && !staged.declaredTypes?.[c]);
    candidates = await sampleCandidates(session, undeclared);
    columns = staged.columns.map((name) => ({ name, type: rules?.columns[name]?.type ?? staged.declaredTypes?.[name] ?? candidateType(candidates[name]) }));
  }
  const native = staged.native && staged.declaredTypes ? { columns: staged.native, types: staged.declaredTypes } : undefined;
  const first = await checkRows(session, columns, rules, Boolean(existing), candidates, native);
  let plans = first.plans;
  const misfit = await misfitCandidates(session, first.unconfirmed);
  if (misfit.length > 0) {
    // Some value of these columns does not fit the sampled type: widen them over all rows
    // and check again (with none declared, a column takes the type all its values fit).
    const widened = await settleTypes(session, Object.fromEntries(misfit.map((name) => [name, candidates[name] + 1])));
    columns = columns.map((c) => (widened[c.name] ? { ...c, type: widened[c.name] } : c));
    await session.run('DROP TABLE fw_checked');
    plans = (await checkRows(session, columns, rules, false, {}, native)).plans;
  }
  await applySetRules(session, plans, rules?.dedupe);
  const output = await prepareOutput(session, plans, split);
  const accepted = outputs.map((o) => path.join(o.workDir, 'accepted.parquet'));
  const write = { session, columns, split, relation: output.relation, ordered: staged.ordered === true };

  let reports: IngestReport[] | undefined;
  const writeFirst = staged.groupRows !== undefined && session.singleThreaded;
  if (writeFirst) {
    // Pushed records (their counts known): write first; when every row was accepted, as nearly
    // always, the Parquet writes' own counts are the report, with no query to count rules.
    const written = await writeAccepted(write, accepted);
    if (written.every((n, k) => n === staged.groupRows![k])) {
      reports = written.map((n, k) => ({ rows_read: n, accepted: n, quarantined: 0, by_rule: {}, ...output.counts[k] }));
    }
  }
  reports ??= await ruleCounts(session, split, outputs.length);
  reports.forEach((r, k) => Object.assign(r, output.counts[k]));

  // The quarantine table and the profile's one aggregate pass first, on every thread; then the
  // Parquet files on one thread (same rows, same bytes) beside the histograms and top values.
  const quarantining = reports.some((r) => r.quarantined > 0);
  if (quarantining) await quarantineTable(session, plans);
  let quarantines: Array<IngestOutcome['quarantine']> = outputs.map(() => null);
  const writeFiles = async () => {
    if (!session.singleThreaded) await session.run('SET threads = 1');
    if (!writeFirst) await writeAccepted(write, accepted);
    if (quarantining) quarantines = await writeQuarantines(write, outputs, reports);
  };
  // A staged batch of a known schema is profiled when its version is committed, not here.
  let profile: ColumnProfile[] = [];
  if (request.profile === false && existing) await writeFiles();
  else {
    const profiled = columns.map((c) => ({ ...c, semantic: 'text' as const }));
    profile = await profileColumns(session, `(${output.relation}) AS fw_out`, profiled, { beside: writeFiles });
  }

  const schema: ColumnSchema[] = existing
    ? existing.map((c) => ({ ...c }))
    : columns.map((c, i) => ({
        name: c.name,
        type: c.type,
        nullable: !rules?.columns[c.name]?.not_null,
        semantic: rules?.columns[c.name]?.semantic ?? guessSemantic(c.name, c.type, profile[i]),
      }));
  profile.forEach((p, i) => (p.semantic = schema[i].semantic));

  return outputs.map((o, k) => ({
    source: o.source,
    schema: k === 0 ? schema : schema.map((c) => ({ ...c })),
    profile,
    report: reports[k],
    accepted: { path: accepted[k], rows: reports[k].accepted },
    quarantine: quarantines[k],
  }));
}

interface WriteContext {
  session: DuckSession;
  columns: Array<{ name: string; type: ColumnType }>;
  split: RowGroups;
  /** The accepted rows' stored values (see prepareOutput). */
  relation: string;
  /** fw_checked is in record order already (no check needed). */
  ordered: boolean;
}

/** `__fw_o` within group k (always true for a single group). */
function rangeOf(split: RowGroups, k: number, p: Params): string {
  return split.count === 1 ? 'true' : `__fw_o BETWEEN ${p.add(split.ranges[k][0])} AND ${p.add(split.ranges[k][1])}`;
}

/**
 * Write each group's accepted rows as Parquet, in record order; answers the rows written per
 * group. The caller runs it on one thread (so the same rows give the same bytes).
 */
async function writeAccepted(w: WriteContext, files: string[]): Promise<number[]> {
  const { session, split } = w;
  // One thread writes rows in table order, so rows already in record order (nearly always: the
  // staging keeps file order) are written without sorting them again.
  const ordered =
    w.ordered || (await session.rows<{ ordered: boolean | null }>('SELECT bool_and(__fw_o = rowid + 1) AS ordered FROM fw_checked'))[0].ordered === true;
  const out = w.columns.map((c, i) => `__fw_t${i} AS ${ident(c.name)}`).join(', ');
  const written: number[] = [];
  for (let k = 0; k < files.length; k++) {
    const p = new Params();
    const file = p.add(files[k], VARCHAR);
    const [{ Count }] = await session.rows<{ Count: string }>(
      `COPY (SELECT ${out} FROM (${w.relation}) WHERE ${rangeOf(split, k, p)}${ordered ? '' : ' ORDER BY __fw_o'}) TO ${file} (${PARQUET_OPTIONS})`,
      p.values,
      p.types,
    );
    written.push(Number(Count));
  }
  return written;
}

/** Rows read, accepted and quarantined per rule, per group. */
async function ruleCounts(session: DuckSession, split: RowGroups, groups: number): Promise<IngestReport[]> {
  const reports: IngestReport[] = Array.from({ length: groups }, () => ({ rows_read: 0, accepted: 0, quarantined: 0, by_rule: {} }));
  const counts = await session.rows<{ g: number; rule: string | null; n: string }>(
    `SELECT ${split.expr} AS g, __fw_rule AS rule, count(*) AS n FROM fw_checked GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  for (const c of counts) {
    const report = reports[Number(c.g)];
    const n = Number(c.n);
    report.rows_read += n;
    if (c.rule === null) report.accepted += n;
    else {
      report.quarantined += n;
      report.by_rule[c.rule] = n;
    }
  }
  return reports;
}

/** `fw_quarantine`: every quarantined row with its line, rule, reason, raw record and values. */
async function quarantineTable(session: DuckSession, plans: ColumnPlan[]): Promise<void> {
  const p = new Params();
  const pairs = plans.map((c) => `${p.add(c.name, VARCHAR)}, ${quarantineValueExpr(c)}`).join(', ');
  await session.run(
    `CREATE TABLE fw_quarantine AS
      SELECT c.__fw_o, c.__fw_line AS line, c.__fw_rule AS rule, c.__fw_reason AS reason, c.__fw_raw AS raw,
             CASE WHEN c.__fw_parse_rule IS NULL THEN CAST(json_object(${pairs}) AS VARCHAR) ELSE '{}' END AS "values"
      FROM fw_checked c JOIN fw_records r ON r.__fw_o = c.__fw_o WHERE c.__fw_rule IS NOT NULL`,
    p.values,
    p.types,
  );
}

/** Each group's quarantine as Parquet (groups with none have no file). */
async function writeQuarantines(w: WriteContext, outputs: Array<{ workDir: string }>, reports: IngestReport[]): Promise<Array<IngestOutcome['quarantine']>> {
  const out: Array<IngestOutcome['quarantine']> = [];
  for (let k = 0; k < outputs.length; k++) {
    if (reports[k].quarantined === 0) {
      out.push(null);
      continue;
    }
    const q = new Params();
    const file = path.join(outputs[k].workDir, 'quarantine.parquet');
    const target = q.add(file, VARCHAR);
    await w.session.run(`COPY (SELECT * EXCLUDE (__fw_o) FROM fw_quarantine WHERE ${rangeOf(w.split, k, q)} ORDER BY __fw_o) TO ${target} (${PARQUET_OPTIONS})`, q.values, q.types);
    out.push({ path: file, rows: reports[k].quarantined });
  }
  return out;
}
