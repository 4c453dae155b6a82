// Traces, trace groups, stored Responses-API responses, runtime registry entries.
import type { Kysely } from 'kysely';
import type { StoreDialect } from '../store.ts';
import type { Migration } from './migration.ts';

// biome-ignore lint/suspicious/noExplicitAny: schema-builder over the schema as of this migration
type Db = Kysely<any>;

async function createTraces(db: Db, json: 'jsonb' | 'text'): Promise<void> {
  await db.schema
    .createTable('traces')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('trace_group_id', 'text')
    .addColumn('key_id', 'text')
    .addColumn('project_id', 'text')
    .addColumn('client_protocol', 'text', (c) => c.notNull())
    .addColumn('endpoint', 'text', (c) => c.notNull())
    .addColumn('requested_model', 'text')
    .addColumn('resolved_model', 'text')
    .addColumn('provider', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('http_status', 'integer', (c) => c.notNull())
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('stream', 'boolean', (c) => c.notNull())
    .addColumn('finish_reason', 'text')
    .addColumn('input_tokens', 'bigint', (c) => c.notNull())
    .addColumn('output_tokens', 'bigint', (c) => c.notNull())
    .addColumn('cache_read_tokens', 'bigint')
    .addColumn('cache_write_tokens', 'bigint')
    .addColumn('reasoning_tokens', 'bigint')
    .addColumn('usage_estimated', 'boolean', (c) => c.notNull())
    .addColumn('cost_usd', 'double precision')
    .addColumn('latency_ms', 'integer', (c) => c.notNull())
    .addColumn('ttft_ms', 'integer')
    .addColumn('warnings', json, (c) => c.notNull())
    .addColumn('attempts', json, (c) => c.notNull())
    .addColumn('route', json)
    .addColumn('request_body', 'text')
    .addColumn('response_body', 'text')
    .addColumn('payload_expires_at', 'bigint')
    .addColumn('record_expires_at', 'bigint')
    .execute();
  const indexes: Array<[string, string[]]> = [
    ['traces_created_at', ['created_at', 'id']],
    ['traces_key_created_at', ['key_id', 'created_at']],
    ['traces_project_created_at', ['project_id', 'created_at']],
    ['traces_model_created_at', ['resolved_model', 'created_at']],
    ['traces_group', ['trace_group_id', 'created_at']],
    ['traces_payload_expires_at', ['payload_expires_at']],
    ['traces_record_expires_at', ['record_expires_at']],
  ];
  for (const [name, columns] of indexes) {
    await db.schema.createIndex(name).on('traces').columns(columns).execute();
  }
}

async function createOthers(db: Db, json: 'jsonb' | 'text'): Promise<void> {
  await db.schema
    .createTable('trace_groups')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('metadata', json, (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('completed_at', 'bigint')
    .execute();
  await db.schema
    .createTable('responses')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('body', json, (c) => c.notNull())
    .addColumn('input_items', json, (c) => c.notNull())
    .addColumn('previous_response_id', 'text')
    .addColumn('expires_at', 'bigint')
    .execute();
  await db.schema.createIndex('responses_expires_at').on('responses').column('expires_at').execute();
  await db.schema
    .createTable('registry_entries')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('entry', json, (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export const migration: Migration = {
  id: '0001_init',
  async up(db: Db, dialect: StoreDialect): Promise<void> {
    const json = dialect === 'postgres' ? 'jsonb' : 'text';
    await createTraces(db, json);
    await createOthers(db, json);
  },
};
