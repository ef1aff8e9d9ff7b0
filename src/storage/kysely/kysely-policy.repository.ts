// Per-project validation policies (KPI thresholds, minimum improvement over the champion, maximum
// gaps between slices) on Kysely.
import type { Kysely } from 'kysely';
import type { PolicyRepository } from '../../domain/ports/tracking-store.js';
import type { ValidationPolicy } from '../../domain/tracking.js';
import { toNum } from './row-values.js';
import type { Database } from './schema.js';

export class KyselyPolicyRepository implements PolicyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async get(projectId: string): Promise<ValidationPolicy | undefined> {
    const row = await this.db.selectFrom('validation_policies').selectAll().where('project_id', '=', projectId).executeTakeFirst();
    if (!row) return undefined;
    return {
      project_id: row.project_id,
      thresholds: JSON.parse(row.thresholds),
      min_improvement: row.min_improvement ? JSON.parse(row.min_improvement) : {},
      max_slice_gap: row.max_slice_gap ? JSON.parse(row.max_slice_gap) : [],
      updated_by: row.updated_by,
      updated_at: toNum(row.updated_at),
    };
  }

  async put(policy: ValidationPolicy): Promise<void> {
    const values = {
      project_id: policy.project_id,
      thresholds: JSON.stringify(policy.thresholds),
      min_improvement: JSON.stringify(policy.min_improvement),
      max_slice_gap: JSON.stringify(policy.max_slice_gap),
      updated_by: policy.updated_by,
      updated_at: policy.updated_at,
    };
    await this.db
      .insertInto('validation_policies')
      .values(values)
      .onConflict((oc) =>
        oc.column('project_id').doUpdateSet({
          thresholds: values.thresholds,
          min_improvement: values.min_improvement,
          max_slice_gap: values.max_slice_gap,
          updated_by: values.updated_by,
          updated_at: values.updated_at,
        }),
      )
      .execute();
  }
}
