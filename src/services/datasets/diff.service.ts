// The diff of two versions of a dataset: rows added, removed and changed (matched by key columns
// — given, else the dataset's declared key, else a candidate key both versions' profiles show,
// else whole rows as multisets), in
// DuckDB SQL over both versions' Parquet files; schema changes; and each shared column's shift
// (PSI from src/stats, mean/std change for numeric columns, value shares for categorical ones).
import { DIFF_SAMPLE_ROWS, type ColumnShift, type DatasetDiff, type DiffRow, type DiffSamples, type SchemaChange } from '../../domain/dataset-staging.js';
import type { ColumnProfile, ColumnSchema, DatasetVersion } from '../../domain/datasets.js';
import { UnexpectedError, ValidationError } from '../../domain/errors.js';
import type { ColumnData, DataEngine } from '../../domain/ports/data-engine.js';
import type { MetadataStore } from '../../domain/ports/metadata-store.js';
import { driftStatistics } from '../../stats/drift.js';
import type { ProjectAccess } from '../access/authorize.js';
import type { DatasetsService } from './datasets.service.js';

/** A quoted SQL identifier (column names come from the schema; identifiers cannot be bound). */
const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
const text = (name: string) => `CAST(${q(name)} AS VARCHAR)`;

const NUMERIC_TYPES = new Set(['integer', 'double']);
const KEY_PREFERENCE = ['id', 'timestamp'];

function schemaChanges(from: ColumnSchema[], to: ColumnSchema[]): SchemaChange[] {
  const changes: SchemaChange[] = [];
  const toByName = new Map(to.map((c) => [c.name, c]));
  const fromByName = new Map(from.map((c) => [c.name, c]));
  for (const c of from) {
    const other = toByName.get(c.name);
    if (!other) changes.push({ column: c.name, change: 'removed', from_type: c.type, to_type: null });
    else if (other.type !== c.type) changes.push({ column: c.name, change: 'retyped', from_type: c.type, to_type: other.type });
  }
  for (const c of to) if (!fromByName.has(c.name)) changes.push({ column: c.name, change: 'added', from_type: null, to_type: c.type });
  return changes;
}

/** A column both versions' profiles show as unique and non-null (ids and timestamps first); never a double. */
function candidateKey(from: DatasetVersion, to: DatasetVersion, shared: string[]): string | undefined {
  const unique = (profile: ColumnProfile[], name: string) => profile.find((p) => p.name === name)?.unique === true;
  const candidates = to.schema.filter((c) => shared.includes(c.name) && c.type !== 'double' && unique(from.profile, c.name) && unique(to.profile, c.name));
  const rank = (c: ColumnSchema) => {
    const i = KEY_PREFERENCE.indexOf(c.semantic);
    return i < 0 ? KEY_PREFERENCE.length : i;
  };
  return candidates.sort((a, b) => rank(a) - rank(b))[0]?.name;
}

function kindOf(c: ColumnSchema): 'numeric' | 'categorical' | undefined {
  if (c.semantic === 'id' || c.semantic === 'timestamp' || c.semantic === 'text') return undefined;
  if (NUMERIC_TYPES.has(c.type)) return 'numeric';
  if (c.type === 'string' || c.type === 'boolean') return 'categorical';
  return undefined;
}

const asText = (d: ColumnData): Array<string | null> => Array.from(d as ArrayLike<string | boolean | null>, (v) => (v === null ? null : String(v)));

function shares(values: Array<string | null>): Map<string, number> {
  const counts = new Map<string, number>();
  let n = 0;
  for (const v of values) {
    if (v === null) continue;
    counts.set(v, (counts.get(v) ?? 0) + 1);
    n++;
  }
  for (const [k, c] of counts) counts.set(k, c / n);
  return counts;
}

const change = (a: number | null | undefined, b: number | null | undefined) => (a === null || a === undefined || b === null || b === undefined ? null : b - a);

export class DatasetDiffService {
  constructor(
    private readonly datasets: DatasetsService,
    private readonly engine: DataEngine | undefined,
    /** Where the declared key is read from (optional: without it, candidate keys only). */
    private readonly store?: Pick<MetadataStore, 'datasetSchemas'>,
  ) {}

  /**
   * @example await diffs.diff(access, 'weather', 1, 2, ['date']) // { rows: { added, removed, changed, … }, schema_changes, columns }
   */
  async diff(access: ProjectAccess, ref: string, fromVersion: number | undefined, toVersion: number | undefined, key?: string[]): Promise<DatasetDiff> {
    if (!this.engine) throw new UnexpectedError('no data engine is configured');
    const to = await this.datasets.getVersion(access, ref, toVersion ?? 'latest');
    const from = await this.datasets.getVersion(access, ref, fromVersion ?? Math.max(1, to.version - 1));
    const toTypes = new Map(to.schema.map((c) => [c.name, c.type]));
    const shared = from.schema.filter((c) => toTypes.has(c.name)).map((c) => c.name);

    let keyColumns: string[];
    let keySource: DatasetDiff['key_source'];
    let declared: string[] | undefined;
    if (key && key.length > 0) {
      const missing = key.filter((k) => !shared.includes(k));
      if (missing.length > 0) throw new ValidationError(`key column(s) ${missing.map((k) => `'${k}'`).join(', ')} are not in both versions`, { field: 'query.key', columns: missing });
      keyColumns = [...new Set(key)];
      keySource = 'given';
    } else if ((declared = await this.declaredKey(to.dataset_id, shared))) {
      keyColumns = declared;
      keySource = 'declared';
    } else {
      const candidate = candidateKey(from, to, shared);
      keyColumns = candidate ? [candidate] : [];
      keySource = candidate ? 'candidate' : 'none';
    }

    const fromPaths = await this.datasets.localFiles(from);
    const toPaths = await this.datasets.localFiles(to);
    const compared = shared.filter((c) => !keyColumns.includes(c));
    if (keyColumns.length > 0) await this.checkKeyUnique(fromPaths, toPaths, keyColumns, from.version, to.version, keySource);
    const rows = await this.rowCounts(fromPaths, toPaths, keyColumns, compared);
    const samples = await this.rowSamples(fromPaths, toPaths, keyColumns, compared, shared);

    const columns: ColumnShift[] = [];
    for (const c of to.schema) {
      const before = from.schema.find((x) => x.name === c.name);
      const kind = kindOf(c);
      if (!before || before.type !== c.type || !kind || keyColumns.includes(c.name)) continue;
      const [a, b] = await Promise.all([this.engine.readColumns(fromPaths, [c.name]), this.engine.readColumns(toPaths, [c.name])]);
      if (kind === 'numeric') {
        const stats = driftStatistics(a.columns[c.name] as Float64Array, b.columns[c.name] as Float64Array, 'numeric');
        const pf = from.profile.find((p) => p.name === c.name);
        const pt = to.profile.find((p) => p.name === c.name);
        columns.push({
          column: c.name,
          kind,
          psi: stats.psi,
          mean_from: pf?.mean ?? null,
          mean_to: pt?.mean ?? null,
          mean_change: change(pf?.mean, pt?.mean),
          std_from: pf?.std ?? null,
          std_to: pt?.std ?? null,
          std_change: change(pf?.std, pt?.std),
        });
      } else {
        const va = asText(a.columns[c.name]);
        const vb = asText(b.columns[c.name]);
        const stats = driftStatistics(va, vb, 'categorical');
        const sa = shares(va);
        const sb = shares(vb);
        const values = [...new Set([...sa.keys(), ...sb.keys()])].sort();
        columns.push({
          column: c.name,
          kind,
          psi: stats.psi,
          shares: values.map((value) => {
            const f = sa.get(value) ?? 0;
            const t = sb.get(value) ?? 0;
            return { value, from: f, to: t, change: t - f };
          }),
        });
      }
    }
    return {
      from_version: from.version,
      to_version: to.version,
      key: keyColumns,
      key_source: keySource,
      rows,
      schema_changes: schemaChanges(from.schema, to.schema),
      columns,
      samples,
    };
  }

  /**
   * A key must name each row once in both versions, or rows would pair up many-to-many: a key
   * that repeats is a 400 naming it, the version and one repeated value.
   */
  private async checkKeyUnique(fromPaths: string[], toPaths: string[], key: string[], fromVersion: number, toVersion: number, source: DatasetDiff['key_source']): Promise<void> {
    const cols = key.map(text).join(', ');
    for (const [view, version] of [['fw_a', fromVersion], ['fw_b', toVersion]] as const) {
      const [dup] = await this.engine!.query(
        `SELECT ${key.map((k, i) => `${text(k)} AS k${i}`).join(', ')}, count(*) AS n FROM ${view} GROUP BY ${cols} HAVING count(*) > 1 ORDER BY n DESC LIMIT 1`,
        [],
        toPaths,
        { fw_a: fromPaths, fw_b: toPaths },
      );
      if (dup) {
        const value = key.map((k, i) => `${k}=${dup[`k${i}`] ?? 'null'}`).join(', ');
        const field = source === 'given' ? 'query.key' : 'key';
        throw new ValidationError(
          `the key (${key.join(', ')}) is not unique in version ${version}: ${value} appears ${Number(dup.n)} times; diff by another key, or de-duplicate the dataset`,
          { field, version, key },
        );
      }
    }
  }

  /** Up to DIFF_SAMPLE_ROWS rows added, removed and changed, in key order. */
  private async rowSamples(fromPaths: string[], toPaths: string[], key: string[], compared: string[], shared: string[]): Promise<DiffSamples> {
    const views = { fw_a: fromPaths, fw_b: toPaths };
    const run = (sql: string) => this.engine!.query(sql, [], toPaths, views) as Promise<DiffRow[]>;
    const limit = DIFF_SAMPLE_ROWS;
    if (key.length === 0) {
      const cols = shared.map((c) => `${text(c)} AS ${q(c)}`).join(', ');
      if (cols === '') return { added: [], removed: [], changed: [] };
      const [added, removed] = await Promise.all([
        run(`SELECT * FROM (SELECT ${cols} FROM fw_b EXCEPT ALL SELECT ${cols} FROM fw_a) ORDER BY ALL LIMIT ${limit}`),
        run(`SELECT * FROM (SELECT ${cols} FROM fw_a EXCEPT ALL SELECT ${cols} FROM fw_b) ORDER BY ALL LIMIT ${limit}`),
      ]);
      return { added, removed, changed: [] };
    }
    const keyed = (view: string) => `SELECT * FROM ${view}`;
    const on = key.map((k) => `x.${q(k)} = y.${q(k)}`).join(' AND ');
    const order = key.map((k) => text(`${k}`)).join(', ');
    const all = (alias: string) => shared.map((c) => `${alias}.${q(c)}`);
    const asText = (alias: string) => all(alias).map((c, i) => `CAST(${c} AS VARCHAR) AS ${q(shared[i])}`).join(', ');
    const [added, removed] = await Promise.all([
      run(`SELECT ${asText('y')} FROM (${keyed('fw_b')}) y ANTI JOIN (${keyed('fw_a')}) x ON ${on} ORDER BY ${key.map((k) => `y.${q(k)}`).join(', ')} LIMIT ${limit}`),
      run(`SELECT ${asText('x')} FROM (${keyed('fw_a')}) x ANTI JOIN (${keyed('fw_b')}) y ON ${on} ORDER BY ${key.map((k) => `x.${q(k)}`).join(', ')} LIMIT ${limit}`),
    ]);
    let changed: DiffSamples['changed'] = [];
    if (compared.length > 0) {
      const differs = compared.map((c) => `CAST(x.${q(c)} AS VARCHAR) IS DISTINCT FROM CAST(y.${q(c)} AS VARCHAR)`).join(' OR ');
      const rows = await run(
        `SELECT ${key.map((k) => `CAST(x.${q(k)} AS VARCHAR) AS ${q(`k:${k}`)}`).join(', ')},
                ${compared.map((c) => `CAST(x.${q(c)} AS VARCHAR) AS ${q(`a:${c}`)}, CAST(y.${q(c)} AS VARCHAR) AS ${q(`b:${c}`)}`).join(', ')}
         FROM (${keyed('fw_a')}) x JOIN (${keyed('fw_b')}) y ON ${on} WHERE ${differs} ORDER BY ${key.map((k) => `x.${q(k)}`).join(', ')} LIMIT ${limit}`,
      );
      changed = rows.map((r) => ({
        key: Object.fromEntries(key.map((k) => [k, r[`k:${k}`] ?? null])),
        changes: compared.filter((c) => r[`a:${c}`] !== r[`b:${c}`]).map((c) => ({ column: c, from: r[`a:${c}`] ?? null, to: r[`b:${c}`] ?? null })),
      }));
    }
    void order;
    return { added, removed, changed };
  }

  /** The dataset's declared key when both versions have all of its columns. */
  private async declaredKey(datasetId: string, shared: string[]): Promise<string[] | undefined> {
    const key = (await this.store?.datasetSchemas.get(datasetId))?.key;
    return key && key.length > 0 && key.every((k) => shared.includes(k)) ? key : undefined;
  }

  private async rowCounts(fromPaths: string[], toPaths: string[], key: string[], compared: string[]): Promise<DatasetDiff['rows']> {
    const views = { fw_a: fromPaths, fw_b: toPaths };
    const num = (v: unknown) => Number(v ?? 0);
    if (key.length === 0) {
      const cols = compared.length > 0 ? compared.map(text).join(', ') : '1 AS __one';
      const [r] = await this.engine!.query(
        `WITH x AS (SELECT ${cols} FROM fw_a), y AS (SELECT ${cols} FROM fw_b)
         SELECT (SELECT count(*) FROM x) AS n_from, (SELECT count(*) FROM y) AS n_to,
                (SELECT count(*) FROM (SELECT * FROM y EXCEPT ALL SELECT * FROM x)) AS added,
                (SELECT count(*) FROM (SELECT * FROM x EXCEPT ALL SELECT * FROM y)) AS removed`,
        [],
        toPaths,
        views,
      );
      const removed = num(r.removed);
      return { from: num(r.n_from), to: num(r.n_to), added: num(r.added), removed, changed: 0, unchanged: num(r.n_from) - removed };
    }
    const side = (view: string) =>
      `SELECT 1 AS __in, ${[...key.map((k, i) => `${text(k)} AS __k${i}`), ...compared.map((c, i) => `${text(c)} AS __c${i}`)].join(', ')} FROM ${view}`;
    const on = key.map((_, i) => `x.__k${i} = y.__k${i}`).join(' AND ');
    const differs = compared.length > 0 ? compared.map((_, i) => `x.__c${i} IS DISTINCT FROM y.__c${i}`).join(' OR ') : 'false';
    const [r] = await this.engine!.query(
      `WITH x AS (${side('fw_a')}), y AS (${side('fw_b')}),
            j AS (SELECT x.__in AS in_a, y.__in AS in_b, (${differs}) AS differs FROM x FULL OUTER JOIN y ON ${on})
       SELECT (SELECT count(*) FROM x) AS n_from, (SELECT count(*) FROM y) AS n_to,
              count(*) FILTER (WHERE in_a IS NULL) AS added,
              count(*) FILTER (WHERE in_b IS NULL) AS removed,
              count(*) FILTER (WHERE in_a IS NOT NULL AND in_b IS NOT NULL AND differs) AS changed,
              count(*) FILTER (WHERE in_a IS NOT NULL AND in_b IS NOT NULL AND NOT differs) AS unchanged
       FROM j`,
      [],
      toPaths,
      views,
    );
    return { from: num(r.n_from), to: num(r.n_to), added: num(r.added), removed: num(r.removed), changed: num(r.changed), unchanged: num(r.unchanged) };
  }
}
