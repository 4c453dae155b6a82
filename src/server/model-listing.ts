import type { Deployment, Price } from '../core/adapters.ts';
import type { Runtime } from './runtime.ts';

export interface ModelCard {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
  provider: string;
  context_window: number | null;
  pricing: PricingCard | null;
  deployments: DeploymentCard[];
}

interface PricingCard {
  currency: 'USD';
  unit: 'per_million_tokens';
  input?: number;
  output?: number;
  cache_read?: number;
  cache_write?: number;
}

interface DeploymentCard {
  provider: string;
  model: string;
  context_window: number | null;
  pricing: PricingCard | null;
  weight?: number;
}

/** The models reachable now: configured aggregates with at least one active deployment, in OpenAI's list shape. */
export function listModels(runtime: Runtime): ModelCard[] {
  const cards: ModelCard[] = [];
  for (const entry of runtime.registry.modelEntries()) {
    const card = describeModel(runtime, entry.id);
    if (card) cards.push(card);
  }
  for (const card of runtime.catalogModels?.() ?? []) {
    if (!cards.some((existing) => existing.id === card.id)) cards.push(card);
  }
  return cards;
}

export function describeModel(runtime: Runtime, id: string): ModelCard | undefined {
  const entry = runtime.registry.getModel(id);
  if (!entry) return runtime.catalogModels?.().find((card) => card.id === id);
  const active = entry.deployments.filter((deployment) =>
    runtime.registry.providers.has(deployment.provider),
  );
  if (active.length === 0) return undefined;
  const deployments = active.map((deployment) => deploymentCard(runtime, deployment));
  return {
    id: entry.id,
    object: 'model',
    created: 0,
    owned_by: deployments[0].provider,
    provider: deployments[0].provider,
    context_window: deployments[0].context_window,
    pricing: deployments[0].pricing,
    deployments,
  };
}

function deploymentCard(runtime: Runtime, deployment: Deployment): DeploymentCard {
  const known = runtime.lookupModelInfo?.(deployment.provider, deployment.model);
  const price = { ...known?.price, ...definedOnly(deployment.price) };
  return {
    provider: deployment.provider,
    model: deployment.model,
    context_window: deployment.contextWindow ?? known?.contextWindow ?? null,
    pricing: pricingCard(price),
    ...(deployment.weight !== undefined && { weight: deployment.weight }),
  };
}

function definedOnly(price: Price | undefined): Price {
  if (!price) return {};
  return Object.fromEntries(Object.entries(price).filter(([, value]) => value !== undefined)) as Price;
}

export function pricingCard(price: Price): PricingCard | null {
  if (Object.keys(price).length === 0) return null;
  return {
    currency: 'USD',
    unit: 'per_million_tokens',
    ...(price.input !== undefined && { input: price.input }),
    ...(price.output !== undefined && { output: price.output }),
    ...(price.cacheRead !== undefined && { cache_read: price.cacheRead }),
    ...(price.cacheWrite !== undefined && { cache_write: price.cacheWrite }),
  };
}
