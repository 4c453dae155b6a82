// Stored responses for the OpenAI Responses API (previous_response_id chains, GET/DELETE /v1/responses/{id}).
import type { Kysely, Selectable } from 'kysely';
import { cleanText, decodeJson, encodeJson, intOrNull } from './row-mapping.ts';
import type { Database, ResponsesTable } from './schema.ts';
import type { StoreDialect, StoredResponse } from './store.ts';

function toResponse(row: Selectable<ResponsesTable>, dialect: StoreDialect): StoredResponse {
  return {
    id: row.id,
    createdAt: Number(row.created_at),
    body: decodeJson(row.body, dialect),
    inputItems: decodeJson(row.input_items, dialect) as unknown[],
    previousResponseId: row.previous_response_id,
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
  };
}

export async function putResponse(db: Kysely<Database>, response: StoredResponse): Promise<void> {
  const row = {
    id: cleanText(response.id),
    created_at: Math.round(response.createdAt),
    body: encodeJson(response.body),
    input_items: encodeJson(response.inputItems ?? []),
    previous_response_id: cleanText(response.previousResponseId),
    expires_at: intOrNull(response.expiresAt),
  };
  await db
    .insertInto('responses')
    .values(row)
    .onConflict((oc) =>
      oc.column('id').doUpdateSet({
        created_at: row.created_at,
        body: row.body,
        input_items: row.input_items,
        previous_response_id: row.previous_response_id,
        expires_at: row.expires_at,
      }),
    )
    .execute();
}

export async function getResponse(
  db: Kysely<Database>,
  dialect: StoreDialect,
  id: string,
  now: number,
): Promise<StoredResponse | undefined> {
  const row = await db
    .selectFrom('responses')
    .selectAll()
    .where('id', '=', id)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .executeTakeFirst();
  return row ? toResponse(row, dialect) : undefined;
}

export async function deleteResponse(db: Kysely<Database>, id: string): Promise<boolean> {
  const result = await db.deleteFrom('responses').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function purgeResponses(db: Kysely<Database>, now: number): Promise<number> {
  const result = await db.deleteFrom('responses').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
