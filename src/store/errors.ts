// Telling a record the database refuses apart from a database that is unavailable.

/** SQLite primary result codes that mean "this data", not "this database": TOOBIG, CONSTRAINT, MISMATCH, RANGE. */
const SQLITE_DATA_CODES = new Set([18, 19, 20, 25]);

/**
 * True when the database answered and refused the values (PostgreSQL SQLSTATE class 22 data exception or
 * 23 integrity violation; the SQLite equivalents). Retrying the same values will fail again. Any other error
 * (connection lost, server shutting down, locked, disk, missing table) may pass and is treated as transient.
 */
export function isDataError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, errcode } = error as { code?: unknown; errcode?: unknown };
  if (code === 'ERR_SQLITE_ERROR' && typeof errcode === 'number')
    return SQLITE_DATA_CODES.has(errcode & 0xff);
  return typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code);
}
