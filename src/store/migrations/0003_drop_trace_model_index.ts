import type { Migration } from './migration.ts';

/**
 * `traces_model_created_at` (resolved_model, created_at) served no query: the model filter matches
 * `resolved_model = ? OR requested_model = ?`, and with no index on requested_model neither SQLite nor
 * PostgreSQL can use it for that OR, so listings walk `traces_created_at` instead (the plans are the same
 * with and without it). Every trace insert still updated it: one B-tree more per row, 6.2–6.6 instead of
 * 7.1–7.4 µs per row on SQLite (100-row transactions).
 */
export const migration: Migration = {
  id: '0003_drop_trace_model_index',
  async up(db) {
    await db.schema.dropIndex('traces_model_created_at').ifExists().execute();
  },
};
