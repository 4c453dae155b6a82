// POST /v1/embeddings: OpenAI's embeddings request, passed through to OpenAI-compatible providers (and Azure)
// with only the model and auth changed. A provider without an OpenAI-style embeddings endpoint is a 422
// naming the provider and the operation, never a silent reroute to another model.
import type { Target } from '../../core/adapters.ts';
import { GatewayError } from '../../core/errors.ts';
import openAIChat from '../../ingress/openai-chat/index.ts';
import { adapterFor } from '../../providers/registry.ts';
import { handleGeneration } from '../handle-generation.ts';
import type { Route, RouteContext } from '../routes.ts';

const OPERATION = 'embeddings';

export const embeddingsRoute: Route = {
  method: 'POST',
  pattern: '/v1/embeddings',
  errors: openAIChat,
  authenticated: true,
  handle: (context) => handleEmbeddings(context),
};

async function handleEmbeddings(context: RouteContext): Promise<void> {
  const body = await context.json();
  validateEmbeddingsBody(body);
  const model = body.model as string;
  const record = context.startRecord('openai-chat', context.path);
  record.requestedModel = model;
  const forced = headerValue(context.request.headers['x-provider']);
  const resolution = context.runtime.registry.resolve(model, forced);
  const served = resolution.targets.filter(servesOpenAIEmbeddings);
  if (served.length === 0) throw unsupported(resolution.targets);
  await handleGeneration({
    runtime: context.runtime,
    request: context.request,
    response: context.response,
    record,
    ingress: openAIChat,
    body,
    rawBody: context.rawBody,
    model,
    stream: false,
    includeUsage: false,
    operation: OPERATION,
    path: '/embeddings',
    // Reached only for a deployment of a mixed aggregate whose provider cannot take the body as it is
    // (e.g. Gemini's own embedContent); retryable so the executor moves on to the next deployment.
    decode: () => {
      throw new GatewayError(
        'unsupported_operation',
        'This deployment does not serve OpenAI-style embeddings',
        { retryable: true, details: { operation: OPERATION } },
      );
    },
  });
}

/** Same wire protocol (the body goes as it is) and the provider has an embeddings endpoint. */
function servesOpenAIEmbeddings(target: Target): boolean {
  const adapter = adapterFor(target.provider);
  return (
    adapter.operations.has(OPERATION) &&
    adapter.wireProtocol === openAIChat.protocol &&
    adapter.buildPassthroughRequest !== undefined
  );
}

function unsupported(targets: Target[]): GatewayError {
  const providers = [...new Set(targets.map((target) => target.provider.id))].join(', ');
  return new GatewayError(
    'unsupported_operation',
    `Provider ${providers} does not support ${OPERATION} through POST /v1/embeddings`,
    { param: 'model', details: { provider: providers, operation: OPERATION } },
  );
}

function validateEmbeddingsBody(body: Record<string, unknown>): void {
  if (typeof body.model !== 'string' || body.model === '') {
    throw new GatewayError('invalid_request', 'you must provide a model parameter', { param: 'model' });
  }
  const input = body.input;
  const valid =
    typeof input === 'string' ||
    (Array.isArray(input) &&
      input.length > 0 &&
      input.every((item) => typeof item === 'string' || typeof item === 'number' || Array.isArray(item)));
  if (!valid) {
    throw new GatewayError(
      'invalid_request',
      "'input' must be a string, an array of strings, or an array of token arrays",
      { param: 'input' },
    );
  }
  if (body.stream !== undefined && body.stream !== false) {
    throw new GatewayError('invalid_request', 'embeddings cannot be streamed', { param: 'stream' });
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  const single = Array.isArray(value) ? value[0] : value;
  return single?.trim() || undefined;
}
