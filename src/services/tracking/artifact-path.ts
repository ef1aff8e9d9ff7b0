// Artifact paths inside a run: relative, '/'-separated, and never able to escape the run —
// no '..' or '.', no absolute paths, backslashes, NUL or empty segments.
import { ValidationError } from '../../domain/errors.js';

const MAX_PATH = 1000;

/** The validated path (required: a file's path). */
export function artifactPath(raw: string, field = 'path'): string {
  const bad = (why: string) => new ValidationError(`Invalid artifact path ${JSON.stringify(raw)}: ${why}`, { field });
  if (raw === '') throw bad('it is empty');
  if (raw.length > MAX_PATH) throw bad(`it is longer than ${MAX_PATH} characters`);
  if (raw.includes('\0')) throw bad('it contains a NUL character');
  if (raw.includes('\\')) throw bad('it contains a backslash');
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) throw bad('it is absolute');
  for (const segment of raw.split('/')) {
    if (segment === '') throw bad('it has an empty segment');
    if (segment === '..' || segment === '.') throw bad(`it has a '${segment}' segment`);
  }
  return raw;
}

/** A directory to list: absent or empty means the run's artifact root (''). */
export function artifactDir(raw: string | undefined, field = 'path'): string {
  if (raw === undefined || raw === '') return '';
  return artifactPath(raw.replace(/\/+$/, '') || raw, field);
}
