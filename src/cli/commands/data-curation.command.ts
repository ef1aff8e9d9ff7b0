// flywheel data readmit|schema show|schema set|lineage: re-admit fixed quarantined rows (exit 1
// when any still fails), show and edit the declared schema, and a version's lineage.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import type { LineageView, ReadmitView, SchemaStateView } from '../../contracts/index.js';
import { MAX_READMIT_ROWS, type ReadmitEdit, type SchemaPatch } from '../../domain/dataset-curation.js';
import { COLUMN_TYPES, SEMANTICS } from '../../domain/datasets.js';
import { AppError, ValidationError } from '../../domain/errors.js';
import { emit, isoTime, table } from '../io.js';
import { jsonFlag, projectOf, withClient, type CommandEnv } from '../context.js';

function versionArg(value: string): string {
  if (value !== 'latest' && !/^[1-9][0-9]*$/.test(value)) throw new ValidationError(`--version must be a version number or latest, got '${value}'`, { field: '--version' });
  return value;
}

const collect = (value: string, previous: string[]) => [...previous, value];

async function readText(file: string, option: string): Promise<string> {
  return readFile(file, 'utf8').catch(() => {
    throw new ValidationError(`cannot read ${file}`, { field: option });
  });
}

/** The edits of a JSON Lines file: one {"line": N, "values": {"column": "text" | null}} per line. */
export function parseEdits(text: string, file: string): ReadmitEdit[] {
  const edits: ReadmitEdit[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const where = `${file} line ${i + 1}`;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw new ValidationError(`${where} is not JSON (each line is {"line": N, "values": {"column": "text"}})`, { field: '--file', line: i + 1 });
    }
    const o = v as { line?: unknown; values?: unknown };
    if (typeof o !== 'object' || o === null || !Number.isSafeInteger(o.line) || (o.line as number) < 1) {
      throw new ValidationError(`${where}: "line" must be the quarantined row's line number`, { field: '--file', line: i + 1 });
    }
    if (typeof o.values !== 'object' || o.values === null || Array.isArray(o.values)) {
      throw new ValidationError(`${where}: "values" must be an object of column → text (or null)`, { field: '--file', line: i + 1 });
    }
    for (const [k, x] of Object.entries(o.values)) {
      if (x !== null && typeof x !== 'string') throw new ValidationError(`${where}: values.${k} must be text or null (quote numbers: "12.5")`, { field: '--file', line: i + 1 });
    }
    edits.push({ line: o.line as number, values: o.values as Record<string, string | null> });
  });
  if (edits.length === 0) throw new ValidationError(`${file} holds no edits`, { field: '--file' });
  if (edits.length > MAX_READMIT_ROWS) throw new ValidationError(`${file} holds ${edits.length} edits; one re-admit takes at most ${MAX_READMIT_ROWS}`, { field: '--file' });
  return edits;
}

function readmitText(dataset: string, r: ReadmitView): string {
  const sent = r.accepted.length + r.rejected.length;
  const head = r.version
    ? `${dataset}: re-admitted ${r.accepted.length} of ${sent} rows of version ${r.origin_version} into version ${r.version.version}`
    : `${dataset}: none of the ${sent} rows passed; nothing was written`;
  return [head, ...r.rejected.map((x) => `  line ${x.line}: ${x.rule}: ${x.reason}`)].join('\n');
}

/** `col=value` pairs of a repeatable option, checked against `allowed` when given. */
function pairs(values: string[], option: string, allowed?: readonly string[]): Array<[string, string]> {
  return values.map((v) => {
    const i = v.indexOf('=');
    if (i <= 0 || i === v.length - 1) throw new ValidationError(`${option} takes column=value, got '${v}'`, { field: option });
    const value = v.slice(i + 1);
    if (allowed && !allowed.includes(value)) throw new ValidationError(`${option} ${v}: must be one of ${allowed.join(', ')}`, { field: option });
    return [v.slice(0, i), value];
  });
}

/** A schema file (JSON or YAML): { columns: [{name, …}] or {name: {…}}, key: [...] | null }. */
export function parseSchemaFile(text: string, file: string): SchemaPatch {
  let doc: unknown;
  try {
    doc = path.extname(file).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ValidationError(`${file} is not valid ${path.extname(file).toLowerCase() === '.json' ? 'JSON' : 'YAML'}: ${error instanceof Error ? error.message : String(error)}`, { field: '--file' });
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new ValidationError(`${file} must hold an object with columns and/or key`, { field: '--file' });
  const { columns, key } = doc as { columns?: unknown; key?: unknown };
  const patch: SchemaPatch = {};
  if (columns !== undefined) {
    const list = Array.isArray(columns) ? columns : typeof columns === 'object' && columns !== null ? Object.entries(columns).map(([name, c]) => ({ name, ...(c as object) })) : undefined;
    if (!list) throw new ValidationError(`${file}: columns must be a list of {name, …} or an object keyed by column name`, { field: '--file' });
    patch.columns = list as SchemaPatch['columns'];
  }
  if (key !== undefined) patch.key = typeof key === 'string' ? [key] : (key as string[] | null);
  return patch;
}

/** The file's patch with the flags laid over it (a flag wins for its column). */
function patchOf(base: SchemaPatch, o: { semantic: string[]; type: string[]; nullable: string[]; key?: string; clearKey?: boolean }): SchemaPatch {
  const byName = new Map((base.columns ?? []).map((c) => [c.name, { ...c }]));
  const at = (name: string) => byName.get(name) ?? byName.set(name, { name }).get(name)!;
  for (const [c, v] of pairs(o.semantic, '--semantic', SEMANTICS)) at(c).semantic = v as (typeof SEMANTICS)[number];
  for (const [c, v] of pairs(o.type, '--type', COLUMN_TYPES)) at(c).type = v as (typeof COLUMN_TYPES)[number];
  for (const [c, v] of pairs(o.nullable, '--nullable', ['true', 'false'])) at(c).nullable = v === 'true';
  const patch: SchemaPatch = byName.size > 0 ? { columns: [...byName.values()] } : {};
  if (base.key !== undefined) patch.key = base.key;
  if (o.key !== undefined) patch.key = o.key.split(',').map((k) => k.trim()).filter(Boolean);
  if (o.clearKey) patch.key = null;
  if (patch.columns === undefined && patch.key === undefined) {
    throw new ValidationError('nothing to change: pass --file, --semantic col=…, --type col=…, --nullable col=…, --key cols or --clear-key', { field: '--file' });
  }
  return patch;
}

function schemaText(s: SchemaStateView): string {
  const key = new Set(s.key ?? []);
  const candidates = new Set(s.candidate_keys.flat());
  const rows = s.columns.map((c) => ({ column: c.name, type: c.type, nullable: c.nullable ? 'yes' : 'no', semantic: c.semantic, key: key.has(c.name) ? 'key' : candidates.has(c.name) ? 'candidate' : '' }));
  return [
    `${s.dataset}: ${s.declared ? `declared schema (saved ${isoTime(s.updated_at)})` : `not declared yet: the schema of version ${s.based_on_version ?? '-'} (inferred)`}`,
    table(rows, ['column', 'type', 'nullable', 'semantic', 'key']),
    `key: ${s.key ? s.key.join(', ') : '(none)'}; candidate keys: ${s.candidate_keys.map((k) => k.join('+')).join(', ') || '(none)'}`,
    ...s.pending_type_changes.map((p) => `pending: ${p.column} ${p.from} → ${p.to} (from the next ingest)`),
    s.note,
  ].join('\n');
}

function lineageText(l: LineageView): string {
  const ref = (v: { version: number; source_kind: string }) => `v${v.version} (${v.source_kind})`;
  const list = (items: string[]) => (items.length ? items.join(', ') : '-');
  const from = l.came_from;
  const lines = [
    `${l.dataset} ${ref(l.version)}, created ${isoTime(l.version.created_at)}`,
    `came from: ${from.parent ? `parent ${ref(from.parent)}` : 'no parent'}; source ${from.source.kind}: ${from.source.name}`,
  ];
  if (from.batches.length) lines.push(`  pushed batches: ${list(from.batches.map((b) => `${b.idempotency_key} (${b.rows} rows)`))}`);
  if (from.readmit) lines.push(`  re-admitted from v${from.readmit.version}, lines ${list(from.readmit.lines.slice(0, 20).map(String))}${from.readmit.lines.length > 20 ? ` … (${from.readmit.lines.length})` : ''}`);
  lines.push(`children: ${list(l.children.map(ref))}`);
  if (l.readmitted_into.length) lines.push(`re-admitted into: ${list(l.readmitted_into.map((r) => `v${r.version} (${r.rows} rows)`))}`);
  const u = l.used_by;
  lines.push(
    'used by:',
    `  labelling jobs: ${list(u.labelling_jobs.map((j) => `${j.name} (${j.status})`))}`,
    `  runs: ${list(u.runs.map((r) => `${r.name} (${r.status}) ${r.id}`))}`,
    `  models: ${list(u.models.map((m) => `${m.model} v${m.version}`))}`,
    `  monitors: ${list(u.monitors.map((m) => `${m.name} (${m.deployment})`))}`,
  );
  if (l.hidden.length) lines.push(`(not shown to your role: ${l.hidden.join(', ')})`);
  return lines.join('\n');
}

export function addCurationCommands(cmd: Command, { io }: CommandEnv): void {
  jsonFlag(
    cmd
      .command('readmit')
      .description(`re-admit fixed quarantined rows of a version into a new version; exits 1 when any row still fails (at most ${MAX_READMIT_ROWS} rows)`)
      .requiredOption('--dataset <name>')
      .requiredOption('--version <n>', 'the version whose quarantine the rows are in', versionArg)
      .requiredOption('--file <edits.jsonl>', 'JSON Lines: {"line": N, "values": {"column": "text" | null}} per row (values replace the quarantined text)')
      .option('--project <project>'),
  ).action(async (o) => {
    const project = projectOf(io, o);
    const edits = parseEdits(await readText(o.file, '--file'), o.file);
    const r = await withClient(io, (c) => c.readmitQuarantine({ params: { project, dataset: o.dataset, version: o.version }, body: { rows: edits } }));
    emit(io, o.json, r, () => readmitText(o.dataset, r));
    if (r.rejected.length > 0) {
      const n = r.rejected.length;
      throw new AppError('readmit_rejected', `${n} row${n === 1 ? '' : 's'} still ${n === 1 ? 'breaks' : 'break'} a rule; nothing was written for ${n === 1 ? 'it' : 'them'}`, {
        details: { rejected: r.rejected },
      });
    }
  });

  const schema = new Command('schema').description("a dataset's declared schema: semantic types, nullability, types for the next ingest, key");
  jsonFlag(schema.command('show').description('show the declared schema (or the inferred one until saved) and candidate keys').requiredOption('--dataset <name>').option('--project <project>')).action(
    async (o) => {
      const project = projectOf(io, o);
      const s = await withClient(io, (c) => c.getDatasetSchema({ params: { project, dataset: o.dataset } }));
      emit(io, o.json, s, () => schemaText(s));
    },
  );
  jsonFlag(
    schema
      .command('set')
      .description('change the declared schema from a JSON/YAML file and/or flags; types apply from the next ingest (existing versions never change)')
      .requiredOption('--dataset <name>')
      .option('--file <file>', 'JSON or YAML: {columns: [{name, type, nullable, semantic}] or {col: {...}}, key: [cols] | null}')
      .option('--semantic <col=semantic>', `a column's meaning (${SEMANTICS.join(', ')}); repeatable`, collect, [])
      .option('--type <col=type>', `a column's type for the next ingest (${COLUMN_TYPES.join(', ')}); repeatable`, collect, [])
      .option('--nullable <col=true|false>', 'whether a column may be empty; repeatable', collect, [])
      .option('--key <columns>', 'the key column(s), comma-separated')
      .option('--clear-key', 'declare no key')
      .option('--project <project>'),
  ).action(async (o) => {
    const project = projectOf(io, o);
    const base = o.file ? parseSchemaFile(await readText(o.file, '--file'), o.file) : {};
    const patch = patchOf(base, o);
    const s = await withClient(io, (c) => c.putDatasetSchema({ params: { project, dataset: o.dataset }, body: patch }));
    emit(io, o.json, s, () => schemaText(s));
  });
  cmd.addCommand(schema);

  jsonFlag(
    cmd
      .command('lineage')
      .description('what a version came from (parent, source, batches, re-admitted lines) and what used it (labelling jobs, runs, models, monitors)')
      .requiredOption('--dataset <name>')
      .option('--version <n>', 'a version number or latest', versionArg, 'latest')
      .option('--project <project>'),
  ).action(async (o) => {
    const project = projectOf(io, o);
    const l = await withClient(io, (c) => c.getVersionLineage({ params: { project, dataset: o.dataset, version: o.version } }));
    emit(io, o.json, l, () => lineageText(l));
  });
}
