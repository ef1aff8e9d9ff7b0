// Turning thrown errors into what a person reads: the server's message and per-field messages.
import { AppError } from '../../src/domain/errors.js';

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

export function errorCode(err: unknown): string | undefined {
  return err instanceof AppError ? err.code : undefined;
}

function fieldName(path: unknown): string | undefined {
  const parts = Array.isArray(path) ? path.map(String) : typeof path === 'string' ? path.split('.') : [];
  const kept = parts[0] === 'body' || parts[0] === 'query' || parts[0] === 'params' ? parts.slice(1) : parts;
  return kept.length ? kept.join('.') : undefined;
}

/**
 * Per-field messages from an error's details, keyed by body field name. Understands
 * `{ issues: [{ path | field, message }] }`, `{ fields: { name: msg } }` and `{ field, message? }`.
 * Example: a 400 with details `{ field: 'body.name' }` gives `{ name: '<the error message>' }`.
 */
export function fieldErrors(err: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(err instanceof AppError) || !err.details) return out;
  const d = err.details;
  if (Array.isArray(d.issues)) {
    for (const issue of d.issues as { path?: unknown; field?: unknown; message?: unknown }[]) {
      const n = fieldName(issue?.path ?? issue?.field);
      if (n && !out[n]) out[n] = String(issue.message ?? err.message);
    }
  }
  if (d.fields && typeof d.fields === 'object') {
    for (const [k, v] of Object.entries(d.fields as Record<string, unknown>)) out[fieldName(k) ?? k] ??= String(v);
  }
  const name = fieldName(d.field);
  if (name && !out[name]) out[name] = typeof d.message === 'string' ? d.message : err.message;
  return out;
}
