// The annotation benchmark's baseline: a bare node:http server doing the same queue work as
// plain SQL on the same database — renew the caller's leases (answering one still open), give
// expired leases back once a second, or take the next open task with a free slot by priority and
// lease it; a submit turns the lease into a label (resolving the task at its overlap) — with no
// framework, auth, validation or audit.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import pg from 'pg';
import { newId } from '../src/domain/ids.js';

export interface BaselineServer {
  url: string;
  close(): Promise<void>;
}

/** The candidate query, as the Flywheel repository builds it. */
export const CANDIDATE_SQL = `SELECT t.id FROM labelling_tasks t
  WHERE t.job_id = ? AND t.status = 'open' AND t.gold_label IS NULL AND t.taken < ?
    AND NOT EXISTS (SELECT 1 FROM task_labels l WHERE l.task_id = t.id AND l.annotator_id = ?)
    AND NOT EXISTS (SELECT 1 FROM task_skips k WHERE k.task_id = t.id AND k.annotator_id = ?)
  ORDER BY t.priority DESC, t.id LIMIT 1`;

interface Queue {
  next(annotator: string): Promise<unknown>;
  label(annotator: string, task: string, label: string): Promise<boolean>;
  close(): Promise<void>;
}

/** Give expired leases back at most once a second, as Flywheel does. */
function reclaimer(): (now: number) => boolean {
  let last = -Infinity;
  return (now) => {
    if (now - last < 1000) return false;
    last = now;
    return true;
  };
}

const ATTEMPTS = 5;

function sqliteQueue(file: string, jobId: string, projectId: string, overlap: number, leaseMs: number): Queue {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 10000');
  db.pragma('synchronous = NORMAL');
  const renew = db.prepare('UPDATE task_leases SET expires_at = ? WHERE job_id = ? AND annotator_id = ? RETURNING task_id');
  const endExpired = db.prepare('DELETE FROM task_leases WHERE job_id = ? AND expires_at <= ? RETURNING task_id');
  const giveBack = db.prepare('UPDATE labelling_tasks SET taken = taken - 1 WHERE id = ? AND taken > 0');
  const candidate = db.prepare(CANDIDATE_SQL);
  const take = db.prepare(`UPDATE labelling_tasks SET taken = taken + 1 WHERE id = ? AND status = 'open' AND taken < ? RETURNING *`);
  const lease = db.prepare('INSERT INTO task_leases (task_id, annotator_id, project_id, job_id, expires_at) VALUES (?, ?, ?, ?, ?)');
  const dropLease = db.prepare('DELETE FROM task_leases WHERE task_id = ? AND annotator_id = ?');
  const count = db.prepare(`UPDATE labelling_tasks SET label_count = label_count + 1 WHERE id = ? AND status = 'open' AND label_count < ? RETURNING label_count`);
  const insertLabel = db.prepare('INSERT INTO task_labels (id, project_id, job_id, task_id, annotator_id, label, created_at, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const resolve = db.prepare(`UPDATE labelling_tasks SET status = 'resolved', resolved_label = ?, resolved_at = ?, resolved_by = 'consensus' WHERE id = ?`);
  const due = reclaimer();
  const nextTx = db.transaction((a: string) => {
    const now = Date.now();
    const mine = renew.all(now + leaseMs, jobId, a) as Array<{ task_id: string }>;
    if (due(now)) for (const r of endExpired.all(jobId, now) as Array<{ task_id: string }>) giveBack.run(r.task_id);
    if (mine.length > 0) {
      const held = db.prepare(`SELECT * FROM labelling_tasks WHERE id IN (${mine.map(() => '?').join(', ')}) AND status = 'open' ORDER BY priority DESC, id LIMIT 1`).get(...mine.map((r) => r.task_id));
      if (held) return held;
    }
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const c = candidate.get(jobId, overlap, a, a) as { id: string } | undefined;
      if (!c) return null;
      const row = take.get(c.id, overlap) as { id: string } | undefined;
      if (row) {
        lease.run(row.id, a, projectId, jobId, now + leaseMs);
        return row;
      }
    }
    return null;
  });
  const labelTx = db.transaction((a: string, task: string, label: string) => {
    if (dropLease.run(task, a).changes === 0) return false;
    const r = count.get(task, overlap) as { label_count: number } | undefined;
    if (!r) return false;
    insertLabel.run(newId(), projectId, jobId, task, a, label, Date.now(), 1000);
    if (r.label_count >= overlap) resolve.run(label, Date.now(), task);
    return true;
  });
  return {
    next: async (a) => nextTx.immediate(a),
    label: async (a, t, l) => labelTx.immediate(a, t, l),
    close: async () => void db.close(),
  };
}

const pgSql = (text: string): string => {
  let i = 0;
  return text.replace(/\?/g, () => `$${++i}`);
};

function postgresQueue(url: string, jobId: string, projectId: string, overlap: number, leaseMs: number): Queue {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const due = reclaimer();
  const inTx = async <T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> => {
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      const r = await fn(c);
      await c.query('COMMIT');
      return r;
    } catch (err) {
      await c.query('ROLLBACK');
      throw err;
    } finally {
      c.release();
    }
  };
  return {
    next: (a) =>
      inTx(async (c) => {
        const now = Date.now();
        const mine = (await c.query('UPDATE task_leases SET expires_at = $1 WHERE job_id = $2 AND annotator_id = $3 RETURNING task_id', [now + leaseMs, jobId, a])).rows;
        if (due(now)) {
          const ended = await c.query('DELETE FROM task_leases WHERE job_id = $1 AND expires_at <= $2 RETURNING task_id', [jobId, now]);
          for (const r of ended.rows) await c.query('UPDATE labelling_tasks SET taken = taken - 1 WHERE id = $1 AND taken > 0', [r.task_id]);
        }
        if (mine.length > 0) {
          const held = (await c.query(`SELECT * FROM labelling_tasks WHERE id = ANY($1) AND status = 'open' ORDER BY priority DESC, id LIMIT 1`, [mine.map((r) => r.task_id)])).rows[0];
          if (held) return held;
        }
        for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
          const cand = (await c.query(pgSql(CANDIDATE_SQL), [jobId, overlap, a, a])).rows[0];
          if (!cand) return null;
          const row = (await c.query(`UPDATE labelling_tasks SET taken = taken + 1 WHERE id = $1 AND status = 'open' AND taken < $2 RETURNING *`, [cand.id, overlap])).rows[0];
          if (row) {
            await c.query('INSERT INTO task_leases (task_id, annotator_id, project_id, job_id, expires_at) VALUES ($1, $2, $3, $4, $5)', [row.id, a, projectId, jobId, now + leaseMs]);
            return row;
          }
        }
        return null;
      }),
    label: (a, t, l) =>
      inTx(async (c) => {
        if ((await c.query('DELETE FROM task_leases WHERE task_id = $1 AND annotator_id = $2', [t, a])).rowCount === 0) return false;
        const r = (await c.query(`UPDATE labelling_tasks SET label_count = label_count + 1 WHERE id = $1 AND status = 'open' AND label_count < $2 RETURNING label_count`, [t, overlap])).rows[0];
        if (!r) return false;
        await c.query('INSERT INTO task_labels (id, project_id, job_id, task_id, annotator_id, label, created_at, duration_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
          newId(), projectId, jobId, t, a, l, Date.now(), 1000,
        ]);
        if (Number(r.label_count) >= overlap) await c.query(`UPDATE labelling_tasks SET status = 'resolved', resolved_label = $1, resolved_at = $2, resolved_by = 'consensus' WHERE id = $3`, [l, Date.now(), t]);
        return true;
      }),
    close: () => pool.end(),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let s = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (s += c));
    req.on('end', () => resolve(s));
    req.on('error', reject);
  });
}

/**
 * A bare server on the job's database: `GET /next?a=USER` and `POST /label?a=USER&t=TASK` with
 * `{ label }`. `databaseUrl` is `sqlite:PATH` or `postgres://…`.
 */
export async function startBaseline(databaseUrl: string, o: { jobId: string; projectId: string; overlap: number; leaseMs: number }): Promise<BaselineServer> {
  const queue = databaseUrl.startsWith('postgres')
    ? postgresQueue(databaseUrl, o.jobId, o.projectId, o.overlap, o.leaseMs)
    : sqliteQueue(databaseUrl.replace(/^sqlite:/, ''), o.jobId, o.projectId, o.overlap, o.leaseMs);
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const a = u.searchParams.get('a') ?? '';
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const handle = async () => {
      if (req.method === 'GET' && u.pathname === '/next') {
        const row = (await queue.next(a)) as Record<string, unknown> | null;
        return answer(200, { task: row ? { id: row.id, job_id: row.job_id, data: JSON.parse(String(row.data)), priority: Number(row.priority) } : null });
      }
      if (req.method === 'POST' && u.pathname === '/label') {
        const body = JSON.parse(await readBody(req)) as { label: string };
        return (await queue.label(a, u.searchParams.get('t') ?? '', body.label)) ? answer(201, { ok: true }) : answer(409, { error: 'conflict' });
      }
      answer(404, {});
    };
    handle().catch((err: unknown) => answer(500, { error: String(err) }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await queue.close();
    },
  };
}
