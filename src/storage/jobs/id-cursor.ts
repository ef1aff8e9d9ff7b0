// Opaque list cursors: base64url of the last id of a page.
import { ValidationError } from '../../domain/errors.js';

export function encodeIdCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

/** The id inside a cursor; a cursor that is not one of ours is a ValidationError. */
export function decodeIdCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!id || encodeIdCursor(id) !== cursor) throw new ValidationError('invalid cursor', { field: 'cursor' });
  return id;
}
