import { decodeRequest, validateBasics } from '../../ingress/openai-chat/decode-request.ts';
import openAIChat from '../../ingress/openai-chat/index.ts';
import { handleGeneration } from '../handle-generation.ts';
import type { Route, RouteContext } from '../routes.ts';

export const chatCompletionsRoute: Route = {
  method: 'POST',
  pattern: '/v1/chat/completions',
  errors: openAIChat,
  authenticated: true,
  handle: (context) => handleChat(context),
};

/** Azure-style path: the deployment in the URL names the model, so Azure SDK users can point at Switchyard. */
export const azureChatCompletionsRoute: Route = {
  method: 'POST',
  pattern: '/openai/deployments/:deployment/chat/completions',
  errors: openAIChat,
  authenticated: true,
  handle: (context) => handleChat(context, context.params.deployment),
};

async function handleChat(context: RouteContext, modelFromPath?: string): Promise<void> {
  const body = await context.json();
  if (modelFromPath !== undefined) body.model = modelFromPath;
  validateBasics(body);
  const stream = body.stream === true;
  const options = body.stream_options as { include_usage?: boolean } | undefined;
  await handleGeneration({
    runtime: context.runtime,
    request: context.request,
    response: context.response,
    record: context.startRecord('openai-chat', context.path),
    ingress: openAIChat,
    body,
    // the Azure path wrote the deployment into the body, so the bytes no longer match it
    rawBody: modelFromPath === undefined ? context.rawBody : undefined,
    model: body.model as string,
    stream,
    includeUsage: options?.include_usage === true,
    operation: 'chat',
    path: '/chat/completions',
    decode: () => decodeRequest(body),
  });
}
