// flywheel data source add|list|update|run|runs|remove: a dataset's scheduled sources (an HTTP(S)
// file or a PostgreSQL query, pulled on a cron schedule into the staging area) and their runs.
// Connection strings are read from an environment variable or a file, never from the command
// line (which shells keep in their history and `ps` shows).
import { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import type { FlywheelClient } from '../../client/index.js';
import type { SourceRunView, SourceView } from '../../contracts/index.js';
import { DATA_FORMATS } from '../../domain/datasets.js';
import { AppError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { emit, isoTime, table } from '../io.js';
import { followJob, progressSink } from '../progress.js';
import { intOption, jsonFlag, projectOf, withClient, type CommandEnv } from '../context.js';
import type { CliIo } from '../io.js';

type FormatOption = (typeof DATA_FORMATS)[number] | null;

function formatOption(value: string): FormatOption {
  if (value === 'auto') return null;
  if (!(DATA_FORMATS as readonly string[]).includes(value)) throw new ValidationError(`--format must be csv, jsonl, parquet or auto, got '${value}'`, { field: '--format' });
  return value as FormatOption;
}

/** A positive integer, or `none` for null (e.g. --commit-every-rows none). */
function rowsOrNone(value: string): number | null {
  return value === 'none' ? null : intOption('--commit-every-rows')(value);
}

async function fileText(file: string, option: string): Promise<string> {
  return (await readFile(file, 'utf8').catch(() => {
    throw new ValidationError(`cannot read ${file}`, { field: option });
  })).trim();
}

/** The connection string from --connection-env VAR or --connection-file FILE, when given. */
async function connectionOf(io: CliIo, o: { connectionEnv?: string; connectionFile?: string }): Promise<string | undefined> {
  if (o.connectionEnv) {
    const value = io.env[o.connectionEnv];
    if (!value) throw new ValidationError(`the environment variable ${o.connectionEnv} (--connection-env) is not set`, { field: '--connection-env' });
    return value;
  }
  return o.connectionFile ? fileText(o.connectionFile, '--connection-file') : undefined;
}

async function queryOf(o: { query?: string; queryFile?: string }): Promise<string | undefined> {
  return o.queryFile ? fileText(o.queryFile, '--query-file') : o.query;
}

function lastRunText(r: SourceRunView | null): string {
  if (!r) return '-';
  if (r.status === 'failed') return `failed: ${r.error ?? ''}`;
  if (r.status === 'running') return 'running';
  return r.unchanged ? 'unchanged' : `${r.rows_staged} staged, ${r.rows_quarantined} quarantined`;
}

function sourceText(s: SourceView): string {
  const lines = [
    `source ${s.name} (${s.kind}${s.format ? `, ${s.format}` : ''}): ${s.location}`,
    `  schedule ${s.schedule} (${s.timezone})${s.enabled ? '' : ', disabled'}; next run ${isoTime(s.next_run_at)}`,
  ];
  if (s.query) lines.push(`  query: ${s.query}`);
  if (s.commit_every_rows !== null || s.commit_cron !== null) {
    lines.push(`  commit: ${[s.commit_every_rows !== null ? `every ${s.commit_every_rows} rows` : '', s.commit_cron ? `at ${s.commit_cron}` : ''].filter(Boolean).join(', ')}`);
  }
  lines.push(`  last run: ${lastRunText(s.last_run)}`);
  return lines.join('\n');
}

function runsTable(runs: SourceRunView[]): string {
  return table(
    runs.map((r) => ({
      started: isoTime(r.started_at),
      trigger: r.trigger,
      status: r.status,
      read: r.rows_read,
      staged: r.rows_staged,
      quarantined: r.rows_quarantined,
      note: r.error ?? (r.unchanged ? 'unchanged' : ''),
    })),
    ['started', 'trigger', 'status', 'read', 'staged', 'quarantined', 'note'],
  );
}

/** The dataset, created when it does not exist yet (as `data ingest` and `data push` do). */
async function ensureDataset(c: FlywheelClient, project: string, dataset: string): Promise<void> {
  try {
    await c.getDataset({ params: { project, dataset } });
  } catch (error) {
    if (!(error instanceof NotFoundError) || error.details?.what !== 'dataset') throw error;
    await c.createDataset({ params: { project }, body: { name: dataset } });
  }
}

/** The run of a job (the newest runs are searched). */
async function runOfJob(c: FlywheelClient, project: string, dataset: string, source: string, jobId: string): Promise<SourceRunView | undefined> {
  const runs = await c.listSourceRuns({ params: { project, dataset, source }, query: { limit: 20 } });
  return runs.items.find((r) => r.job_id === jobId);
}

export function dataSourceCommand({ io }: CommandEnv): Command {
  const cmd = new Command('source').description("a dataset's scheduled sources: HTTP(S) files or PostgreSQL queries pulled on a cron schedule into the staging area");

  jsonFlag(
    cmd
      .command('add')
      .description('add a source (the dataset is created when missing): --url for an HTTP(S) file, or --query with --connection-env/--connection-file for PostgreSQL')
      .argument('<name>', 'the source name (unique in the dataset)')
      .requiredOption('--dataset <name>')
      .requiredOption('--schedule <cron>', "five-field cron, e.g. '0 6 * * *'")
      .option('--timezone <zone>', 'IANA time zone of the schedule', 'UTC')
      .option('--url <url>', 'http(s) URL of a CSV, JSON Lines or Parquet file (stored encrypted)')
      .option('--format <format>', 'csv, jsonl, parquet or auto (from the extension or Content-Type)', formatOption)
      .option('--query <sql>', 'one SELECT statement, run read-only')
      .option('--query-file <file>', 'the SELECT statement in a file')
      .option('--connection-env <var>', 'environment variable holding postgres://user:password@host:port/db (stored encrypted)')
      .option('--connection-file <file>', 'file holding the connection string')
      .option('--commit-every-rows <n>', 'commit the staged rows as a version once this many are staged', intOption('--commit-every-rows'))
      .option('--commit-cron <cron>', 'commit the staged rows on this schedule (same time zone)')
      .option('--disabled', 'add it switched off')
      .option('--project <project>'),
  ).action(async (name: string, o) => {
    const project = projectOf(io, o);
    const query = await queryOf(o);
    const connection = await connectionOf(io, o);
    const kind = query !== undefined || connection !== undefined ? 'postgres' : 'http';
    if (kind === 'http' && !o.url) throw new ValidationError('say what to pull: --url for an HTTP(S) file, or --query with --connection-env for PostgreSQL', { field: '--url' });
    const commit = o.commitEveryRows !== undefined || o.commitCron !== undefined ? { every_rows: o.commitEveryRows ?? null, cron: o.commitCron ?? null } : undefined;
    const source = await withClient(io, async (c) => {
      await ensureDataset(c, project, o.dataset);
      return c.createSource({
        params: { project, dataset: o.dataset },
        body: {
          name,
          kind,
          url: o.url,
          format: o.format,
          query,
          connection_string: connection,
          schedule: o.schedule,
          timezone: o.timezone,
          enabled: o.disabled ? false : undefined,
          commit,
        },
      });
    });
    emit(io, o.json, source, () => sourceText(source));
  });

  jsonFlag(cmd.command('list').description("a dataset's sources with their schedules and last runs").requiredOption('--dataset <name>').option('--project <project>')).action(
    async (o) => {
      const project = projectOf(io, o);
      const page = await withClient(io, (c) => c.listSources({ params: { project, dataset: o.dataset }, query: { limit: 1000 } }));
      emit(io, o.json, page, () =>
        table(
          page.items.map((s) => ({
            name: s.name,
            kind: s.kind,
            schedule: s.schedule,
            timezone: s.timezone,
            enabled: s.enabled ? 'yes' : 'no',
            next_run: isoTime(s.next_run_at),
            last_run: s.last_run ? `${isoTime(s.last_run.started_at)} ${lastRunText(s.last_run)}` : '-',
            location: s.location,
          })),
          ['name', 'kind', 'schedule', 'timezone', 'enabled', 'next_run', 'last_run', 'location'],
        ),
      );
    },
  );

  jsonFlag(
    cmd
      .command('update')
      .description("change a source's schedule, time zone, switch, commit settings, URL, format, query or connection")
      .argument('<source>', 'name or id')
      .requiredOption('--dataset <name>')
      .option('--schedule <cron>')
      .option('--timezone <zone>')
      .option('--enable', 'switch it on')
      .option('--disable', 'switch it off')
      .option('--url <url>')
      .option('--format <format>', 'csv, jsonl, parquet or auto', formatOption)
      .option('--query <sql>')
      .option('--query-file <file>')
      .option('--connection-env <var>')
      .option('--connection-file <file>')
      .option('--commit-every-rows <n>', 'a row count, or none', rowsOrNone)
      .option('--commit-cron <cron>', 'a cron expression, or none')
      .option('--project <project>'),
  ).action(async (sourceRef: string, o) => {
    const project = projectOf(io, o);
    if (o.enable && o.disable) throw new ValidationError('pass --enable or --disable, not both', { field: '--enable' });
    const body: Record<string, unknown> = {};
    if (o.schedule !== undefined) body.schedule = o.schedule;
    if (o.timezone !== undefined) body.timezone = o.timezone;
    if (o.enable || o.disable) body.enabled = Boolean(o.enable);
    if (o.url !== undefined) body.url = o.url;
    if (o.format !== undefined) body.format = o.format;
    const query = await queryOf(o);
    if (query !== undefined) body.query = query;
    const connection = await connectionOf(io, o);
    if (connection !== undefined) body.connection_string = connection;
    if (o.commitEveryRows !== undefined || o.commitCron !== undefined) {
      body.commit = {
        ...(o.commitEveryRows !== undefined ? { every_rows: o.commitEveryRows } : {}),
        ...(o.commitCron !== undefined ? { cron: o.commitCron === 'none' ? null : o.commitCron } : {}),
      };
    }
    if (Object.keys(body).length === 0) throw new ValidationError('nothing to change: pass at least one option (see --help)', { field: 'options' });
    const source = await withClient(io, (c) => c.updateSource({ params: { project, dataset: o.dataset, source: sourceRef }, body: body as never }));
    emit(io, o.json, source, () => sourceText(source));
  });

  jsonFlag(
    cmd
      .command('run')
      .description('pull a source now (a background job) and wait for it, a disabled one too (its schedule stays off); exits non-zero when the pull fails')
      .argument('<source>', 'name or id')
      .requiredOption('--dataset <name>')
      .option('--no-wait', 'queue the pull and return')
      .option('--project <project>'),
  ).action(async (sourceRef: string, o) => {
    const project = projectOf(io, o);
    const params = { project, dataset: o.dataset, source: sourceRef };
    const outcome = await withClient(
      io,
      async (c) => {
        const job = await c.runSource({ params });
        if (!o.wait) return { job, run: undefined };
        let failure: unknown;
        await followJob(c, project, job.id, `pull ${sourceRef}`, progressSink(io, Boolean(o.json))).catch((error) => (failure = error));
        const run = await runOfJob(c, project, o.dataset, sourceRef, job.id);
        if (failure && !run) throw failure;
        return { job, run };
      },
      { workers: o.wait },
    );
    const { job, run } = outcome;
    emit(io, o.json, run ?? job, () =>
      !run ? `queued the pull of ${sourceRef} (job ${job.id})` : run.status === 'failed' ? `pull of ${sourceRef} failed: ${run.error}` : `pull of ${sourceRef}: ${lastRunText(run)} (read ${run.rows_read} rows)`,
    );
    if (run?.status === 'failed') throw new AppError('pull_failed', run.error ?? 'the pull failed', { details: { quiet: true } });
  });

  jsonFlag(
    cmd
      .command('runs')
      .description("a source's last runs, newest first")
      .argument('<source>', 'name or id')
      .requiredOption('--dataset <name>')
      .option('--limit <n>', 'how many', intOption('--limit'), 20)
      .option('--project <project>'),
  ).action(async (sourceRef: string, o) => {
    const project = projectOf(io, o);
    const page = await withClient(io, (c) => c.listSourceRuns({ params: { project, dataset: o.dataset, source: sourceRef }, query: { limit: o.limit } }));
    emit(io, o.json, page, () => runsTable(page.items));
  });

  jsonFlag(
    cmd
      .command('remove')
      .description('delete a source, its runs and its stored credentials (what it staged stays staged)')
      .argument('<source>', 'name or id')
      .requiredOption('--dataset <name>')
      .option('--project <project>'),
  ).action(async (sourceRef: string, o) => {
    const project = projectOf(io, o);
    const r = await withClient(io, (c) => c.deleteSource({ params: { project, dataset: o.dataset, source: sourceRef } }));
    emit(io, o.json, r, () => `removed source ${sourceRef}`);
  });

  return cmd;
}
