// Databases for integration tests: always a fresh SQLite file, and a fresh PostgreSQL database
// when TEST_DATABASE_URL is set (CI sets it; without it the PostgreSQL cases say they are skipped).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface DatabaseTarget {
  name: 'sqlite' | 'postgres';
  /** Whether this target can run here; when false, `skipReason` says why. */
  available: boolean;
  skipReason?: string;
  /** A URL of a new, empty database. */
  freshUrl(): Promise<string>;
}

export function tempDir(prefix = 'flywheel-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

let counter = 0;

export const sqliteTarget: DatabaseTarget = {
  name: 'sqlite',
  available: true,
  freshUrl: async () => `sqlite:${join(tempDir(), 'flywheel.db')}`,
};

const pgBase = process.env.TEST_DATABASE_URL;

export const postgresTarget: DatabaseTarget = {
  name: 'postgres',
  available: Boolean(pgBase),
  skipReason: pgBase ? undefined : 'TEST_DATABASE_URL is not set: PostgreSQL tests skipped',
  async freshUrl() {
    if (!pgBase) throw new Error('TEST_DATABASE_URL is not set');
    const name = `fw_${process.pid}_${Date.now().toString(36)}_${counter++}`;
    const client = new pg.Client({ connectionString: pgBase });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE ${name}`);
    } finally {
      await client.end();
    }
    const url = new URL(pgBase);
    url.pathname = `/${name}`;
    return url.toString();
  },
};

export const databaseTargets: DatabaseTarget[] = [sqliteTarget, postgresTarget];

if (!pgBase) console.warn('[flywheel tests] TEST_DATABASE_URL is not set: PostgreSQL cases are skipped');
