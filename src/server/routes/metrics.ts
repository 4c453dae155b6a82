import openAIChat from '../../ingress/openai-chat/index.ts';
import type { Route } from '../routes.ts';

export const metricsRoute: Route = {
  method: 'GET',
  pattern: '/metrics',
  errors: openAIChat,
  authenticated: true,
  async handle(context) {
    const metrics = context.runtime.metrics;
    const body = metrics ? await metrics.render() : '';
    context.response.writeHead(200, { 'content-type': metrics?.contentType ?? 'text/plain' });
    context.response.end(body);
  },
};
