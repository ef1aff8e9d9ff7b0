// What a run ran on, kept as run tags so MLflow clients see it too: the code version (git commit
// and whether the checkout had uncommitted changes), Node version, host, the data version's
// content hash and the seed. MLflow clients send `mlflow.source.git.commit` themselves.
export const CONTEXT_TAGS = {
  git_commit: 'mlflow.source.git.commit',
  git_dirty: 'flywheel.git.dirty',
  node_version: 'flywheel.node_version',
  host: 'flywheel.host',
  data_version_hash: 'flywheel.data_version_hash',
} as const;

/** Where a run's process ran (captured by whoever starts the training). */
export interface HostContext {
  git_commit: string | null;
  git_dirty: boolean | null;
  node_version: string;
  host: string;
}

export interface RunContext {
  code_version: string | null;
  git_commit: string | null;
  git_dirty: boolean | null;
  node_version: string | null;
  host: string | null;
  data_version_id: string | null;
  data_version_hash: string | null;
  seed: number | null;
}

/** The tags that record a host context and a data version hash (absent parts left out). */
export function contextTags(host: Partial<HostContext>, dataVersionHash?: string | null): Record<string, string> {
  const tags: Record<string, string> = {};
  if (host.git_commit) tags[CONTEXT_TAGS.git_commit] = host.git_commit;
  if (host.git_dirty !== undefined && host.git_dirty !== null) tags[CONTEXT_TAGS.git_dirty] = String(host.git_dirty);
  if (host.node_version) tags[CONTEXT_TAGS.node_version] = host.node_version;
  if (host.host) tags[CONTEXT_TAGS.host] = host.host;
  if (dataVersionHash) tags[CONTEXT_TAGS.data_version_hash] = dataVersionHash;
  return tags;
}

/** A commit with `-dirty` when the checkout had changes, e.g. `3f2a9c1d4e5b-dirty`. */
export function codeVersionOf(commit: string | null | undefined, dirty: boolean | null | undefined): string | null {
  if (!commit) return null;
  return dirty ? `${commit}-dirty` : commit;
}

/**
 * A run's context from its columns and tags; the seed falls back to a `seed` or `random_state`
 * param (what MLflow scripts log), e.g. runContextOf({ code_version: null, seed: null,
 * dataset_version_id: null, params: { seed: '7' }, tags: {} }).seed === 7.
 */
export function runContextOf(run: {
  code_version: string | null;
  seed: number | null;
  dataset_version_id: string | null;
  params: Record<string, string>;
  tags: Record<string, string>;
}): RunContext {
  const t = run.tags;
  const dirty = t[CONTEXT_TAGS.git_dirty];
  const seedParam = run.params.seed ?? run.params.random_state;
  const seed = run.seed ?? (seedParam !== undefined && /^-?\d+$/.test(seedParam) ? Number(seedParam) : null);
  return {
    code_version: run.code_version,
    git_commit: t[CONTEXT_TAGS.git_commit] ?? null,
    git_dirty: dirty === undefined ? null : dirty === 'true',
    node_version: t[CONTEXT_TAGS.node_version] ?? null,
    host: t[CONTEXT_TAGS.host] ?? null,
    data_version_id: run.dataset_version_id,
    data_version_hash: t[CONTEXT_TAGS.data_version_hash] ?? null,
    seed,
  };
}
