import openAIChat from '../../ingress/openai-chat/index.ts';
import { sendJson } from '../respond.ts';
import type { Route } from '../routes.ts';

export const healthRoute: Route = {
  method: 'GET',
  pattern: '/health',
  errors: openAIChat,
  authenticated: false,
  handle(context) {
    sendJson(context.response, 200, { status: 'ok' });
  },
};

export const readyRoute: Route = {
  method: 'GET',
  pattern: '/ready',
  errors: openAIChat,
  authenticated: false,
  async handle(context) {
    const runtime = context.runtime;
    const failures: string[] = [];
    for (const check of runtime.readinessChecks) {
      await check().catch((error: Error) => failures.push(error.message));
    }
    const providers = runtime.registry.providers.size;
    const ready = failures.length === 0 && !context.runtime.shuttingDown;
    sendJson(context.response, ready ? 200 : 503, {
      status: ready ? 'ready' : 'not_ready',
      providers,
      models: runtime.registry.modelEntries().length,
      ...(failures.length && { failures }),
      ...(context.runtime.shuttingDown && { reason: 'shutting down' }),
    });
  },
};
