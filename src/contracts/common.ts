// Schemas shared by many endpoints: names, pagination, errors.
import { z } from 'zod';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../domain/pagination.js';
import { NAME_PATTERN, NAME_RULE } from '../domain/names.js';

export const Name = z.string().regex(NAME_PATTERN, NAME_RULE);
export const EpochMs = z.number().int();

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT).optional(),
  cursor: z.string().max(200).optional(),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), next_cursor: z.string().nullable() });
}

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }),
});

export const Ok = z.object({ ok: z.literal(true) });

export const ProjectParams = z.object({ project: z.string().min(1).max(100) });
