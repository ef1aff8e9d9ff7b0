// Model cards' hand-written fields on Kysely: one row per registered model, upserted.
import type { Kysely, Selectable } from 'kysely';
import type { ModelCardFields } from '../../domain/model-card.js';
import type { ModelCardRepository } from '../../domain/ports/model-card-store.js';
import { toNumOrNull } from './row-values.js';
import type { Database } from './schema.js';
import type { ModelCardFieldsTable } from './schema-model-cards.js';

const toFields = (r: Selectable<ModelCardFieldsTable>): ModelCardFields => ({
  model_id: r.model_id,
  project_id: r.project_id,
  intended_use: r.intended_use,
  limitations: r.limitations,
  ethical_considerations: r.ethical_considerations,
  owners: r.owners,
  updated_by: r.updated_by,
  updated_at: toNumOrNull(r.updated_at),
});

export class KyselyModelCardRepository implements ModelCardRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async get(modelId: string): Promise<ModelCardFields | undefined> {
    const row = await this.db.selectFrom('model_card_fields').selectAll().where('model_id', '=', modelId).executeTakeFirst();
    return row && toFields(row);
  }

  async put(fields: ModelCardFields): Promise<void> {
    await this.db
      .insertInto('model_card_fields')
      .values(fields)
      .onConflict((oc) =>
        oc.column('model_id').doUpdateSet((eb) => ({
          intended_use: eb.ref('excluded.intended_use'),
          limitations: eb.ref('excluded.limitations'),
          ethical_considerations: eb.ref('excluded.ethical_considerations'),
          owners: eb.ref('excluded.owners'),
          updated_by: eb.ref('excluded.updated_by'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}
