// What every command gets: the io, --json, and a way to run against a connection.
import { Command } from 'commander';
import type { FlywheelClient } from '../client/index.js';
import { ValidationError } from '../domain/errors.js';
import { openConnection } from './connection.js';
import type { CliIo } from './io.js';

export interface CommandEnv {
  io: CliIo;
}

/** Open a connection (local or remote), run `fn` with its client, close it. */
export async function withClient<T>(io: CliIo, fn: (client: FlywheelClient) => Promise<T>, options: { workers?: boolean } = {}): Promise<T> {
  const conn = await openConnection(io, options);
  try {
    return await fn(conn.client);
  } finally {
    await conn.close();
  }
}

/** The --project of a command, or FLYWHEEL_PROJECT; a clear error when neither is given. */
export function projectOf(io: CliIo, opts: { project?: string }): string {
  const p = opts.project ?? io.env.FLYWHEEL_PROJECT;
  if (!p) throw new ValidationError('no project: pass --project P or set FLYWHEEL_PROJECT', { field: '--project' });
  return p;
}

/** A positive integer option, e.g. --limit. */
export function intOption(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new ValidationError(`${name} must be a positive integer, got '${value}'`, { field: name });
    return n;
  };
}

export function jsonFlag(cmd: Command): Command {
  return cmd.option('--json', 'machine-readable output');
}
