// Deployments on Kysely: names unique in the instance (the serving URL carries no project), their
// canary and shadow targets (JSON), and the history of every binding.
import type { Kysely, Selectable } from 'kysely';
import { type Page, type PageRequest } from '../../domain/pagination.js';
import type { DeploymentRepository } from '../../domain/ports/serving-store.js';
import type { BatchingSettings, CanaryTarget, Deployment, DeploymentBinding, DeploymentBindingTargets, TrafficTarget } from '../../domain/serving.js';
import { pageById } from './cursor.js';
import { toNum, toNumOrNull } from './row-values.js';
import type { Database } from './schema.js';
import type { DeploymentBindingsTable, DeploymentsTable } from './schema-serving.js';
import { conflictsAs } from './unique-violation.js';

const json = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));
const text = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));

const toDeployment = (r: Selectable<DeploymentsTable>): Deployment => ({
  id: r.id,
  project_id: r.project_id,
  name: r.name,
  model_id: r.model_id,
  alias: r.alias,
  version: toNumOrNull(r.version),
  canary: json<CanaryTarget>(r.canary),
  shadow: json<TrafficTarget>(r.shadow),
  batching: { max_rows: toNum(r.batch_max_rows), max_delay_ms: toNum(r.batch_max_delay_ms) },
  created_by: r.created_by,
  created_at: toNum(r.created_at),
  updated_at: toNum(r.updated_at),
});

const toBinding = (r: Selectable<DeploymentBindingsTable>): DeploymentBinding => ({
  id: r.id,
  project_id: r.project_id,
  deployment_id: r.deployment_id,
  change: r.change as DeploymentBinding['change'],
  model_id: r.model_id,
  alias: r.alias,
  version: toNumOrNull(r.version),
  canary: json<CanaryTarget>(r.canary),
  shadow: json<TrafficTarget>(r.shadow),
  serving_version: toNumOrNull(r.serving_version),
  canary_version: toNumOrNull(r.canary_version),
  shadow_version: toNumOrNull(r.shadow_version),
  who: r.who,
  who_name: r.who_name,
  at: toNum(r.at),
  reason: r.reason,
});

export class KyselyDeploymentRepository implements DeploymentRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(deployment: Deployment): Promise<void> {
    const { batching, ...rest } = deployment;
    const row = { ...rest, canary: text(deployment.canary), shadow: text(deployment.shadow), batch_max_rows: batching.max_rows, batch_max_delay_ms: batching.max_delay_ms };
    await conflictsAs(() => this.db.insertInto('deployments').values(row).execute(), {
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

  async listByModel(modelId: string): Promise<Deployment[]> {
    const rows = await this.db.selectFrom('deployments').selectAll().where('model_id', '=', modelId).orderBy('id').execute();
    return rows.map(toDeployment);
  }

  async update(id: string, patch: DeploymentBindingTargets, at: number): Promise<void> {
    await this.db
      .updateTable('deployments')
      .set({ model_id: patch.model_id, alias: patch.alias, version: patch.version, canary: text(patch.canary), shadow: text(patch.shadow), updated_at: at })
      .where('id', '=', id)
      .execute();
  }

  async setBatching(id: string, batching: BatchingSettings, at: number): Promise<void> {
    await this.db.updateTable('deployments').set({ batch_max_rows: batching.max_rows, batch_max_delay_ms: batching.max_delay_ms, updated_at: at }).where('id', '=', id).execute();
  }

  async appendBinding(binding: DeploymentBinding): Promise<void> {
    await this.db
      .insertInto('deployment_bindings')
      .values({ ...binding, canary: text(binding.canary), shadow: text(binding.shadow) })
      .execute();
  }

  async listBindings(deploymentId: string, page: PageRequest): Promise<Page<DeploymentBinding>> {
    return pageById(
      this.db
        .selectFrom('deployment_bindings')
        .selectAll()
        .where('deployment_id', '=', deploymentId),
      page,
      toBinding,
      'desc',
    );
  }
}
