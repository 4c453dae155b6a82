import type { Deployment, Price, ProviderInstance, Target } from '../core/adapters.ts';
import { GatewayError } from '../core/errors.ts';
import type { Capabilities } from './capabilities.ts';
import { inferProvider } from './infer-provider.ts';
import { findKnownModel } from './known-models.ts';
import { type ParsedModelString, parseModelString } from './model-string.ts';

/** A deployment with what routing knows of its abilities (config `capabilities`, or the built-in table). */
export interface RoutedDeployment extends Deployment {
  capabilities?: Capabilities;
}

export interface ModelEntry {
  id: string;
  deployments: RoutedDeployment[];
  source: 'config' | 'store';
  dataRetentionDays?: number;
}

/** Where a model string's deployments came from. */
export type ResolutionSource = 'store' | 'config' | 'builtin' | 'pinned' | 'inferred' | 'forced';

export interface Resolution {
  /** the model id the request resolved to (aggregate id or pinned `provider/model`) */
  modelId: string;
  parsed: ParsedModelString;
  targets: Target[];
  source: ResolutionSource;
}

/** An aggregate as listed: every deployment, active or not. */
export interface AggregateView {
  id: string;
  source: 'config' | 'store' | 'builtin';
  deployments: RoutedDeployment[];
}

/**
 * Knows the active providers, the model entries (stored ones over config ones with the same id) and the
 * built-in aggregates; turns model strings into targets. Sources, first match wins: an entry with that
 * exact id; `provider/model` for an active provider (a pin); the built-in table (known-models.ts) when at
 * least one of its providers is active; a provider inferred from the model's prefix.
 *
 * Stored entries change at runtime (admin API, CLI, other instances); every change calls the change
 * listeners, which drop whatever was derived from the old entries (cached candidates, cached prices).
 */
export class ModelRegistry {
  readonly providers: ReadonlyMap<string, ProviderInstance>;
  private readonly configModels: readonly ModelEntry[];
  private readonly stored = new Map<string, ModelEntry>();
  private models = new Map<string, ModelEntry>();
  private prices = new Map<string, Price>();
  private readonly knownProviderIds: ReadonlySet<string>;
  private readonly listeners: Array<() => void> = [];

  constructor(
    providers: ReadonlyMap<string, ProviderInstance>,
    models: readonly ModelEntry[],
    knownProviderIds: ReadonlySet<string>,
  ) {
    this.providers = providers;
    this.configModels = models;
    this.knownProviderIds = knownProviderIds;
    this.rebuild();
  }

  /** Config entries in file order (a stored entry with the same id in its place), then stored-only ones by id. */
  modelEntries(): ModelEntry[] {
    return [...this.models.values()];
  }

  getModel(id: string): ModelEntry | undefined {
    return this.models.get(id);
  }

  /** A provider id an entry may name: an active or configured instance, or a built-in provider type. */
  isKnownProvider(id: string): boolean {
    return this.providers.has(id) || this.knownProviderIds.has(id);
  }

  /**
   * The price an entry sets for a deployment (provider + provider's model id), wherever it is called from:
   * an aggregate, a pin or an inferred model. Stored entries first, then config entries; the first
   * deployment naming a price wins.
   */
  configuredPrice(provider: string, model: string): Price | undefined {
    return this.prices.get(priceKey(provider, model));
  }

  /** Replaces every stored entry (a load from the store). */
  setStoredEntries(entries: readonly ModelEntry[]): void {
    this.stored.clear();
    for (const entry of entries) this.stored.set(entry.id, entry);
    this.changed();
  }

  /** Called after every change of the stored entries. */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  private changed(): void {
    this.rebuild();
    for (const listener of this.listeners) listener();
  }

  private rebuild(): void {
    const models = new Map<string, ModelEntry>();
    for (const entry of this.configModels) models.set(entry.id, this.stored.get(entry.id) ?? entry);
    const storedOnly = [...this.stored.values()].filter((entry) => !models.has(entry.id));
    for (const entry of storedOnly.sort((a, b) => (a.id < b.id ? -1 : 1))) models.set(entry.id, entry);
    const prices = new Map<string, Price>();
    const bySource = [...this.stored.values(), ...this.configModels];
    for (const deployment of bySource.flatMap((entry) => entry.deployments)) {
      const key = priceKey(deployment.provider, deployment.model);
      if (namesAPrice(deployment.price) && !prices.has(key)) prices.set(key, deployment.price);
    }
    this.models = models;
    this.prices = prices;
  }

  /** A configured aggregate, else a built-in one with at least one active provider. */
  aggregate(id: string): AggregateView | undefined {
    const entry = this.models.get(id);
    if (entry) return { id: entry.id, source: entry.source, deployments: entry.deployments };
    const known = findKnownModel(id);
    if (!known?.deployments.some((deployment) => this.providers.has(deployment.provider))) return undefined;
    return {
      id: known.id,
      source: 'builtin',
      deployments: known.deployments.map((deployment) => ({
        provider: deployment.provider,
        model: deployment.model,
        contextWindow: deployment.contextWindow,
        capabilities: known.capabilities,
      })),
    };
  }

  /** Built-in aggregates with at least one active provider (for listings). */
  builtinAggregates(ids: Iterable<string>): AggregateView[] {
    const out: AggregateView[] = [];
    for (const id of ids) {
      if (this.models.has(id)) continue;
      const view = this.aggregate(id);
      if (view?.source === 'builtin') out.push(view);
    }
    return out;
  }

  /** Resolves a client's model string; throws a 404 naming the model instead of ever calling upstream blindly. */
  resolve(raw: string, forcedProvider?: string): Resolution {
    const parsed = parseModelString(raw);
    const model = parsed.model;
    if (forcedProvider) return this.resolveForced(model, forcedProvider, parsed);
    const entry = this.models.get(model);
    if (entry) return this.resolveAggregate(raw, parsed, entry, entry.source);
    const slash = model.indexOf('/');
    if (slash > 0) {
      const pinned = this.resolvePinned(raw, parsed, model.slice(0, slash), model.slice(slash + 1));
      if (pinned) return pinned;
    }
    const builtin = this.aggregate(model);
    if (builtin) return this.resolveAggregate(raw, parsed, builtin, 'builtin');
    const inferred = inferProvider(model);
    if (inferred) {
      const provider = this.providers.get(inferred);
      if (!provider)
        throw notFound(raw, `it is served by "${inferred}", which is not active (no key configured)`);
      return {
        modelId: model,
        parsed,
        source: 'inferred',
        targets: [{ provider, deployment: { provider: inferred, model }, modelId: model }],
      };
    }
    throw notFound(raw);
  }

  private resolveAggregate(
    raw: string,
    parsed: ParsedModelString,
    aggregate: AggregateView,
    source: AggregateView['source'],
  ): Resolution {
    const targets = aggregate.deployments.flatMap((deployment) => this.target(aggregate.id, deployment));
    if (targets.length === 0) {
      const needed = [...new Set(aggregate.deployments.map((deployment) => deployment.provider))].join(', ');
      throw notFound(raw, `none of its providers (${needed}) is active`);
    }
    return { modelId: aggregate.id, parsed, targets, source };
  }

  private resolvePinned(
    raw: string,
    parsed: ParsedModelString,
    providerId: string,
    upstreamModel: string,
  ): Resolution | undefined {
    const provider = this.providers.get(providerId);
    if (provider) {
      const modelId = parsed.model;
      return {
        modelId,
        parsed,
        source: 'pinned',
        targets: [{ provider, deployment: { provider: providerId, model: upstreamModel }, modelId }],
      };
    }
    if (this.knownProviderIds.has(providerId))
      throw notFound(raw, `provider "${providerId}" is not active (no key or base URL configured)`);
    return undefined;
  }

  private resolveForced(model: string, providerId: string, parsed: ParsedModelString): Resolution {
    const provider = this.providers.get(providerId);
    if (!provider) {
      throw new GatewayError(
        'invalid_request',
        `X-Provider names "${providerId}", which is not an active provider`,
        {
          param: 'x-provider',
        },
      );
    }
    const entry = this.aggregate(model);
    const configured = entry?.deployments.find((deployment) => deployment.provider === providerId);
    const upstreamModel = model.startsWith(`${providerId}/`) ? model.slice(providerId.length + 1) : model;
    const deployment = configured ?? { provider: providerId, model: upstreamModel };
    return {
      modelId: entry?.id ?? model,
      parsed,
      source: 'forced',
      targets: [{ provider, deployment, modelId: entry?.id ?? model }],
    };
  }

  private target(modelId: string, deployment: Deployment): Target[] {
    const provider = this.providers.get(deployment.provider);
    return provider ? [{ provider, deployment, modelId }] : [];
  }
}

function namesAPrice(price: Price | undefined): price is Price {
  return price !== undefined && Object.values(price).some((rate) => rate !== undefined);
}

function priceKey(provider: string, model: string): string {
  return `${provider}\u0000${model}`;
}

function notFound(model: string, reason?: string): GatewayError {
  const why = reason ? `: ${reason}` : '';
  return new GatewayError(
    'model_not_found',
    `The model \`${model}\` does not exist or is not reachable${why}.`,
    {
      param: 'model',
      upstreamCode: 'model_not_found',
    },
  );
}
