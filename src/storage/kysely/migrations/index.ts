// The ordered list of migrations. Forward only: append a new file, never edit a shipped one.
import type { Migration } from 'kysely';
import * as m0001 from './0001-foundations.js';

export const migrations: Record<string, Migration> = {
  '0001-foundations': m0001,
};
