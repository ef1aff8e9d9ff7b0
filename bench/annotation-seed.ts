// Seeding for the annotation benchmark: a job's tasks written straight into its database, fast —
// multi-row INSERTs of 1,000 rows on SQLite (UUIDv7 ids made here), and on PostgreSQL one
// INSERT … SELECT over generate_series per 100,000 rows (ids made by the server, in order).
// About 1 task in 50 has priority 2 and 1 in 7 priority 1, so the queue's order matters.
import Database from 'better-sqlite3';
import pg from 'pg';
import { newId } from '../src/domain/ids.js';

export interface SeedTarget {
  jobId: string;
  projectId: string;
  tasks: number;
  createdAt: number;
}

const priorityOf = (i: number): number => (i % 50 === 0 ? 2 : i % 7 === 0 ? 1 : 0);
const ROWS_PER_INSERT = 1000;

export function seedSqlite(file: string, t: SeedTarget): void {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    const row = '(?, ?, ?, ?, ?, ?, ?)';
    const insert = db.prepare(
      `INSERT INTO labelling_tasks (id, project_id, job_id, data, priority, status, created_at) VALUES ${Array.from({ length: ROWS_PER_INSERT }, () => row).join(', ')}`,
    );
    const many = db.transaction((from: number, to: number) => {
      for (let start = from; start < to; start += ROWS_PER_INSERT) {
        const params: unknown[] = [];
        for (let i = start; i < start + ROWS_PER_INSERT; i++) {
          params.push(newId(), t.projectId, t.jobId, `{"n":${i},"text":"item ${i} to label","x":${(i % 997) / 10}}`, priorityOf(i), 'open', t.createdAt);
        }
        insert.run(...params);
      }
    });
    const batch = 100_000;
    for (let from = 0; from < t.tasks; from += batch) many(from, Math.min(t.tasks, from + batch));
  } finally {
    db.close();
  }
}

export async function seedPostgres(url: string, t: SeedTarget): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const batch = 100_000;
    for (let from = 0; from < t.tasks; from += batch) {
      const to = Math.min(t.tasks, from + batch) - 1;
      await client.query(
        `INSERT INTO labelling_tasks (id, project_id, job_id, data, priority, status, created_at)
         SELECT '01900000-0000-7000-8000-' || lpad(to_hex(g), 12, '0'), $1, $2,
                '{"n":' || g || ',"text":"item ' || g || ' to label","x":' || ((g % 997) / 10.0) || '}',
                CASE WHEN g % 50 = 0 THEN 2 WHEN g % 7 = 0 THEN 1 ELSE 0 END, 'open', $3
         FROM generate_series($4::bigint, $5::bigint) AS g`,
        [t.projectId, t.jobId, t.createdAt, from, to],
      );
    }
    await client.query('ANALYZE labelling_tasks');
  } finally {
    await client.end();
  }
}
