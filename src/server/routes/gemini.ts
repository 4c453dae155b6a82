import { GatewayError } from '../../core/errors.ts';
import geminiIngress, {
  decodeCountTokensRequest,
  encodeCountTokensResponse,
  encodeJsonArrayStream,
  parseGeminiPath,
} from '../../ingress/gemini/index.ts';
import { ESTIMATE_HEADER, estimateInputTokens, nativeCountTarget } from '../count-tokens.ts';
import { handleGeneration } from '../handle-generation.ts';
import { sendJson } from '../respond.ts';
import { type Route, type RouteContext, requestInfo } from '../routes.ts';

/** Without `alt=sse`, streamGenerateContent answers a streamed JSON array; that form is always re-encoded. */
const jsonArrayIngress = { ...geminiIngress, encodeStream: encodeJsonArrayStream, passthrough: undefined };

export const geminiRoute: Route = {
  method: 'POST',
  pattern: '/v1beta/*resource',
  errors: geminiIngress,
  authenticated: true,
  async handle(context) {
    const path = context.url.pathname;
    const { model, method } = parseGeminiPath(path);
    if (method === 'countTokens') return countTokens(context, model, path);
    if (method !== 'generateContent' && method !== 'streamGenerateContent') {
      throw new GatewayError('not_found', `Method ${method} is not supported`, { status: 404 });
    }
    const body = await context.json();
    const stream = method === 'streamGenerateContent';
    const sse = context.url.searchParams.get('alt') === 'sse';
    const ingress = stream && !sse ? jsonArrayIngress : geminiIngress;
    await handleGeneration({
      runtime: context.runtime,
      request: context.request,
      response: context.response,
      record: context.startRecord('gemini', `:${method}`),
      ingress,
      body,
      rawBody: context.rawBody,
      model,
      stream,
      includeUsage: true,
      operation: 'chat',
      path: `:${method}`,
      query: context.url.searchParams,
      streamContentType: stream && !sse ? 'application/json' : undefined,
      decode: () => geminiIngress.decodeRequest(body, requestInfo(context)),
    });
  },
};

async function countTokens(context: RouteContext, model: string, path: string): Promise<void> {
  const body = await context.json();
  const canonical = decodeCountTokensRequest(body, path);
  const resolution = context.runtime.registry.resolve(model);
  const native = nativeCountTarget(resolution.targets, 'gemini');
  if (native) {
    await handleGeneration({
      runtime: context.runtime,
      request: context.request,
      response: context.response,
      record: context.startRecord('gemini', ':countTokens'),
      ingress: geminiIngress,
      body,
      model: `${native.provider.id}/${native.deployment.model}`,
      stream: false,
      includeUsage: false,
      operation: 'count-tokens',
      path: ':countTokens',
      query: context.url.searchParams,
      decode: () => canonical,
    });
    return;
  }
  const tokens = await estimateInputTokens(canonical);
  sendJson(context.response, 200, encodeCountTokensResponse(tokens), {
    'x-request-id': context.requestId,
    [ESTIMATE_HEADER]: 'estimate',
  });
}
