// Encrypted secrets on Kysely: instance-level ones have project_id '' in the database, null outside.
import type { Kysely, Selectable } from 'kysely';
import type { SecretRecord } from '../../domain/entities.js';
import type { SecretRepository } from '../../domain/ports/metadata-store.js';
import { toNum } from './row-values.js';
import type { Database, SecretsTable } from './schema.js';

const INSTANCE = '';
const dbProject = (projectId: string | null): string => projectId ?? INSTANCE;

const INFO_COLUMNS = ['id', 'project_id', 'name', 'created_at', 'updated_at'] as const;

const toInfo = (r: Omit<Selectable<SecretsTable>, 'ciphertext'>): Omit<SecretRecord, 'ciphertext'> => ({
  id: r.id,
  project_id: r.project_id === INSTANCE ? null : r.project_id,
  name: r.name,
  created_at: toNum(r.created_at),
  updated_at: toNum(r.updated_at),
});

const toSecret = (r: Selectable<SecretsTable>): SecretRecord => ({ ...toInfo(r), ciphertext: r.ciphertext });

export class KyselySecretRepository implements SecretRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Insert, or replace the ciphertext of the secret of that name (keeping its id and created_at). */
  async put(secret: SecretRecord): Promise<void> {
    await this.db
      .insertInto('secrets')
      .values({ ...secret, project_id: dbProject(secret.project_id) })
      .onConflict((oc) =>
        oc.columns(['project_id', 'name']).doUpdateSet((eb) => ({
          ciphertext: eb.ref('excluded.ciphertext'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }

  async get(projectId: string | null, name: string): Promise<SecretRecord | undefined> {
    const row = await this.db
      .selectFrom('secrets')
      .selectAll()
      .where('project_id', '=', dbProject(projectId))
      .where('name', '=', name)
      .executeTakeFirst();
    return row && toSecret(row);
  }

  /** The project's (or the instance's) secrets by name, without their ciphertext. */
  async list(projectId: string | null): Promise<Array<Omit<SecretRecord, 'ciphertext'>>> {
    const rows = await this.db
      .selectFrom('secrets')
      .select(INFO_COLUMNS)
      .where('project_id', '=', dbProject(projectId))
      .orderBy('name')
      .execute();
    return rows.map(toInfo);
  }

  async delete(projectId: string | null, name: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('secrets')
      .where('project_id', '=', dbProject(projectId))
      .where('name', '=', name)
      .executeTakeFirst();
    return r.numDeletedRows > 0n;
  }
}
