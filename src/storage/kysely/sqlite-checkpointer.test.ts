// The metadata database's WAL is checkpointed by a thread of its own: the connection's automatic
// checkpoint is only a backstop far beyond what is written here, yet once the WAL has grown past
// its first megabyte every frame gets copied into the database (read from the wal-index header in
// the -shm file, in the machine's byte order: mxFrame at byte 16, nBackfill at byte 96, as
// SQLite's walformat documents).
import { readFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/databases.js';
import { connect } from './connect.js';
import { BACKSTOP_PAGES } from './sqlite-checkpointer.js';

/** Frames in the WAL and frames already copied into the database. */
function walProgress(file: string): { frames: number; copied: number } {
  const shm = readFileSync(`${file}-shm`);
  const u32 = (at: number) => (endianness() === 'LE' ? shm.readUInt32LE(at) : shm.readUInt32BE(at));
  return { frames: u32(16), copied: u32(96) };
}

describe('SQLite checkpoints on a thread of their own', () => {
  it('copies the WAL into the database without the connection checkpointing', async () => {
    const file = join(tempDir('checkpoint-'), 'flywheel.db');
    const { db } = await connect(`sqlite:${file}`);
    try {
      expect((await sql<{ wal_autocheckpoint: number }>`PRAGMA wal_autocheckpoint`.execute(db)).rows[0].wal_autocheckpoint).toBe(BACKSTOP_PAGES);
      await sql`CREATE TABLE filler (id INTEGER PRIMARY KEY, body BLOB)`.execute(db);
      const body = Buffer.alloc(3000, 7);
      for (let i = 0; i < 4; i++) {
        await db.transaction().execute(async (trx) => {
          for (let k = 0; k < 150; k++) await sql`INSERT INTO filler (body) VALUES (${body})`.execute(trx);
        });
      }
      const written = walProgress(file).frames;
      expect(written).toBeGreaterThan(256); // past the first megabyte, far below the backstop
      expect(written).toBeLessThan(BACKSTOP_PAGES);
      const deadline = Date.now() + 10_000;
      while (walProgress(file).copied < written && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(walProgress(file).copied).toBeGreaterThanOrEqual(written);
      expect((await sql<{ n: number }>`SELECT count(*) AS n FROM filler`.execute(db)).rows[0].n).toBe(600);
    } finally {
      await db.destroy();
    }
  });
});
