// flywheel data push|commit|diff: push JSON rows into a dataset's staging area (idempotent per
// key), commit them as a version, and diff two versions.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { FlywheelClient } from '../../client/index.js';
import type { DatasetDiffView, PushReportView } from '../../contracts/index.js';
import { MAX_PUSH_ROWS } from '../../domain/dataset-staging.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { emit, table } from '../io.js';
import { intOption, jsonFlag, projectOf, withClient, type CommandEnv } from '../context.js';

/** The rows of a push file: a JSON array of objects, or `{ "rows": [...] }`. */
async function readRows(file: string): Promise<{ rows: Array<Record<string, unknown>>; sha256: string }> {
  const text = await readFile(file, 'utf8').catch(() => {
    throw new ValidationError(`cannot read ${file}`, { field: '--file' });
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ValidationError(`${file} is not JSON (expected an array of row objects, or {"rows": [...]})`, { field: '--file' });
  }
  const rows = Array.isArray(parsed) ? parsed : (parsed as { rows?: unknown })?.rows;
  if (!Array.isArray(rows) || rows.length === 0) throw new ValidationError(`${file} holds no rows (expected an array of row objects, or {"rows": [...]})`, { field: '--file' });
  return { rows: rows as Array<Record<string, unknown>>, sha256: createHash('sha256').update(text).digest('hex') };
}

async function ensureDataset(c: FlywheelClient, project: string, dataset: string): Promise<void> {
  try {
    await c.getDataset({ params: { project, dataset } });
  } catch (error) {
    if (!(error instanceof NotFoundError) || error.details?.what !== 'dataset') throw error;
    await c.createDataset({ params: { project }, body: { name: dataset } });
  }
}

function diffText(d: DatasetDiffView): string {
  const r = d.rows;
  const lines = [
    `version ${d.from_version} → ${d.to_version} (${d.key.length > 0 ? `by ${d.key.join(', ')}` : 'by whole rows'}): ` +
      `${r.from} → ${r.to} rows; added ${r.added}, removed ${r.removed}, changed ${r.changed}, unchanged ${r.unchanged}`,
  ];
  for (const s of d.schema_changes) lines.push(`  column ${s.column}: ${s.change}${s.change === 'retyped' ? ` ${s.from_type} → ${s.to_type}` : ''}`);
  if (d.columns.length > 0) {
    lines.push(
      '',
      table(
        d.columns.map((c) => ({
          column: c.column,
          kind: c.kind,
          psi: c.psi.toFixed(4),
          mean: c.mean_change === null || c.mean_change === undefined ? '' : `${c.mean_from} → ${c.mean_to}`,
          std_change: c.std_change === null || c.std_change === undefined ? '' : c.std_change.toFixed(4),
        })),
        ['column', 'kind', 'psi', 'mean', 'std_change'],
      ),
    );
  }
  return lines.join('\n');
}

export function addPushCommands(cmd: Command, { io }: CommandEnv): void {
  jsonFlag(
    cmd
      .command('push')
      .description(`push JSON rows into a dataset's staging area (created when missing); batches of ${MAX_PUSH_ROWS} rows, each idempotent by its key`)
      .requiredOption('--dataset <name>')
      .requiredOption('--file <file>', 'a JSON array of row objects, or {"rows": [...]}')
      .option('--key <key>', 'the Idempotency-Key (default: the sha256 of the file, so pushing the same file again stores nothing)')
      .option('--project <project>'),
  ).action(async (o) => {
    const project = projectOf(io, o);
    const { rows, sha256 } = await readRows(o.file);
    const key: string = o.key ?? `file-${sha256}`;
    const chunks = Math.ceil(rows.length / MAX_PUSH_ROWS);
    const reports = await withClient(io, async (c) => {
      await ensureDataset(c, project, o.dataset);
      const out: PushReportView[] = [];
      for (let i = 0; i < chunks; i++) {
        out.push(
          await c.pushRows({
            params: { project, dataset: o.dataset },
            body: { rows: rows.slice(i * MAX_PUSH_ROWS, (i + 1) * MAX_PUSH_ROWS) },
            headers: { 'idempotency-key': chunks === 1 ? key : `${key}:${i + 1}` },
          }),
        );
      }
      return out;
    });
    const total = { accepted: 0, quarantined: 0, staged_rows: reports[reports.length - 1].staged_rows, by_rule: {} as Record<string, number>, replayed: reports.every((r) => r.replayed), batches: reports };
    for (const r of reports) {
      total.accepted += r.accepted;
      total.quarantined += r.quarantined;
      for (const [rule, n] of Object.entries(r.by_rule)) total.by_rule[rule] = (total.by_rule[rule] ?? 0) + n;
    }
    emit(io, o.json, total, () =>
      [
        `${o.dataset}: pushed ${rows.length} rows${total.replayed ? ' (already pushed: nothing stored again)' : ''}; accepted ${total.accepted}, quarantined ${total.quarantined}; ${total.staged_rows} rows staged`,
        ...Object.entries(total.by_rule).map(([rule, n]) => `  ${rule}: ${n}`),
      ].join('\n'),
    );
  });

  jsonFlag(
    cmd.command('commit').description("commit a dataset's staged rows as its next version").requiredOption('--dataset <name>').option('--project <project>'),
  ).action(async (o) => {
    const project = projectOf(io, o);
    const v = await withClient(io, (c) => c.commitDataset({ params: { project, dataset: o.dataset } }));
    const rows = v.files.reduce((n, f) => n + f.rows, 0);
    emit(io, o.json, v, () => `${o.dataset} version ${v.version}: ${rows} rows (${v.report.accepted} committed, ${v.report.quarantined} quarantined)`);
  });

  jsonFlag(
    cmd
      .command('diff')
      .description('diff two versions: rows added, removed and changed, schema changes, column shifts (default: the latest and the one before)')
      .requiredOption('--dataset <name>')
      .option('--from <n>', 'the older version', intOption('--from'))
      .option('--to <n>', 'the newer version', intOption('--to'))
      .option('--key <columns>', 'key column(s), comma-separated (default: a candidate key, else whole rows)')
      .option('--project <project>'),
  ).action(async (o) => {
    const project = projectOf(io, o);
    const d = await withClient(io, (c) => c.diffDatasetVersions({ params: { project, dataset: o.dataset }, query: { from: o.from, to: o.to, key: o.key } }));
    emit(io, o.json, d, () => diffText(d));
  });
}
