// Recognise a unique-constraint violation from either driver (pg: 23505; better-sqlite3: SQLITE_CONSTRAINT_UNIQUE).

export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
