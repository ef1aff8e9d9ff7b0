// Per-project validation policies (KPI thresholds) on Kysely.
import type { Kysely } from 'kysely';
import type { PolicyRepository } from '../../domain/ports/tracking-store.js';
import type { ValidationPolicy } from '../../domain/tracking.js';
import { toNum } from './row-values.js';
import type { Database } from './schema.js';

export class KyselyPolicyRepository implements PolicyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async get(projectId: string): Promise<ValidationPolicy | undefined> {
    const row = await this.db.selectFrom('validation_policies').selectAll().where('project_id', '=', projectId).executeTakeFirst();
    return row ? { ...row, thresholds: JSON.parse(row.thresholds), updated_at: toNum(row.updated_at) } : undefined;
  }

  async put(policy: ValidationPolicy): Promise<void> {
    const values = { ...policy, thresholds: JSON.stringify(policy.thresholds) };
    await this.db
      .insertInto('validation_policies')
      .values(values)
      .onConflict((oc) => oc.column('project_id').doUpdateSet({ thresholds: values.thresholds, updated_by: values.updated_by, updated_at: values.updated_at }))
      .execute();
  }
}
