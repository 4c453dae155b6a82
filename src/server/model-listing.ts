import type { Deployment, Price } from '../core/adapters.ts';
import { GatewayError } from '../core/errors.ts';
import type { Candidate } from '../routing/candidate.ts';
import { KNOWN_MODELS } from '../routing/known-models.ts';
import type { AggregateView, RoutedDeployment } from '../routing/model-registry.ts';
import { type Scored, scoreCandidates } from '../routing/score.ts';
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
  /** where the model's deployments come from: config, the built-in table, a pinned or inferred provider */
  source?: string;
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
  /** the provider is configured or activated (only `GET /v1/models/{id}` lists inactive ones) */
  active?: boolean;
  capabilities?: { tools?: boolean; images?: boolean; json_schema?: boolean };
  /** live health as ranking sees it (priors until traffic is measured) */
  stats?: DeploymentStats;
}

interface DeploymentStats {
  score: number;
  ttft_ms: number;
  tokens_per_second: number;
  uptime: number;
  samples: number;
  breaker: 'closed' | 'open' | 'half-open';
  /** ISO time the breaker closes again (open only) */
  cooling_until?: string;
}

/** The models reachable now: configured aggregates, built-in aggregates and catalog models of active providers. */
export function listModels(runtime: Runtime): ModelCard[] {
  const cards: ModelCard[] = [];
  const seen = new Set<string>();
  const add = (card: ModelCard | undefined) => {
    if (!card || seen.has(card.id)) return;
    seen.add(card.id);
    cards.push(card);
  };
  for (const entry of runtime.registry.modelEntries()) add(aggregateCard(runtime, entry, false));
  const builtin = runtime.registry.builtinAggregates(KNOWN_MODELS.map((model) => model.id));
  for (const view of builtin) add(aggregateCard(runtime, view, false));
  for (const card of runtime.catalogModels?.() ?? []) add(card);
  return cards;
}

/** One model with every deployment and its live stats: an aggregate, a catalog model, or whatever the id routes to. */
export function describeModel(runtime: Runtime, id: string): ModelCard | undefined {
  const view = runtime.registry.aggregate(id);
  if (view) return aggregateCard(runtime, view, true);
  const catalog = runtime.catalogModels?.().find((card) => card.id === id);
  const resolved = tryResolve(runtime, id);
  if (!resolved) return catalog;
  const scored = scoreCandidates(
    resolved.candidates,
    runtime.router.health,
    runtime.router.settings.weights,
    Date.now(),
  );
  const deployments = scored.map((entry) => ({
    ...deploymentCard(runtime, entry.candidate.target.deployment),
    active: true,
    stats: statsOf(runtime, entry),
  }));
  const base = catalog ?? {
    id,
    object: 'model' as const,
    created: 0,
    owned_by: deployments[0].provider,
    provider: deployments[0].provider,
    context_window: deployments[0].context_window,
    pricing: deployments[0].pricing,
  };
  return { ...base, deployments, source: resolved.source };
}

function tryResolve(runtime: Runtime, id: string) {
  try {
    return runtime.router.resolveModel(id);
  } catch (error) {
    if (error instanceof GatewayError) return undefined;
    throw error;
  }
}

function aggregateCard(runtime: Runtime, view: AggregateView, detailed: boolean): ModelCard | undefined {
  const active = view.deployments.filter((deployment) => runtime.registry.providers.has(deployment.provider));
  if (active.length === 0) return undefined;
  const stats = detailed ? liveStats(runtime, view.id) : undefined;
  const shown = detailed ? view.deployments : active;
  const deployments = shown.map((deployment) => {
    const card = deploymentCard(runtime, deployment);
    if (!detailed) return card;
    const entry = stats?.get(`${deployment.provider}/${deployment.model}`);
    return {
      ...card,
      active: runtime.registry.providers.has(deployment.provider),
      ...(entry && { stats: entry }),
    };
  });
  const first = deploymentCard(runtime, active[0]);
  return {
    id: view.id,
    object: 'model',
    created: 0,
    owned_by: first.provider,
    provider: first.provider,
    context_window: first.context_window,
    pricing: first.pricing,
    deployments,
    source: view.source,
  };
}

/** Stats of the aggregate's active deployments, by health key. */
function liveStats(runtime: Runtime, id: string): Map<string, DeploymentStats> {
  const resolved = tryResolve(runtime, id);
  const out = new Map<string, DeploymentStats>();
  if (!resolved) return out;
  const candidates: Candidate[] = resolved.candidates;
  for (const entry of scoreCandidates(
    candidates,
    runtime.router.health,
    runtime.router.settings.weights,
    Date.now(),
  ))
    out.set(entry.candidate.key, statsOf(runtime, entry));
  return out;
}

function statsOf(runtime: Runtime, entry: Scored): DeploymentStats {
  const record = runtime.router.health.get(entry.candidate.key);
  const stats: DeploymentStats = {
    score: Math.round(entry.score * 1000) / 1000,
    ttft_ms: Math.round(entry.ttftMs),
    tokens_per_second: Math.round(entry.tokensPerSecond * 10) / 10,
    uptime: Math.round(entry.uptime * 1000) / 1000,
    samples: record?.samples ?? 0,
    breaker: entry.state,
  };
  if (entry.state === 'open' && record) stats.cooling_until = new Date(record.openUntil).toISOString();
  return stats;
}

function deploymentCard(runtime: Runtime, deployment: Deployment): DeploymentCard {
  const known = runtime.lookupModelInfo?.(deployment.provider, deployment.model);
  const price = { ...known?.price, ...definedOnly(deployment.price) };
  const capabilities = (deployment as RoutedDeployment).capabilities;
  return {
    provider: deployment.provider,
    model: deployment.model,
    context_window: deployment.contextWindow ?? known?.contextWindow ?? null,
    pricing: pricingCard(price),
    ...(deployment.weight !== undefined && { weight: deployment.weight }),
    ...(capabilities && {
      capabilities: definedOnly({
        tools: capabilities.tools,
        images: capabilities.images,
        json_schema: capabilities.jsonSchema,
      }),
    }),
  };
}

function definedOnly<T extends object>(value: T | undefined): T {
  if (!value) return {} as T;
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
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
