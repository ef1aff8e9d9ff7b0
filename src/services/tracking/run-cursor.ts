// Opaque page tokens of a run search: the last run's sort values (keyset pagination), bound to the
// search they came from so a token is not replayed against another filter or order.
import { ValidationError } from '../../domain/errors.js';
import type { SortKey } from '../../domain/run-search.js';

type Wire = string | number | { n: 'NaN' | 'Infinity' | '-Infinity' };

/** FNV-1a of the search (filter and order) a token belongs to. */
export function searchFingerprint(parts: unknown): string {
  let h = 0x811c9dc5;
  for (const c of JSON.stringify(parts)) {
    h ^= c.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}

export function encodeRunCursor(key: SortKey, fingerprint: string): string {
  const k: Wire[] = key.map((v) => (typeof v === 'number' && !Number.isFinite(v) ? { n: Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity' } : v));
  return Buffer.from(JSON.stringify({ k, f: fingerprint }), 'utf8').toString('base64url');
}

/** The sort values of a token; a token of another search, or not a token, is refused. */
export function decodeRunCursor(token: string, fingerprint: string, field = 'page_token'): SortKey {
  const bad = (why: string) => new ValidationError(`invalid ${field} '${token.slice(0, 40)}': ${why}`, { field });
  let parsed: { k?: unknown; f?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { k?: unknown; f?: unknown };
  } catch {
    throw bad('not a page token of this API');
  }
  if (parsed === null || typeof parsed !== 'object' || !Array.isArray(parsed.k)) throw bad('not a page token of this API');
  if (parsed.f !== fingerprint) throw bad('it belongs to a search with another filter or order');
  if (parsed.k.length > 64) throw bad('too many sort values');
  return parsed.k.map((v: unknown) => {
    if (typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) return v;
    if (v && typeof v === 'object' && 'n' in v) {
      const n = (v as { n: unknown }).n;
      if (n === 'NaN' || n === 'Infinity' || n === '-Infinity') return Number(n);
    }
    throw bad('a sort value is malformed');
  });
}
