// MLflow page tokens: an opaque base64 of the offset into the ordered result.
import { ValidationError } from '../../domain/errors.js';

export function decodePageToken(token: string | undefined): number {
  if (!token) return 0;
  const parsed = /^\{"offset":(\d+)\}$/.exec(Buffer.from(token, 'base64').toString('utf8'));
  if (!parsed) throw new ValidationError(`invalid page_token '${token}'`, { field: 'page_token' });
  return Number(parsed[1]);
}

export function encodePageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset }), 'utf8').toString('base64');
}

/** One page of `items` from the token's offset, and the next token when more remain. */
export function pageOf<T>(items: T[], maxResults: number, token: string | undefined): { items: T[]; next_page_token?: string } {
  const offset = decodePageToken(token);
  const page = items.slice(offset, offset + maxResults);
  return offset + maxResults < items.length ? { items: page, next_page_token: encodePageToken(offset + maxResults) } : { items: page };
}
