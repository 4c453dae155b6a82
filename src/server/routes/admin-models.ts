// Admin API for stored model entries: list, show, create or replace, delete. Entries take the config file's
// `models[]` shape; a write reaches this instance's registry before the reply, other instances on their
// next refresh. Errors in OpenAI's error shape.
import { isLoopback } from '../../config/settings.ts';
import { GatewayError } from '../../core/errors.ts';
import openAIChat from '../../ingress/openai-chat/index.ts';
import type { Store } from '../../store/store.ts';
import { parseModelEntryInput } from '../model-entry-input.ts';
import type { RegistrySync } from '../registry-sync.ts';
import { sendJson } from '../respond.ts';
import type { Route, RouteContext } from '../routes.ts';
import type { Runtime } from '../runtime.ts';
import {
  deleteStoredModel,
  getStoredModel,
  listStoredModels,
  putStoredModel,
  type StoredModel,
} from '../stored-models.ts';

/** An entry as the admin API and `switchyard models --json` show it. */
export function storedModelJson(model: StoredModel): Record<string, unknown> {
  const { id, ...entry } = model.entry;
  return {
    id,
    object: 'model_entry',
    ...entry,
    updated_at: new Date(model.updatedAt).toISOString(),
  };
}

/**
 * The store and its registry sync. Listening beyond loopback without a master key is refused at start;
 * this repeats the check so the admin API can never be open to the network without a key.
 */
function admin(runtime: Runtime): { store: Store; sync: RegistrySync } {
  if (!runtime.settings.masterKey && !isLoopback(runtime.settings.host)) {
    throw new GatewayError(
      'forbidden',
      'The admin API needs SWITCHYARD_MASTER_KEY when the gateway listens on a non-loopback address',
    );
  }
  if (!runtime.store || !runtime.registrySync) throw new GatewayError('internal', 'The store is not open');
  return { store: runtime.store, sync: runtime.registrySync };
}

function reply(context: RouteContext, status: number, body: unknown): void {
  sendJson(context.response, status, body, { 'x-request-id': context.requestId });
}

function missing(runtime: Runtime, id: string): GatewayError {
  const inConfig = runtime.registry.getModel(id)?.source === 'config';
  const hint = inConfig ? ' (it is defined in the config file, which the admin API does not change)' : '';
  return new GatewayError('not_found', `No stored model entry "${id}"${hint}`, { param: 'id' });
}

export const listAdminModelsRoute: Route = {
  method: 'GET',
  pattern: '/v1/admin/models',
  errors: openAIChat,
  authenticated: true,
  async handle(context) {
    const { store } = admin(context.runtime);
    const { models } = await listStoredModels(store);
    reply(context, 200, { object: 'list', data: models.map(storedModelJson) });
  },
};

export const getAdminModelRoute: Route = {
  method: 'GET',
  pattern: '/v1/admin/models/*id',
  errors: openAIChat,
  authenticated: true,
  async handle(context) {
    const { store } = admin(context.runtime);
    const model = await getStoredModel(store, context.params.id);
    if (!model) throw missing(context.runtime, context.params.id);
    reply(context, 200, storedModelJson(model));
  },
};

export const putAdminModelRoute: Route = {
  method: 'PUT',
  pattern: '/v1/admin/models/*id',
  errors: openAIChat,
  authenticated: true,
  async handle(context) {
    const { store, sync } = admin(context.runtime);
    const registry = context.runtime.registry;
    const entry = parseModelEntryInput(context.params.id, await context.json(), (provider) =>
      registry.isKnownProvider(provider),
    );
    const { model, created } = await putStoredModel(store, entry);
    await sync.refresh();
    reply(context, created ? 201 : 200, storedModelJson(model));
  },
};

export const deleteAdminModelRoute: Route = {
  method: 'DELETE',
  pattern: '/v1/admin/models/*id',
  errors: openAIChat,
  authenticated: true,
  async handle(context) {
    const { store, sync } = admin(context.runtime);
    const id = context.params.id;
    if (!(await deleteStoredModel(store, id))) throw missing(context.runtime, id);
    await sync.refresh();
    reply(context, 200, { id, object: 'model_entry', deleted: true });
  },
};
