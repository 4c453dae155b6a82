// Kysely table types. Reads differ by dialect: SQLite returns booleans as 0/1 and JSON as text,
// PostgreSQL returns booleans and parsed jsonb; row-mapping.ts normalises both.
import type { ColumnType } from 'kysely';

/** written as JSON text; read back as text (SQLite) or a parsed value (PostgreSQL jsonb) */
type Json = ColumnType<unknown, string, string>;
type NullableJson = ColumnType<unknown, string | null, string | null>;
type Bool = ColumnType<boolean | number, boolean, boolean>;

export interface TracesTable {
  id: string;
  created_at: number;
  trace_group_id: string | null;
  key_id: string | null;
  project_id: string | null;
  client_protocol: string;
  endpoint: string;
  requested_model: string | null;
  resolved_model: string | null;
  provider: string | null;
  status: string;
  http_status: number;
  error_code: string | null;
  error_message: string | null;
  stream: Bool;
  finish_reason: string | null;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number | null;
  cache_write_tokens: number | null;
  reasoning_tokens: number | null;
  usage_estimated: Bool;
  cost_usd: number | null;
  latency_ms: number;
  ttft_ms: number | null;
  warnings: Json;
  attempts: Json;
  route: NullableJson;
  request_body: string | null;
  response_body: string | null;
  payload_expires_at: number | null;
  record_expires_at: number | null;
}

export interface TraceGroupsTable {
  id: string;
  name: string;
  status: string;
  metadata: Json;
  created_at: number;
  completed_at: number | null;
}

export interface ResponsesTable {
  id: string;
  created_at: number;
  body: Json;
  input_items: Json;
  previous_response_id: string | null;
  expires_at: number | null;
}

export interface RegistryEntriesTable {
  id: string;
  entry: Json;
  updated_at: number;
}

export interface MigrationsTable {
  id: string;
  applied_at: number;
}

export interface Database {
  traces: TracesTable;
  trace_groups: TraceGroupsTable;
  responses: ResponsesTable;
  registry_entries: RegistryEntriesTable;
  switchyard_migrations: MigrationsTable;
}
