// One ingest, start to end: scan the file, stage it in DuckDB, settle the schema (the dataset's,
// or the rules' types over inferred ones), apply the rules (row-level checks, then the cross-row
// stages: dedupe, unique, outliers; see rule-sql.ts for the order), mask and impute the accepted
// rows, write accepted and quarantined rows as Parquet, profile the accepted (stored) values.
// File-level problems and bad rules throw before anything is written.
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { VARCHAR } from '@duckdb/node-api';
import { checkRulesFit, type RulesDocument } from '../../domain/cleansing-rules.js';
import type { ColumnSchema, ColumnType, IngestReport } from '../../domain/datasets.js';
import type { IngestOutcome, IngestRequest, RecordsIngestRequest } from '../../domain/ports/data-engine.js';
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
import { stageSource, type StagedSource } from './stage-source.js';
import { stageRecords } from './stage-records.js';

/** Memory an ingest's DuckDB may use before spilling to disk. */
const INGEST_MEMORY_LIMIT = '1GB';

/** Same rows in, same bytes out: one writer thread and fixed row groups. */
const PARQUET_OPTIONS = 'FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880';

/** The row-level checking pass: rules fitted to the columns, then `fw_checked` created. */
async function checkRows(
  session: DuckSession,
  columns: Array<{ name: string; type: ColumnType }>,
  rules: RulesDocument | null | undefined,
  fixedTypes: boolean,
  candidates: Record<string, Candidate> = {},
  native?: { columns: Record<string, string>; types: Record<string, ColumnType> },
): Promise<{ plans: ColumnPlan[]; unconfirmed: ColumnPlan[] }> {
  if (rules) {
    checkRulesFit(rules, columns, { fixedTypes });
    await checkRegexRules(session, rules);
  }
  const plans = planColumns(columns, rules).map((c) => (native?.types[c.name] === c.type ? { ...c, native: native.columns[c.name] } : c));
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
    const staged = await stageRecords(session, request.records, request.schema?.map((c) => c.name));
    return await ingestStaged(session, { ...request, path: '', format: 'jsonl' }, staged, request.source);
  } finally {
    await session.release();
  }
}

/** Everything after staging: settle the schema, check, cleanse, write and profile. */
async function ingestStaged(session: DuckSession, request: IngestRequest, staged: StagedSource, source: { bytes: number; sha256: string }): Promise<IngestOutcome> {
  const { rules, schema: existing, workDir } = request;
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
  const outputCounts = await prepareOutput(session, plans);

  const counts = await session.rows<{ rule: string | null; n: string }>('SELECT __fw_rule AS rule, count(*) AS n FROM fw_checked GROUP BY 1 ORDER BY 1');
  const report: IngestReport = { rows_read: 0, accepted: 0, quarantined: 0, by_rule: {} };
  for (const c of counts) {
    const n = Number(c.n);
    report.rows_read += n;
    if (c.rule === null) report.accepted += n;
    else {
      report.quarantined += n;
      report.by_rule[c.rule] = n;
    }
  }
  Object.assign(report, outputCounts);

  await session.run('SET threads = 1');
  const acceptedPath = path.join(workDir, 'accepted.parquet');
  const out = columns.map((c, i) => `__fw_t${i} AS ${ident(c.name)}`).join(', ');
  await session.run(`COPY (SELECT ${out} FROM fw_out ORDER BY __fw_o) TO $1 (${PARQUET_OPTIONS})`, [acceptedPath], [VARCHAR]);

  let quarantine: IngestOutcome['quarantine'] = null;
  if (report.quarantined > 0) {
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
    const quarantinePath = path.join(workDir, 'quarantine.parquet');
    await session.run(`COPY (SELECT * EXCLUDE (__fw_o) FROM fw_quarantine ORDER BY __fw_o) TO $1 (${PARQUET_OPTIONS})`, [quarantinePath], [VARCHAR]);
    quarantine = { path: quarantinePath, rows: report.quarantined };
  }

  // A staged batch of a known schema is profiled when its version is committed, not here.
  const profile =
    request.profile === false && existing
      ? []
      : await profileColumns(
          session,
          'fw_out',
          columns.map((c) => ({ ...c, semantic: 'text' as const })),
        );
  const schema: ColumnSchema[] = existing
    ? existing.map((c) => ({ ...c }))
    : columns.map((c, i) => ({
        name: c.name,
        type: c.type,
        nullable: !rules?.columns[c.name]?.not_null,
        semantic: rules?.columns[c.name]?.semantic ?? guessSemantic(c.name, c.type, profile[i]),
      }));
  profile.forEach((p, i) => (p.semantic = schema[i].semantic));

  return {
    source,
    schema,
    profile,
    report,
    accepted: { path: acceptedPath, rows: report.accepted },
    quarantine,
  };
}
