import type { Deployment, ProviderInstance, Target } from '../core/adapters.ts';
import { GatewayError } from '../core/errors.ts';
import { inferProvider } from './infer-provider.ts';
import { type ParsedModelString, parseModelString } from './model-string.ts';

export interface ModelEntry {
  id: string;
  deployments: Deployment[];
  source: 'config' | 'store';
  dataRetentionDays?: number;
}

export interface Resolution {
  /** the model id the request resolved to (aggregate id or pinned `provider/model`) */
  modelId: string;
  parsed: ParsedModelString;
  targets: Target[];
}

/** Knows the active providers and the configured model aggregates; turns model strings into targets. */
export class ModelRegistry {
  readonly providers: ReadonlyMap<string, ProviderInstance>;
  private readonly models = new Map<string, ModelEntry>();
  private readonly knownProviderIds: ReadonlySet<string>;

  constructor(
    providers: ReadonlyMap<string, ProviderInstance>,
    models: readonly ModelEntry[],
    knownProviderIds: ReadonlySet<string>,
  ) {
    this.providers = providers;
    for (const model of models) this.models.set(model.id, model);
    this.knownProviderIds = knownProviderIds;
  }

  modelEntries(): ModelEntry[] {
    return [...this.models.values()];
  }

  getModel(id: string): ModelEntry | undefined {
    return this.models.get(id);
  }

  /** Resolves a client's model string; throws a 404 naming the model instead of ever calling upstream blindly. */
  resolve(raw: string, forcedProvider?: string): Resolution {
    const parsed = parseModelString(raw);
    const model = parsed.model;
    if (forcedProvider) return this.resolveForced(model, forcedProvider, parsed);
    const entry = this.models.get(model);
    if (entry) {
      const targets = entry.deployments.flatMap((deployment) => this.target(entry.id, deployment));
      if (targets.length === 0) {
        const needed = [...new Set(entry.deployments.map((deployment) => deployment.provider))].join(', ');
        throw notFound(raw, `none of its providers (${needed}) is active`);
      }
      return { modelId: entry.id, parsed, targets };
    }
    const slash = model.indexOf('/');
    if (slash > 0) {
      const providerId = model.slice(0, slash);
      const upstreamModel = model.slice(slash + 1);
      const provider = this.providers.get(providerId);
      if (provider) {
        return {
          modelId: model,
          parsed,
          targets: [{ provider, deployment: { provider: providerId, model: upstreamModel }, modelId: model }],
        };
      }
      if (this.knownProviderIds.has(providerId))
        throw notFound(raw, `provider "${providerId}" is not active (no key or base URL configured)`);
    }
    const inferred = inferProvider(model);
    if (inferred) {
      const provider = this.providers.get(inferred);
      if (!provider)
        throw notFound(raw, `it is served by "${inferred}", which is not active (no key configured)`);
      return {
        modelId: model,
        parsed,
        targets: [{ provider, deployment: { provider: inferred, model }, modelId: model }],
      };
    }
    throw notFound(raw);
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
    const entry = this.models.get(model);
    const configured = entry?.deployments.find((deployment) => deployment.provider === providerId);
    const upstreamModel = model.startsWith(`${providerId}/`) ? model.slice(providerId.length + 1) : model;
    const deployment = configured ?? { provider: providerId, model: upstreamModel };
    return {
      modelId: entry?.id ?? model,
      parsed,
      targets: [{ provider, deployment, modelId: entry?.id ?? model }],
    };
  }

  private target(modelId: string, deployment: Deployment): Target[] {
    const provider = this.providers.get(deployment.provider);
    return provider ? [{ provider, deployment, modelId }] : [];
  }
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
