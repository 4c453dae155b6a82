import openAICompletions from '../../ingress/openai-completions/index.ts';
import { handleGeneration } from '../handle-generation.ts';
import { type Route, requestInfo } from '../routes.ts';

/** Legacy `POST /v1/completions`: prompt in, text out, translated for chat-only providers. */
export const completionsRoute: Route = {
  method: 'POST',
  pattern: '/v1/completions',
  errors: openAICompletions,
  authenticated: true,
  async handle(context) {
    const body = await context.json();
    const canonical = openAICompletions.decodeRequest(body, requestInfo(context));
    const options = body.stream_options as { include_usage?: boolean } | undefined;
    await handleGeneration({
      runtime: context.runtime,
      request: context.request,
      response: context.response,
      record: context.startRecord('openai-completions', '/v1/completions'),
      ingress: openAICompletions,
      body,
      model: canonical.model,
      stream: canonical.stream,
      includeUsage: options?.include_usage === true,
      operation: 'chat',
      path: '/completions',
      decode: () => canonical,
    });
  },
};
