// What a column means, guessed from its type and profile unless the rules or the dataset's
// schema say: numbers are numeric, dates timestamps, few distinct strings categorical, names
// like `id`/`*_id` with unique values ids, other strings text.
import type { ColumnProfile, ColumnType, Semantic } from '../../domain/datasets.js';

const ID_NAME = /(^|[_\-\s.])(id|uuid|key)$/i;
const MAX_CATEGORIES = 50;

export function guessSemantic(name: string, type: ColumnType, profile: ColumnProfile): Semantic {
  const nonNull = profile.count - profile.nulls;
  if (ID_NAME.test(name) && (type === 'integer' || type === 'string') && profile.unique) return 'id';
  if (type === 'integer' || type === 'double') return 'numeric';
  if (type === 'date' || type === 'timestamp') return 'timestamp';
  if (type === 'boolean') return 'categorical';
  if (profile.distinct <= MAX_CATEGORIES || profile.distinct <= nonNull * 0.05) return 'categorical';
  return 'text';
}
