import type { Message } from '../../core/canonical.ts';
import { GatewayError } from '../../core/errors.ts';
import openAIResponses, {
  decodeInputTokensRequest,
  encodeInputTokensResponse,
  prependHistory,
  referencedResponseIds,
  resolveItemReferences,
  responseToMessages,
} from '../../ingress/openai-responses/index.ts';
import type { Store } from '../../store/store.ts';
import { ESTIMATE_HEADER, estimateInputTokens } from '../count-tokens.ts';
import { handleGeneration } from '../handle-generation.ts';
import { sendJson } from '../respond.ts';
import { type Route, type RouteContext, requestInfo } from '../routes.ts';

/** Writes of stored responses still in flight, so a follow-up request never races its predecessor. */
const pendingWrites = new Map<string, Promise<void>>();

export const createResponseRoute: Route = {
  method: 'POST',
  pattern: '/v1/responses',
  errors: openAIResponses,
  authenticated: true,
  async handle(context) {
    const body = await context.json();
    const store = requireStore(context);
    await resolveReferences(store, body);
    const decoded = openAIResponses.decodeRequest(body, requestInfo(context));
    const previousId = typeof body.previous_response_id === 'string' ? body.previous_response_id : undefined;
    const history = previousId ? await conversationOf(store, previousId) : [];
    const canonical = history.length ? prependHistory(decoded, history) : decoded;
    const newInput = decoded.messages.filter(
      (message) => message.role !== 'system' && message.role !== 'developer',
    );
    const keep = body.store !== false;
    await handleGeneration({
      runtime: context.runtime,
      request: context.request,
      response: context.response,
      record: context.startRecord('openai-responses', '/v1/responses'),
      ingress: openAIResponses,
      body,
      model: decoded.model,
      stream: decoded.stream,
      includeUsage: true,
      operation: 'chat',
      path: '/responses',
      decode: () => canonical,
      onCanonicalResponse: keep
        ? (response) => {
            const encoded = openAIResponses.encodeResponse(response, {
              requestId: context.requestId,
              requestedModel: decoded.model,
              request: canonical,
            }) as { id: string; created_at?: number };
            const write = store
              .putResponse({
                id: encoded.id,
                createdAt: Date.now(),
                body: encoded,
                inputItems: [...history, ...newInput],
                previousResponseId: previousId ?? null,
                expiresAt: null,
              })
              .catch((error: unknown) =>
                context.runtime.logger.warn({ err: error }, 'storing response failed'),
              )
              .finally(() => pendingWrites.delete(encoded.id));
            pendingWrites.set(encoded.id, write);
          }
        : undefined,
    });
  },
};

export const getResponseRoute: Route = {
  method: 'GET',
  pattern: '/v1/responses/:id',
  errors: openAIResponses,
  authenticated: true,
  async handle(context) {
    const stored = await loadResponse(requireStore(context), context.params.id);
    sendJson(context.response, 200, stored.body, { 'x-request-id': context.requestId });
  },
};

export const deleteResponseRoute: Route = {
  method: 'DELETE',
  pattern: '/v1/responses/:id',
  errors: openAIResponses,
  authenticated: true,
  async handle(context) {
    const id = context.params.id;
    await pendingWrites.get(id);
    if (!(await requireStore(context).deleteResponse(id))) throw responseNotFound(id);
    sendJson(
      context.response,
      200,
      { id, object: 'response', deleted: true },
      { 'x-request-id': context.requestId },
    );
  },
};

/** No provider exposes a Responses token count, so this is always a local estimate, marked as such. */
export const responseInputTokensRoute: Route = {
  method: 'POST',
  pattern: '/v1/responses/input_tokens',
  errors: openAIResponses,
  authenticated: true,
  async handle(context) {
    const body = await context.json();
    await resolveReferences(requireStore(context), body);
    const decoded = decodeInputTokensRequest(body, requestInfo(context));
    const previousId = typeof body.previous_response_id === 'string' ? body.previous_response_id : undefined;
    const history = previousId ? await conversationOf(requireStore(context), previousId) : [];
    const tokens = await estimateInputTokens(history.length ? prependHistory(decoded, history) : decoded);
    sendJson(context.response, 200, encodeInputTokensResponse(tokens), {
      'x-request-id': context.requestId,
      [ESTIMATE_HEADER]: 'estimate',
    });
  },
};

/** Replaces `item_reference` input items with the stored output items they name (clients that keep `store` on). */
async function resolveReferences(store: Store, body: Record<string, unknown>): Promise<void> {
  const ids = referencedResponseIds(body.input);
  if (ids.length === 0) return;
  const stored = await Promise.all(
    ids.map(async (id) => {
      await pendingWrites.get(id);
      return (await store.getResponse(id))?.body;
    }),
  );
  body.input = resolveItemReferences(body.input, stored);
}

/** The whole conversation up to and including a stored response, so it can continue on any provider. */
async function conversationOf(store: Store, id: string): Promise<Message[]> {
  const stored = await loadResponse(store, id);
  return [...(stored.inputItems as Message[]), ...responseToMessages(stored.body)];
}

async function loadResponse(store: Store, id: string) {
  await pendingWrites.get(id);
  const stored = await store.getResponse(id);
  if (!stored) throw responseNotFound(id);
  return stored;
}

function responseNotFound(id: string): GatewayError {
  return new GatewayError('not_found', `Response with id '${id}' not found.`, {
    param: 'previous_response_id',
    upstreamType: 'invalid_request_error',
  });
}

function requireStore(context: RouteContext): Store {
  const store = context.runtime.store;
  if (!store) throw new GatewayError('internal', 'The store is not open');
  return store;
}
