// The router: turns a request's model string (plus its `models` / `provider` body fields, a
// `smart/<policy>` or `@preset/<name>`, a `:variant`, or an X-Provider header) into the ordered list of
// deployments the executor will try, and explains the decision.
//
// Hot-path notes: candidates are built once per model string and cached; planning is synchronous
// (no awaits); a single-deployment model (a pinned `provider/model`) skips scoring altogether.
import { GatewayError } from '../core/errors.ts';
import type { Operation } from '../core/protocols.ts';
import { adapterFor } from '../providers/registry.ts';
import { type Candidate, type DeploymentInfoLookup, makeCandidate } from './candidate.ts';
import type { Requirements } from './capabilities.ts';
import { type HealthStore, MemoryHealthStore } from './health.ts';
import type { ModelRegistry, ResolutionSource, RoutedDeployment } from './model-registry.ts';
import { type ParsedModelString, parseModelString } from './model-string.ts';
import {
  applyOrder,
  dedupe,
  excludedBecause,
  type Group,
  mergePreferences,
  missingNamed,
  nothingEligible,
  unsupportedOperation,
} from './plan-rules.ts';
import type { RequestRouting } from './request-routing.ts';
import { RetryBudget } from './retry-budget.ts';
import {
  describeCandidate,
  describeFiltered,
  type RouteCandidate,
  type RouteDecision,
  type RouteFiltered,
} from './route-decision.ts';
import type { ProviderPreferences, RouteProfile, RoutingSettings, Strategy } from './routing-settings.ts';
import { orderScored, scoreCandidates } from './score.ts';

export interface ModelRouterOptions {
  registry: ModelRegistry;
  settings: RoutingSettings;
  /** catalog price and context window of a deployment */
  lookup?: DeploymentInfoLookup;
  health?: HealthStore;
  random?: () => number;
  now?: () => number;
}

export interface PlanRequest {
  model: string;
  /** X-Provider: bypasses ranking, preferences and fallbacks */
  forcedProvider?: string;
  routing?: RequestRouting;
  operation: Operation;
  /** what the request needs; called at most once, only when some deployment has known limits */
  needs: () => Requirements;
}

export interface Plan {
  /** the id the request resolved to (first model's aggregate id or pinned string) */
  modelId: string;
  /** deployments in the order they are tried */
  candidates: Candidate[];
  retries: number;
  maxAttempts: number;
  firstByteTimeoutMs?: number;
  idleTimeoutMs?: number;
  /** half-open breakers this request holds the probe of (released if never tried) */
  probes: string[];
  route: RouteDecision;
}

interface ResolvedModel {
  modelId: string;
  source: ResolutionSource;
  candidates: Candidate[];
}

const MAX_CACHED_MODELS = 4096;

export class ModelRouter {
  readonly registry: ModelRegistry;
  readonly settings: RoutingSettings;
  readonly health: HealthStore;
  readonly budget: RetryBudget;
  readonly random: () => number;
  readonly now: () => number;
  private readonly lookup?: DeploymentInfoLookup;
  private readonly resolved = new Map<string, ResolvedModel>();

  constructor(options: ModelRouterOptions) {
    this.registry = options.registry;
    this.settings = options.settings;
    this.lookup = options.lookup;
    this.health = options.health ?? new MemoryHealthStore(options.settings.breaker);
    this.budget = new RetryBudget(options.settings.retryBudget);
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.registry.onChange(() => this.resolved.clear());
  }

  /** The deployments a model string names, as routing candidates (cached). Throws the registry's 404. */
  resolveModel(model: string, forcedProvider?: string): ResolvedModel {
    const key = forcedProvider ? `${forcedProvider}\u0000${model}` : model;
    const cached = this.resolved.get(key);
    if (cached) return cached;
    const resolution = this.registry.resolve(model, forcedProvider);
    const candidates = resolution.targets.map((target) =>
      makeCandidate(
        target.provider,
        target.deployment,
        target.modelId,
        this.lookup,
        (target.deployment as RoutedDeployment).capabilities,
      ),
    );
    const entry = { modelId: resolution.modelId, source: resolution.source, candidates };
    if (this.resolved.size >= MAX_CACHED_MODELS) this.resolved.clear();
    this.resolved.set(key, entry);
    return entry;
  }

  plan(request: PlanRequest): Plan {
    this.budget.deposit();
    const parsed = parseModelString(request.model);
    if (request.forcedProvider) return this.planForced(request, parsed);
    if (!request.routing && parsed.policy === undefined && parsed.preset === undefined) {
      const resolved = this.resolveModel(parsed.model);
      if (resolved.candidates.length === 1) return this.planSingle(request, resolved);
    }
    const profile = this.profileOf(parsed);
    const preferences = mergePreferences(profile?.provider, request.routing?.provider);
    const explicitSort = parsed.variant ?? preferences.sort ?? profile?.sort;
    const strategy: Strategy = explicitSort ?? this.settings.strategy;
    const decision: RouteDecision = { requested: request.model, strategy, candidates: [] };
    if (parsed.variant) decision.variant = parsed.variant;
    if (parsed.policy) decision.policy = parsed.policy;
    if (parsed.preset) decision.preset = parsed.preset;
    const filtered: RouteFiltered[] = [];
    const models = this.modelList(parsed, profile, request.routing);
    const groups = this.resolveGroups(models, request.model, filtered);
    const eligible = this.filterGroups(groups, request, preferences, filtered);
    const pooled = parsed.policy !== undefined;
    const ordered = (pooled ? [{ candidates: eligible.flatMap((group) => group.candidates) }] : eligible).map(
      (group) => this.rankGroup(group, strategy, explicitSort === undefined, preferences),
    );
    const probes: string[] = [];
    const candidates = this.arrange(ordered, probes, decision.candidates);
    if (filtered.length) decision.filtered = filtered;
    if (candidates.length === 0) throw nothingEligible(request, groups, filtered);
    return {
      modelId: groups[0]?.modelId ?? parsed.model,
      candidates,
      retries: profile?.retries ?? this.settings.retries,
      maxAttempts: profile?.maxAttempts ?? this.settings.maxAttempts,
      firstByteTimeoutMs: profile?.firstByteTimeoutMs,
      idleTimeoutMs: profile?.idleTimeoutMs,
      probes,
      route: decision,
    };
  }

  /** One deployment, nothing to rank or prefer (a pinned `provider/model`): the cheap path. */
  private planSingle(request: PlanRequest, resolved: ResolvedModel): Plan {
    const candidate = resolved.candidates[0];
    const route: RouteDecision = {
      requested: request.model,
      strategy: this.settings.strategy,
      candidates: [],
    };
    const reason = excludedBecause(candidate, request.operation, undefined, undefined, request.needs);
    if (reason) {
      const filtered = [describeFiltered(candidate, reason)];
      throw nothingEligible(request, [resolved], filtered);
    }
    route.candidates.push(describeCandidate(candidate));
    return {
      modelId: resolved.modelId,
      candidates: resolved.candidates,
      retries: this.settings.retries,
      maxAttempts: this.settings.maxAttempts,
      probes: [],
      route,
    };
  }

  private planForced(request: PlanRequest, parsed: ParsedModelString): Plan {
    const resolved = this.resolveModel(parsed.model, request.forcedProvider);
    const candidates = resolved.candidates;
    const unsupported = candidates.filter(
      (candidate) => !adapterFor(candidate.target.provider).operations.has(request.operation),
    );
    if (unsupported.length === candidates.length) throw unsupportedOperation(candidates, request.operation);
    return {
      modelId: resolved.modelId,
      candidates,
      retries: this.settings.retries,
      maxAttempts: this.settings.maxAttempts,
      probes: [],
      route: {
        requested: request.model,
        strategy: 'forced',
        candidates: candidates.map((candidate) => describeCandidate(candidate)),
      },
    };
  }

  private profileOf(parsed: ParsedModelString): RouteProfile | undefined {
    if (parsed.preset !== undefined) {
      const preset = this.settings.presets[parsed.preset];
      if (!preset) throw missingNamed(`@preset/${parsed.preset}`, 'routing.presets', this.settings.presets);
      if (!preset.models?.length)
        throw missingNamed(
          `@preset/${parsed.preset}`,
          'routing.presets',
          this.settings.presets,
          'lists no models',
        );
      return preset;
    }
    if (parsed.policy !== undefined) {
      const policy = this.settings.policies[parsed.policy];
      if (!policy) throw missingNamed(`smart/${parsed.policy}`, 'routing.policies', this.settings.policies);
      return policy;
    }
    return undefined;
  }

  /** The models to try, in order: the request's model (or its profile's), then its `models` list. */
  private modelList(
    parsed: ParsedModelString,
    profile: RouteProfile | undefined,
    routing?: RequestRouting,
  ): string[] {
    const extra = routing?.models ?? [];
    if (!profile) return extra.length ? dedupe([parsed.model, ...extra]) : [parsed.model];
    const base = profile.models ?? this.registry.modelEntries().map((entry) => entry.id);
    if (base.length === 0 && extra.length === 0) {
      throw new GatewayError(
        'model_not_found',
        `The model \`smart/${parsed.policy}\` has no models to choose from: list them in routing.policies.${parsed.policy}.models or define models in the config.`,
        { param: 'model', upstreamCode: 'model_not_found' },
      );
    }
    return dedupe([...base, ...extra]);
  }

  /** Each model's candidates; a fallback model that cannot be resolved is skipped with its reason. */
  private resolveGroups(models: string[], requested: string, filtered: RouteFiltered[]) {
    const groups: ResolvedModel[] = [];
    let firstError: unknown;
    for (const model of models) {
      try {
        groups.push(this.resolveModel(model));
      } catch (error) {
        firstError ??= error;
        const reason = error instanceof GatewayError ? error.message : String(error);
        filtered.push({ provider: '', model, reason });
      }
    }
    if (groups.length === 0) {
      throw firstError ?? new GatewayError('model_not_found', `The model \`${requested}\` does not exist.`);
    }
    return groups;
  }

  private filterGroups(
    groups: ResolvedModel[],
    request: PlanRequest,
    preferences: ProviderPreferences,
    filtered: RouteFiltered[],
  ): Group[] {
    let needs: Requirements | undefined;
    const needsOnce = () => {
      needs ??= request.needs();
      return needs;
    };
    const only = preferences.only && new Set(preferences.only);
    const ignore = preferences.ignore && new Set(preferences.ignore);
    const eligible: Group[] = new Array(groups.length);
    for (let g = 0; g < groups.length; g++) {
      const candidates = groups[g].candidates;
      // a copy only once something is left out: usually every deployment stays
      let kept: Candidate[] | undefined;
      for (let index = 0; index < candidates.length; index++) {
        const candidate = candidates[index];
        const reason = excludedBecause(candidate, request.operation, only, ignore, needsOnce);
        if (reason === undefined) kept?.push(candidate);
        else {
          filtered.push(describeFiltered(candidate, reason));
          kept ??= candidates.slice(0, index);
        }
      }
      eligible[g] = { candidates: kept ?? candidates };
    }
    return eligible;
  }

  private rankGroup(
    group: Group,
    strategy: Strategy,
    mayWeigh: boolean,
    preferences: ProviderPreferences,
  ): Group {
    const { candidates } = group;
    if (candidates.length <= 1) return applyOrder(group, preferences);
    const scored = scoreCandidates(candidates, this.health, this.settings.weights, this.now());
    const weighted =
      mayWeigh && strategy === 'balanced' && candidates.some((candidate) => candidate.weight !== undefined);
    const ordered = orderScored(scored, strategy, weighted, this.random);
    return applyOrder({ candidates: ordered.map((entry) => entry.candidate), scored: ordered }, preferences);
  }

  /**
   * Breakers, per model group: a half-open deployment whose probe this request takes goes first (one
   * real request tests it; on failure the next deployment still answers), then closed ones in rank
   * order, then open ones, soonest to reopen first (tried only when nothing else is left).
   */
  private arrange(groups: Group[], probes: string[], described: RouteCandidate[]): Candidate[] {
    const now = this.now();
    const seen = new Set<string>();
    const out: Candidate[] = [];
    for (const { candidates, scored } of groups) {
      const groupStart = out.length;
      let probing = 0;
      let open: number[] | undefined;
      for (let index = 0; index < candidates.length; index++) {
        const candidate = candidates[index];
        if (seen.has(candidate.key)) continue;
        seen.add(candidate.key);
        const state = scored?.[index].state ?? this.health.state(candidate.key, now);
        if (state === 'closed') {
          out.push(candidate);
          described.push(describeCandidate(candidate, scored?.[index]));
        } else if (state === 'half-open' && this.health.claimProbe(candidate.key, now)) {
          probes.push(candidate.key);
          const at = groupStart + probing++;
          out.splice(at, 0, candidate);
          described.splice(at, 0, describeCandidate(candidate, scored?.[index], true));
        } else {
          open ??= [];
          open.push(index);
        }
      }
      if (!open) continue;
      const reopensAt = (index: number) => this.health.get(candidates[index].key)?.openUntil ?? 0;
      open.sort((a, b) => reopensAt(a) - reopensAt(b));
      for (const index of open) {
        out.push(candidates[index]);
        described.push(describeCandidate(candidates[index], scored?.[index]));
      }
    }
    return out;
  }
}
