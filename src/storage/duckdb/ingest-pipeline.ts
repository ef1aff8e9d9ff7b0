// One ingest, start to end: scan the file, stage it in DuckDB, settle the schema (the dataset's,
// or the rules' types over inferred ones), apply the rules (row-level checks, then the cross-row
// stages: dedupe, unique, outliers; see rule-sql.ts for the order), mask and impute the accepted
// rows, write accepted and quarantined rows as Parquet, profile the accepted (stored) values.
// File-level problems and bad rules throw before anything is written.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { VARCHAR } from '@duckdb/node-api';
import { checkRulesFit } from '../../domain/cleansing-rules.js';
import type { ColumnSchema, ColumnType, IngestReport } from '../../domain/datasets.js';
import type { IngestOutcome, IngestRequest } from '../../domain/ports/data-engine.js';
import { DuckSession, ident, Params } from './duckdb-session.js';
import { inferTypes } from './infer-types.js';
import { profileColumns } from './profile-sql.js';
import { prepareOutput, quarantineValueExpr } from './output-sql.js';
import { installPiiMacros, needsMacros } from './pii-sql.js';
import { checkRegexRules } from './regex-check.js';
import { checkedTableSql, planColumns } from './rule-sql.js';
import { applySetRules } from './set-rules-sql.js';
import { checkSchemaColumns } from './schema-match.js';
import { guessSemantic } from './semantics.js';
import { scanSource } from './source-scan.js';
import { stageSource } from './stage-source.js';

/** Memory an ingest's DuckDB may use before spilling to disk. */
const INGEST_MEMORY_LIMIT = '1GB';

/** Same rows in, same bytes out: one writer thread and fixed row groups. */
const PARQUET_OPTIONS = 'FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880';

export async function runIngest(request: IngestRequest): Promise<IngestOutcome> {
  const { format, rules, schema: existing, workDir } = request;
  const scan = await scanSource(request.path, format);
  await mkdir(path.join(workDir, 'spill'), { recursive: true });
  // In memory (several times faster than a database file) but bounded: beyond the limit DuckDB
  // spills to the scratch folder, so a file larger than memory still ingests.
  const session = await DuckSession.open({ tempDir: path.join(workDir, 'spill'), memoryLimit: INGEST_MEMORY_LIMIT });
  try {
    const staged = await stageSource(session, format, request.path, scan, existing?.map((c) => c.name), { maxRecordBytes: request.maxRecordBytes });

    let columns: Array<{ name: string; type: ColumnType }>;
    if (existing) {
      checkSchemaColumns(existing, staged.columns);
      columns = existing.map((c) => ({ name: c.name, type: c.type }));
    } else {
      const undeclared = staged.columns.filter((c) => !rules?.columns[c]?.type && !staged.declaredTypes?.[c]);
      const inferred = await inferTypes(session, undeclared);
      columns = staged.columns.map((name) => ({ name, type: rules?.columns[name]?.type ?? staged.declaredTypes?.[name] ?? inferred[name] }));
    }
    if (rules) {
      checkRulesFit(rules, columns, { fixedTypes: Boolean(existing) });
      await checkRegexRules(session, rules);
    }

    const plans = planColumns(columns, rules);
    if (needsMacros(plans.flatMap((c) => c.detectors))) await installPiiMacros(session);
    const checked = checkedTableSql(plans);
    await session.run(checked.sql, checked.params.values, checked.params.types);
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
          SELECT __fw_o, __fw_line AS line, __fw_rule AS rule, __fw_reason AS reason, __fw_raw AS raw,
                 CASE WHEN __fw_parse_rule IS NULL THEN CAST(json_object(${pairs}) AS VARCHAR) ELSE '{}' END AS "values"
          FROM fw_checked WHERE __fw_rule IS NOT NULL`,
        p.values,
        p.types,
      );
      const quarantinePath = path.join(workDir, 'quarantine.parquet');
      await session.run(`COPY (SELECT * EXCLUDE (__fw_o) FROM fw_quarantine ORDER BY __fw_o) TO $1 (${PARQUET_OPTIONS})`, [quarantinePath], [VARCHAR]);
      quarantine = { path: quarantinePath, rows: report.quarantined };
    }

    const profile = await profileColumns(
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
      source: { bytes: scan.bytes, sha256: scan.sha256 },
      schema,
      profile,
      report,
      accepted: { path: acceptedPath, rows: report.accepted },
      quarantine,
    };
  } finally {
    session.close();
  }
}
