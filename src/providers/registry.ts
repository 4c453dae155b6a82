import type {
  ProviderAdapter,
  ProviderConfigEntry,
  ProviderInstance,
  ProviderModule,
} from '../core/adapters.ts';
import anthropic from './anthropic/index.ts';
import azure from './azure/index.ts';
import bedrock from './bedrock/index.ts';
import cohere from './cohere/index.ts';
import gemini from './gemini/index.ts';
import openAICompatible from './openai-compatible/index.ts';
import vertex from './vertex/index.ts';

/** Every provider module; adding a provider is one folder plus one line here. */
export const PROVIDER_MODULES: readonly ProviderModule[] = [
  openAICompatible,
  anthropic,
  gemini,
  vertex,
  azure,
  cohere,
  bedrock,
];

const ADAPTERS = new Map<string, ProviderAdapter>(
  PROVIDER_MODULES.map((module) => [module.adapter.type, module.adapter]),
);

export function adapterFor(instance: ProviderInstance): ProviderAdapter {
  const adapter = ADAPTERS.get(instance.type);
  if (!adapter) throw new Error(`no adapter for provider type ${instance.type}`);
  return adapter;
}

/** Every name usable as a provider `type` in config (adapter types and presets). */
export function knownProviderTypes(): Set<string> {
  return new Set(PROVIDER_MODULES.flatMap((module) => module.types));
}

/**
 * The active provider instances: configured ones first, then those activated by environment
 * variables that the config does not already define under the same id.
 */
export function buildProviderInstances(
  configured: Record<string, ProviderConfigEntry>,
  env: NodeJS.ProcessEnv,
): Map<string, ProviderInstance> {
  const instances = new Map<string, ProviderInstance>();
  for (const [id, entry] of Object.entries(configured)) {
    const type = entry.type ?? id;
    const module = PROVIDER_MODULES.find((candidate) => candidate.types.includes(type));
    const instance = module?.fromConfig?.(id, entry, env);
    if (!instance) throw new Error(`provider "${id}": unknown type "${type}"`);
    instances.set(id, instance);
  }
  for (const module of PROVIDER_MODULES) {
    for (const instance of module.fromEnv(env)) {
      if (!instances.has(instance.id)) instances.set(instance.id, instance);
    }
  }
  return instances;
}
