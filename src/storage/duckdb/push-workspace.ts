// Warm workspaces for pushed batches. Pushes of one dataset share a schema and rules, so the whole
// cleansing of a batch is one statement prepared once per (schema, rules): the batch's JSON Lines
// text in, its rows checked, typed and written to Parquet, the count written out. A run parses
// and plans nothing and creates no table. When every row is accepted (nearly always) that is the
// whole ingest; a row that breaks a rule fails the statement (allAcceptedSql), and that batch,
// like every batch of rules whose report counts masks, flags or imputations, goes through the
// full ingest (ingest-pipeline.ts), which writes the same accepted rows (the same SQL over the
// same rows: the same bytes) and its quarantine.
//
// A workspace is one connection to the shared small-ingest instance, in a database of its own,
// with a scratch folder beside the batches' ones; it serves one batch at a time and is closed
// after IDLE_MS unused, when more than MAX_IDLE wait, or when the engine closes.
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBInstance } from '@duckdb/node-api';
import { LIST, listValue, VARCHAR } from '@duckdb/node-api';
import { checkRulesFit, type RulesDocument } from '../../domain/cleansing-rules.js';
import type { ColumnSchema } from '../../domain/datasets.js';
import type { IngestOutcome, RecordGroupsIngestRequest } from '../../domain/ports/data-engine.js';
import { DuckSession, type PreparedQuery } from './duckdb-session.js';
import { PARQUET_OPTIONS } from './ingest-pipeline.js';
import { countsOutput } from './output-sql.js';
import { installPiiMacros, needsMacros } from './pii-sql.js';
import { checkRegexRules } from './regex-check.js';
import { allAcceptedSql, planColumns, ROW_BREAKS_A_RULE } from './rule-sql.js';
import { bindAsVariables } from './bound-variables.js';
import { RECORD_POINTERS_VARIABLE, recordColumns, recordPointers, recordsSelectSql, recordsText } from './stage-records.js';

/** A workspace unused this long is closed (by default). */
const IDLE_MS = 30_000;
/** Idle workspaces kept in all (the least recently used beyond are closed). */
const MAX_IDLE = 8;
/** Paths written into a statement as they are: no quote, backslash or other character to escape. */
const PLAIN_PATH = /^[A-Za-z0-9_./-]+$/;
/** (schema, rules) keys remembered as needing the full ingest. */
const MAX_FULL_KEYS = 256;

type Group = RecordGroupsIngestRequest['groups'][number];

/** One (schema, rules)'s prepared statement, on its own connection. */
class PushWorkspace {
  idleTimer?: NodeJS.Timeout;

  private constructor(
    readonly key: string,
    private readonly session: DuckSession,
    private readonly dir: string,
    private readonly statement: PreparedQuery,
  ) {}

  /**
   * The workspace of `schema` and `rules`, or null when their batches need the full ingest
   * (the report counts masks, flags or imputations, or the scratch folder's path is not plain).
   * Rules that do not fit throw, as the full ingest would.
   */
  static async open(key: string, instance: DuckDBInstance, scratchParent: string, schema: ColumnSchema[], rules: RulesDocument | null): Promise<PushWorkspace | null> {
    const columns = schema.map((c) => ({ name: c.name, type: c.type }));
    if (rules) checkRulesFit(rules, columns, { fixedTypes: true });
    const plans = planColumns(columns, rules);
    if (countsOutput(plans)) return null;
    const names = columns.map((c) => c.name);
    const accepted = allAcceptedSql(plans, `(${recordsSelectSql(names)})`);
    // The output file is the statement's one constant (a parameter there would plan it again at
    // every run): a folder the engine makes (mkdtemp: letters and digits added), never request
    // text, and taken only when no character in it needs quoting; otherwise the full ingest runs.
    if (!PLAIN_PATH.test(scratchParent)) return null;
    const session = await DuckSession.workspace(instance, { singleThreaded: true });
    let dir: string | undefined;
    try {
      await checkRegexRules(session, rules);
      if (needsMacros(plans.flatMap((c) => c.detectors))) await installPiiMacros(session);
      dir = await mkdtemp(path.join(scratchParent, 'push-ws-'));
      const file = path.join(dir, 'accepted.parquet');
      if (!PLAIN_PATH.test(file)) throw new Error(`the workspace folder ${dir} is not a plain path`);
      // Rule values and JSON pointers are bound, as variables of the workspace's connection.
      await session.run(`SET VARIABLE ${RECORD_POINTERS_VARIABLE} = $1`, [listValue(recordPointers(names))], [LIST(VARCHAR)]);
      const query = await bindAsVariables(session, accepted.sql, accepted.params);
      const statement = await session.prepare(`COPY (${query}) TO '${file}' (${PARQUET_OPTIONS})`);
      return new PushWorkspace(key, session, dir, statement);
    } catch (error) {
      await session.release();
      if (dir) await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /**
   * Cleanse one batch: its outcome when every row was accepted (its accepted rows as bytes; its
   * folder is not used), else undefined.
   */
  async ingest(group: Group, schema: ColumnSchema[]): Promise<IngestOutcome | undefined> {
    let written: number;
    try {
      const [{ Count }] = await this.statement.rows<{ Count: string }>({ fw_text: recordsText(group) }, { fw_text: VARCHAR });
      written = Number(Count);
    } catch (error) {
      // A row broke a rule (see allAcceptedSql): the full ingest quarantines it. Anything else
      // (the scratch folder gone, say) throws, and the workspace is dropped.
      if (error instanceof Error && error.message.includes(ROW_BREAKS_A_RULE)) return undefined;
      throw error;
    }
    const rows = group.records.length;
    if (written !== rows) return undefined;
    // The accepted rows are answered as bytes (read before the next batch overwrites them), so
    // the batch's own folder is never made (a few file operations fewer per push). The file is
    // small and just written: read at once, rather than in four trips through the thread pool
    // while the workspace (which batches of its dataset wait for) is held.
    const bytes = readFileSync(path.join(this.dir, 'accepted.parquet'));
    return {
      source: group.source,
      schema: schema.map((c) => ({ ...c })),
      profile: [],
      report: { rows_read: rows, accepted: rows, quarantined: 0, by_rule: {} },
      accepted: { path: path.join(group.workDir, 'accepted.parquet'), rows, bytes },
      quarantine: null,
    };
  }

  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    try {
      this.statement.close();
    } finally {
      await this.session.release();
      await rm(this.dir, { recursive: true, force: true });
    }
  }
}

/** What the engine runs for the batches a workspace does not take (the full ingest). */
export type FullIngest = (groups: Group[]) => Promise<IngestOutcome[]>;

export class PushWorkspaces {
  /** Idle workspaces by key, the most recently used last. */
  private readonly idle = new Map<string, PushWorkspace[]>();
  /** Keys whose batches always take the full ingest. */
  private readonly full = new Set<string>();
  private closed = false;
  /** Workspaces being closed. */
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly instance: () => Promise<DuckDBInstance>,
    private readonly idleMs = IDLE_MS,
  ) {}

  /** Each batch's outcome, exactly as the full ingest of that batch alone answers it. */
  async ingest(request: RecordGroupsIngestRequest, fullIngest: FullIngest): Promise<IngestOutcome[]> {
    // Keys outside the schema throw first, as staging them would.
    const names = request.schema.map((c) => c.name);
    for (const group of request.groups) recordColumns([group.records], names);
    const key = JSON.stringify([request.schema.map((c) => [c.name, c.type]), request.rules]);
    // A workspace that cannot open (rules that do not fit, say): the full ingest says why.
    const workspace = this.closed || this.full.has(key) ? null : await this.checkout(key, request).catch(() => null);
    const outcomes: Array<IngestOutcome | undefined> = [];
    if (workspace) {
      try {
        for (const group of request.groups) {
          const outcome = await workspace.ingest(group, request.schema);
          if (outcome) request.onOutcome?.(outcomes.length, outcome);
          outcomes.push(outcome);
        }
        this.checkin(workspace);
      } catch {
        // Whatever failed, the full ingest of the batches left answers what each alone answers.
        this.closing(workspace);
      }
    }
    const rest = request.groups.filter((_, k) => outcomes[k] === undefined);
    if (rest.length > 0) {
      // The full ingest writes its files in each batch's folder, made now (a warm batch needs
      // none) and removed again if it fails (a batch answered warm later has no folder).
      await Promise.all(rest.map((g) => mkdir(g.workDir, { recursive: true })));
      const done = await fullIngest(rest).catch(async (error: unknown) => {
        await Promise.all(rest.map((g) => rm(g.workDir, { recursive: true, force: true })));
        throw error;
      });
      let next = 0;
      for (let k = 0; k < request.groups.length; k++) if (outcomes[k] === undefined) outcomes[k] = done[next++];
    }
    return outcomes as IngestOutcome[];
  }

  /** Close every idle workspace (busy ones close when their batch is done). */
  async close(): Promise<void> {
    this.closed = true;
    for (const list of this.idle.values()) for (const w of list) this.closing(w);
    this.idle.clear();
    await Promise.all(this.pending);
  }

  private async checkout(key: string, request: RecordGroupsIngestRequest): Promise<PushWorkspace | null> {
    const ready = this.idle.get(key)?.pop();
    if (ready) {
      clearTimeout(ready.idleTimer);
      return ready;
    }
    const parent = path.dirname(request.groups[0].workDir);
    const opened = await PushWorkspace.open(key, await this.instance(), parent, request.schema, request.rules);
    if (!opened) {
      // Forgotten now and then (rules change over time), so the set stays small.
      if (this.full.size >= MAX_FULL_KEYS) this.full.clear();
      this.full.add(key);
    }
    return opened;
  }

  private checkin(workspace: PushWorkspace): void {
    if (this.closed) {
      this.closing(workspace);
      return;
    }
    const list = this.idle.get(workspace.key) ?? [];
    this.idle.set(workspace.key, list);
    list.push(workspace);
    workspace.idleTimer = setTimeout(() => this.retire(workspace), this.idleMs);
    workspace.idleTimer.unref();
    let total = 0;
    for (const l of this.idle.values()) total += l.length;
    // Beyond the limit, the oldest idle workspace of the key with most goes first.
    while (total-- > MAX_IDLE) {
      const longest = [...this.idle.values()].reduce((a, b) => (b.length > a.length ? b : a));
      this.retire(longest[0]);
    }
  }

  private retire(workspace: PushWorkspace): void {
    const list = this.idle.get(workspace.key);
    const at = list?.indexOf(workspace) ?? -1;
    if (at < 0) return;
    list!.splice(at, 1);
    if (list!.length === 0) this.idle.delete(workspace.key);
    this.closing(workspace);
  }

  /** Close a workspace; close() waits for it. */
  private closing(workspace: PushWorkspace): void {
    const done = workspace.close().catch(() => undefined);
    this.pending.add(done);
    void done.then(() => this.pending.delete(done));
  }
}
