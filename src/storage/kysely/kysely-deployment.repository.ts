// Deployments on Kysely: names unique in the instance (the serving URL carries no project).
import type { Kysely, Selectable } from 'kysely';
import { type Page, type PageRequest } from '../../domain/pagination.js';
import type { DeploymentRepository } from '../../domain/ports/serving-store.js';
import type { Deployment } from '../../domain/serving.js';
import { pageById } from './cursor.js';
import { toNum, toNumOrNull } from './row-values.js';
import type { Database } from './schema.js';
import type { DeploymentsTable } from './schema-serving.js';
import { conflictsAs } from './unique-violation.js';

const toDeployment = (r: Selectable<DeploymentsTable>): Deployment => ({
  id: r.id,
  project_id: r.project_id,
  name: r.name,
  model_id: r.model_id,
  alias: r.alias,
  version: toNumOrNull(r.version),
  created_by: r.created_by,
  created_at: toNum(r.created_at),
  updated_at: toNum(r.updated_at),
});

export class KyselyDeploymentRepository implements DeploymentRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(deployment: Deployment): Promise<void> {
    await conflictsAs(() => this.db.insertInto('deployments').values(deployment).execute(), {
      name: `a deployment named '${deployment.name}' already exists (deployment names are unique in the instance)`,
    });
  }

  async getByName(name: string): Promise<Deployment | undefined> {
    const row = await this.db.selectFrom('deployments').selectAll().where('name', '=', name).executeTakeFirst();
    return row && toDeployment(row);
  }

  async getById(id: string): Promise<Deployment | undefined> {
    const row = await this.db.selectFrom('deployments').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toDeployment(row);
  }

  async list(projectId: string, page: PageRequest): Promise<Page<Deployment>> {
    return pageById(
      this.db
        .selectFrom('deployments')
        .selectAll()
        .where('project_id', '=', projectId),
      page,
      toDeployment,
      'asc',
    );
  }

  async update(id: string, patch: Pick<Deployment, 'model_id' | 'alias' | 'version'>, at: number): Promise<void> {
    await this.db
      .updateTable('deployments')
      .set({ model_id: patch.model_id, alias: patch.alias, version: patch.version, updated_at: at })
      .where('id', '=', id)
      .execute();
  }
}
