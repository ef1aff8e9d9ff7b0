// One ingest, start to end: scan the file, stage it in DuckDB, settle the schema (the dataset's,
// or the rules' types over inferred ones), apply the rules, write accepted and quarantined rows
// as Parquet, profile the accepted rows. File-level problems throw before anything is written.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { VARCHAR } from '@duckdb/node-api';
import { checkRulesFit } from '../../domain/cleansing-rules.js';
import type { ColumnSchema, ColumnType, IngestReport } from '../../domain/datasets.js';
import type { IngestOutcome, IngestRequest } from '../../domain/ports/data-engine.js';
import { DuckSession, ident, Params } from './duckdb-session.js';
import { inferTypes } from './infer-types.js';
import { profileColumns } from './profile-sql.js';
import { checkedTableSql } from './rule-sql.js';
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
    const staged = await stageSource(session, format, request.path, scan, existing?.map((c) => c.name));

    let columns: Array<{ name: string; type: ColumnType }>;
    if (existing) {
      checkSchemaColumns(existing, staged.columns);
      columns = existing.map((c) => ({ name: c.name, type: c.type }));
    } else {
      const undeclared = staged.columns.filter((c) => !rules?.columns[c]?.type && !staged.declaredTypes?.[c]);
      const inferred = await inferTypes(session, undeclared);
      columns = staged.columns.map((name) => ({ name, type: rules?.columns[name]?.type ?? staged.declaredTypes?.[name] ?? inferred[name] }));
    }
    if (rules) checkRulesFit(rules, columns, { fixedTypes: Boolean(existing) });

    const checked = checkedTableSql(columns, rules);
    await session.run(checked.sql, checked.params.values, checked.params.types);

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

    await session.run('SET threads = 1');
    const acceptedPath = path.join(workDir, 'accepted.parquet');
    const out = columns.map((c, i) => `__fw_t${i} AS ${ident(c.name)}`).join(', ');
    await session.run(`COPY (SELECT ${out} FROM fw_checked WHERE __fw_rule IS NULL ORDER BY __fw_o) TO $1 (${PARQUET_OPTIONS})`, [acceptedPath], [VARCHAR]);

    let quarantine: IngestOutcome['quarantine'] = null;
    if (report.quarantined > 0) {
      const p = new Params();
      const pairs = columns.map((c) => `${p.add(c.name, VARCHAR)}, ${ident(c.name)}`).join(', ');
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

    await session.run(`CREATE VIEW fw_accepted AS SELECT ${columns.map((_, i) => `__fw_t${i}`).join(', ')} FROM fw_checked WHERE __fw_rule IS NULL`);
    const profile = await profileColumns(
      session,
      'fw_accepted',
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
