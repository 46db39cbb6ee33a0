/**
 * Recognises a unique-constraint violation from either driver: PostgreSQL's
 * SQLSTATE 23505 or SQLite's SQLITE_CONSTRAINT with a UNIQUE/PRIMARY KEY message.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (code === '23505') return true;
  return code === 'SQLITE_CONSTRAINT' && typeof message === 'string' && /UNIQUE|PRIMARY KEY/.test(message);
}
