import { decodeRequest, validateBasics } from '../../ingress/openai-chat/decode-request.ts';
import openAIChat from '../../ingress/openai-chat/index.ts';
import { handleGeneration } from '../handle-generation.ts';
import type { Route } from '../routes.ts';

export const chatCompletionsRoute: Route = {
  method: 'POST',
  pattern: '/v1/chat/completions',
  errors: openAIChat,
  authenticated: true,
  async handle(context) {
    const body = await context.json();
    validateBasics(body);
    const stream = body.stream === true;
    const options = body.stream_options as { include_usage?: boolean } | undefined;
    await handleGeneration({
      runtime: context.runtime,
      request: context.request,
      response: context.response,
      record: context.startRecord('openai-chat', '/v1/chat/completions'),
      ingress: openAIChat,
      body,
      model: body.model as string,
      stream,
      includeUsage: options?.include_usage === true,
      operation: 'chat',
      path: '/chat/completions',
      decode: () => decodeRequest(body),
    });
  },
};
