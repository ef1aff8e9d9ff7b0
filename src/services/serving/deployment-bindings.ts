// Entries of a deployment's binding history: what it was bound to after each change (created,
// updated, rolled back, or an alias it follows moved) and which versions that resolved to.
import { newId } from '../../domain/ids.js';
import type { Deployment, DeploymentBinding } from '../../domain/serving.js';
import { actorName, type CallContext } from '../access/principal.js';

export type ResolvedVersions = Pick<DeploymentBinding, 'serving_version' | 'canary_version' | 'shadow_version'>;

/** The history entry recording that `d` is now bound as it is. */
export function bindingEntry(
  d: Pick<Deployment, 'id' | 'project_id' | 'model_id' | 'alias' | 'version' | 'canary' | 'shadow'>,
  change: DeploymentBinding['change'],
  versions: ResolvedVersions,
  ctx: CallContext | null,
  at: number,
  reason: string,
): DeploymentBinding {
  return {
    id: newId(),
    project_id: d.project_id,
    deployment_id: d.id,
    change,
    model_id: d.model_id,
    alias: d.alias,
    version: d.version,
    canary: d.canary,
    shadow: d.shadow,
    ...versions,
    who: ctx?.principal.user.id ?? null,
    who_name: ctx ? actorName(ctx.principal) : 'system',
    at,
    reason,
  };
}
