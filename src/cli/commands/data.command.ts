// flywheel data ingest|versions|show|quarantine (push|commit|diff: data-push.command.ts; readmit|schema|lineage:
// data-curation.command.ts): datasets, versions, quarantines.
import { Command } from 'commander';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { withUploadProgress, type FlywheelClient } from '../../client/index.js';
import { api, type DatasetVersionView } from '../../contracts/index.js';
import { parseRulesText } from '../../domain/rules-text.js';
import { DATA_FORMATS, TEXT_ENCODINGS, type DataFormat, type TextEncoding } from '../../domain/datasets.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { emit, isoTime, table } from '../io.js';
import { intOption, jsonFlag, projectOf, withClient, type CommandEnv } from '../context.js';
import { byteProgress, transferSink } from '../progress.js';
import { addPushCommands } from './data-push.command.js';
import { dataSourceCommand } from './data-source.command.js';
import { addCurationCommands } from './data-curation.command.js';

const CONTENT_TYPE: Record<DataFormat, string> = { csv: 'text/csv', jsonl: 'application/x-ndjson', parquet: 'application/vnd.apache.parquet' };
const BY_EXTENSION: Record<string, DataFormat> = { '.csv': 'csv', '.jsonl': 'jsonl', '.ndjson': 'jsonl', '.parquet': 'parquet' };

function formatOf(file: string, given: string | undefined): DataFormat {
  if (given !== undefined) {
    if (!(DATA_FORMATS as readonly string[]).includes(given)) throw new ValidationError(`--format must be one of ${DATA_FORMATS.join(', ')}, got '${given}'`, { field: '--format' });
    return given as DataFormat;
  }
  const byExt = BY_EXTENSION[path.extname(file).toLowerCase()];
  if (!byExt) throw new ValidationError(`cannot tell the format of '${path.basename(file)}' from its extension: pass --format csv|jsonl|parquet`, { field: '--format' });
  return byExt;
}

function versionOption(value: string): string {
  if (value !== 'latest' && !/^[1-9][0-9]*$/.test(value)) throw new ValidationError(`--version must be a version number or latest, got '${value}'`, { field: '--version' });
  return value;
}

/** The dataset, created when it does not exist yet. */
async function ensureDataset(c: FlywheelClient, project: string, dataset: string): Promise<void> {
  try {
    await c.getDataset({ params: { project, dataset } });
  } catch (error) {
    if (!(error instanceof NotFoundError) || error.details?.what !== 'dataset') throw error;
    await c.createDataset({ params: { project }, body: { name: dataset } });
  }
}

function reportText(dataset: string, v: DatasetVersionView | Omit<DatasetVersionView, 'schema' | 'profile' | 'rules'>): string {
  const r = v.report;
  const lines = [`${dataset} version ${v.version}: read ${r.rows_read}, accepted ${r.accepted}, quarantined ${r.quarantined}`];
  for (const [rule, n] of Object.entries(r.by_rule).sort((a, b) => b[1] - a[1])) lines.push(`  ${rule}: ${n}`);
  return lines.join('\n');
}

function fixed(v: number | string | null, digits = 4): string {
  if (v === null) return '-';
  return typeof v === 'number' ? String(Number(v.toFixed(digits))) : v;
}

/** The --encoding value, checked here so a typo fails before the upload starts. */
function encodingOf(value: string | undefined): TextEncoding | undefined {
  if (value === undefined) return undefined;
  const v = value.toLowerCase();
  if (!(TEXT_ENCODINGS as readonly string[]).includes(v)) throw new ValidationError(`--encoding must be one of ${TEXT_ENCODINGS.join(', ')}, got '${value}'`, { field: '--encoding' });
  return v as TextEncoding;
}

export function dataCommand(env: CommandEnv): Command {
  const { io } = env;
  const cmd = new Command('data').description('datasets: ingest files into immutable versions, inspect them and their quarantine');

  jsonFlag(
    cmd
      .command('ingest')
      .description('ingest a CSV, JSON Lines or Parquet file as the next version of a dataset (created when missing); the upload streams with a progress bar on stderr (on a terminal, or with FLYWHEEL_PROGRESS=1)')
      .argument('<file>')
      .requiredOption('--dataset <name>', 'the dataset')
      .option('--rules <file>', 'a JSON or YAML rules document (type, not_null, range, allowed, regex, unique, dedupe, outliers, normalize, impute, pii)')
      .option('--format <format>', 'csv, jsonl or parquet (default: from the extension)')
      .option('--encoding <encoding>', 'the text encoding of a CSV or JSON Lines file: utf-8 (default) or latin-1 (converted to UTF-8)')
      .option('--project <project>'),
  ).action(async (file: string, o) => {
    const project = projectOf(io, o);
    const format = formatOf(file, o.format);
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) throw new ValidationError(`no such file: ${file}`, { field: 'file' });
    let rules: string | undefined;
    if (o.rules) {
      const text = await readFile(o.rules, 'utf8').catch(() => {
        throw new ValidationError(`cannot read the rules file ${o.rules}`, { field: '--rules' });
      });
      rules = JSON.stringify(parseRulesText(text));
    }
    const version = await withClient(io, async (c) => {
      await ensureDataset(c, project, o.dataset);
      const progress = byteProgress(`uploading ${path.basename(file)}`, info.size, transferSink(io, Boolean(o.json)));
      try {
        return await c.upload(api.ingestDataset, {
          params: { project, dataset: o.dataset },
          query: { format, rules, name: path.basename(file), encoding: encodingOf(o.encoding) },
          body: withUploadProgress(createReadStream(file), (sent) => progress.update(sent)),
          contentType: CONTENT_TYPE[format],
        });
      } finally {
        progress.done();
      }
    });
    emit(io, o.json, version, () => reportText(o.dataset, version));
  });

  jsonFlag(cmd.command('versions').description("a dataset's versions, newest first").requiredOption('--dataset <name>').option('--project <project>')).action(
    async (o) => {
      const project = projectOf(io, o);
      const page = await withClient(io, (c) => c.listDatasetVersions({ params: { project, dataset: o.dataset }, query: { limit: 1000 } }));
      emit(io, o.json, page, () =>
        table(
          page.items.map((v) => ({
            version: v.version,
            read: v.report.rows_read,
            accepted: v.report.accepted,
            quarantined: v.report.quarantined,
            source: v.source.name,
            created: isoTime(v.created_at),
          })),
          ['version', 'read', 'accepted', 'quarantined', 'source', 'created'],
        ),
      );
    },
  );

  jsonFlag(
    cmd
      .command('show')
      .description("a version's schema, profile and cleansing report (default: the latest)")
      .requiredOption('--dataset <name>')
      .option('--version <n>', 'a version number or latest', versionOption, 'latest')
      .option('--project <project>'),
  ).action(async (o) => {
    const project = projectOf(io, o);
    const v = await withClient(io, (c) => c.getDatasetVersion({ params: { project, dataset: o.dataset, version: o.version } }));
    emit(io, o.json, v, () =>
      [
        reportText(o.dataset, v),
        '',
        table(
          v.profile.map((p) => ({
            column: p.name,
            type: p.type,
            semantic: p.semantic,
            nulls: p.nulls,
            distinct: p.distinct,
            min: fixed(p.min),
            max: fixed(p.max),
            mean: fixed(p.mean),
            std: fixed(p.std),
            top: p.top ? p.top.slice(0, 3).map((t) => `${t.value}(${t.count})`).join(' ') : '',
          })),
          ['column', 'type', 'semantic', 'nulls', 'distinct', 'min', 'max', 'mean', 'std', 'top'],
        ),
      ].join('\n'),
    );
  });

  jsonFlag(
    cmd
      .command('quarantine')
      .description("a version's quarantined rows: line, rule, reason and raw values")
      .requiredOption('--dataset <name>')
      .requiredOption('--version <n>', 'a version number or latest', versionOption)
      .option('--limit <n>', 'how many rows', intOption('--limit'), 100)
      .option('--rule <rule>', 'only rows of this rule (temp_max.range), or of rules with this prefix (temp_max., parse.)')
      .option('--project <project>'),
  ).action(async (o) => {
    const project = projectOf(io, o);
    const page = await withClient(io, (c) => c.listQuarantine({ params: { project, dataset: o.dataset, version: o.version }, query: { limit: o.limit, rule: o.rule } }));
    emit(io, o.json, page, () =>
      table(
        page.items.map((q) => ({
          ...q,
          values: q.raw ?? Object.values(q.values).map((x) => x ?? '').join(','),
          readmitted: q.readmitted ? `v${q.readmitted.version}` : '',
        })),
        ['line', 'rule', 'reason', 'values', 'readmitted'],
      ),
    );
  });
  addPushCommands(cmd, env);
  cmd.addCommand(dataSourceCommand(env));
  addCurationCommands(cmd, env);
  return cmd;
}

