// Which model version a deployment serves now: its pinned version, or the one its alias names;
// the same for its canary and shadow targets.
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import type { Repositories } from '../../domain/ports/metadata-store.js';
import type { Deployment, ModelVersion, RegisteredModel, TrafficTarget } from '../../domain/serving.js';

/** The version `target` names in `model`; NotFoundError / ConflictError when it names none. */
export async function resolveTarget(
  repos: Pick<Repositories, 'models'>,
  model: RegisteredModel,
  target: TrafficTarget,
  field = 'body',
): Promise<ModelVersion> {
  if (target.version !== null) {
    const v = await repos.models.getVersion(model.id, target.version);
    if (!v) throw new NotFoundError('model version', `${model.name} v${target.version}`, { field: `${field}.version` });
    return v;
  }
  const alias = target.alias ?? 'champion';
  const a = await repos.models.getAlias(model.id, alias);
  if (!a) {
    throw new ConflictError(`alias '${alias}' of model '${model.name}' points at no version yet: set it, or pin a version`, { field: `${field}.alias` });
  }
  const v = await repos.models.getVersion(model.id, a.version);
  if (!v) throw new NotFoundError('model version', `${model.name} v${a.version}`);
  return v;
}

/** The versions a deployment's primary, canary and shadow targets name now (null where one names none). */
export async function resolvedVersions(
  repos: Pick<Repositories, 'models'>,
  model: RegisteredModel,
  d: Pick<Deployment, 'alias' | 'version' | 'canary' | 'shadow'>,
): Promise<{ serving_version: number | null; canary_version: number | null; shadow_version: number | null }> {
  const of = async (t: TrafficTarget | null) => (t ? ((await resolveTarget(repos, model, t).catch(() => undefined))?.version ?? null) : null);
  return { serving_version: await of(d), canary_version: await of(d.canary), shadow_version: await of(d.shadow) };
}

/** Whether a deployment follows `alias` anywhere (primary, canary or shadow). */
export function follows(d: Pick<Deployment, 'alias' | 'canary' | 'shadow'>, alias: string): boolean {
  return (d.alias === alias) || (d.canary?.alias ?? null) === alias || (d.shadow?.alias ?? null) === alias;
}
