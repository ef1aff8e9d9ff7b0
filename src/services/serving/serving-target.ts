// Which model version a deployment serves now: its pinned version, or the one its alias names.
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import type { Repositories } from '../../domain/ports/metadata-store.js';
import type { Deployment, ModelVersion, RegisteredModel } from '../../domain/serving.js';

/** The version `target` names in `model`; NotFoundError / ConflictError when it names none. */
export async function resolveTarget(
  repos: Pick<Repositories, 'models'>,
  model: RegisteredModel,
  target: Pick<Deployment, 'alias' | 'version'>,
): Promise<ModelVersion> {
  if (target.version !== null) {
    const v = await repos.models.getVersion(model.id, target.version);
    if (!v) throw new NotFoundError('model version', `${model.name} v${target.version}`, { field: 'body.version' });
    return v;
  }
  const alias = target.alias ?? 'champion';
  const a = await repos.models.getAlias(model.id, alias);
  if (!a) {
    throw new ConflictError(`alias '${alias}' of model '${model.name}' points at no version yet: set it, or pin a version`, { field: 'body.alias' });
  }
  const v = await repos.models.getVersion(model.id, a.version);
  if (!v) throw new NotFoundError('model version', `${model.name} v${a.version}`);
  return v;
}
