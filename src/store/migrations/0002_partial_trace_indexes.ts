import { sql } from 'kysely';
import type { Migration } from './migration.ts';

/**
 * Indexes on columns that are mostly NULL (no key, no project, no group, no payload kept) only hold the
 * rows that have a value: every trace insert then updates fewer B-trees. Lookups compare the column with
 * `=`/`<`, which implies NOT NULL, so both SQLite and PostgreSQL still use them.
 */
const PARTIAL: ReadonlyArray<[name: string, columns: string[], column: string]> = [
  ['traces_key_created_at', ['key_id', 'created_at'], 'key_id'],
  ['traces_project_created_at', ['project_id', 'created_at'], 'project_id'],
  ['traces_group', ['trace_group_id', 'created_at'], 'trace_group_id'],
  ['traces_payload_expires_at', ['payload_expires_at'], 'payload_expires_at'],
  ['traces_record_expires_at', ['record_expires_at'], 'record_expires_at'],
];

export const migration: Migration = {
  id: '0002_partial_trace_indexes',
  async up(db) {
    for (const [name, columns, column] of PARTIAL) {
      await db.schema.dropIndex(name).execute();
      await db.schema
        .createIndex(name)
        .on('traces')
        .columns(columns)
        .where(sql.ref(column), 'is not', null)
        .execute();
    }
  },
};
