import { GatewayError } from '../../core/errors.ts';
import openAIChat from '../../ingress/openai-chat/index.ts';
import { describeModel, listModels } from '../model-listing.ts';
import { sendJson } from '../respond.ts';
import type { Route } from '../routes.ts';

export const listModelsRoute: Route = {
  method: 'GET',
  pattern: '/v1/models',
  errors: openAIChat,
  authenticated: true,
  handle(context) {
    sendJson(
      context.response,
      200,
      { object: 'list', data: listModels(context.runtime) },
      { 'x-request-id': context.requestId },
    );
  },
};

export const getModelRoute: Route = {
  method: 'GET',
  pattern: '/v1/models/*id',
  errors: openAIChat,
  authenticated: true,
  handle(context) {
    const model = describeModel(context.runtime, context.params.id);
    if (!model) {
      throw new GatewayError(
        'model_not_found',
        `The model \`${context.params.id}\` does not exist or is not reachable.`,
        {
          param: 'model',
          upstreamCode: 'model_not_found',
        },
      );
    }
    sendJson(context.response, 200, model, { 'x-request-id': context.requestId });
  },
};
