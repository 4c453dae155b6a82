import { GatewayError } from '../../core/errors.ts';
import anthropicMessages, {
  decodeCountTokensRequest,
  encodeCountTokensResponse,
} from '../../ingress/anthropic-messages/index.ts';
import { ESTIMATE_HEADER, estimateInputTokens, nativeCountTarget } from '../count-tokens.ts';
import { handleGeneration } from '../handle-generation.ts';
import { sendJson } from '../respond.ts';
import { headerValue, type Route, requestInfo } from '../routes.ts';

export const anthropicMessagesRoute: Route = {
  method: 'POST',
  pattern: '/v1/messages',
  errors: anthropicMessages,
  authenticated: true,
  async handle(context) {
    const body = await context.json();
    requireModel(body);
    await handleGeneration({
      runtime: context.runtime,
      request: context.request,
      response: context.response,
      record: context.startRecord('anthropic-messages', '/v1/messages'),
      ingress: anthropicMessages,
      body,
      rawBody: context.rawBody,
      model: body.model as string,
      stream: body.stream === true,
      includeUsage: true,
      operation: 'chat',
      path: '/messages',
      decode: () => anthropicMessages.decodeRequest(body, requestInfo(context)),
    });
  },
};

/** The provider's own count when it speaks Anthropic Messages; otherwise a local estimate, marked as such. */
export const anthropicCountTokensRoute: Route = {
  method: 'POST',
  pattern: '/v1/messages/count_tokens',
  errors: anthropicMessages,
  authenticated: true,
  async handle(context) {
    const body = await context.json();
    requireModel(body);
    const canonical = decodeCountTokensRequest(body);
    const resolution = context.runtime.registry.resolve(
      canonical.model,
      headerValue(context.request.headers['x-provider']),
    );
    const native = nativeCountTarget(resolution.targets, 'anthropic-messages');
    if (native) {
      await handleGeneration({
        runtime: context.runtime,
        request: context.request,
        response: context.response,
        record: context.startRecord('anthropic-messages', '/v1/messages/count_tokens'),
        ingress: anthropicMessages,
        body,
        model: `${native.provider.id}/${native.deployment.model}`,
        stream: false,
        includeUsage: false,
        operation: 'count-tokens',
        path: '/messages/count_tokens',
        decode: () => canonical,
      });
      return;
    }
    const tokens = await estimateInputTokens(canonical);
    sendJson(context.response, 200, encodeCountTokensResponse(tokens), {
      'x-request-id': context.requestId,
      [ESTIMATE_HEADER]: 'estimate',
    });
  },
};

function requireModel(body: Record<string, unknown>): void {
  if (typeof body.model !== 'string' || body.model === '') {
    throw new GatewayError('invalid_request', 'model: field required', { param: 'model' });
  }
}
