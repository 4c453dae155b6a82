// Routing settings: how deployments are ranked, retried, cooled down and failed over. Built once at start
// from the config file's `routing:` section (see src/config/schema.ts); every field has a default.

/** How the eligible deployments of a request are ordered. */
export type Strategy = 'balanced' | 'cost' | 'latency' | 'throughput' | 'ordered';

export interface ScoreWeights {
  price: number;
  latency: number;
  throughput: number;
  uptime: number;
}

/** OpenRouter-style provider preferences (request body `provider`, or a preset's). */
export interface ProviderPreferences {
  /** providers tried first, in this order */
  order?: string[];
  /** only these providers are eligible */
  only?: string[];
  /** these providers are never used */
  ignore?: string[];
  /** re-rank: like the `:cost` / `:latency` / `:throughput` variants */
  sort?: Strategy;
  /** false: no provider outside `order` (or, without `order`, none but the first ranked) */
  allowFallbacks?: boolean;
}

/** A stored routing configuration: a `smart/<name>` policy or an `@preset/<name>` preset. */
export interface RouteProfile {
  /** candidate models; a policy ranks all their deployments together, a preset tries them in order */
  models?: string[];
  sort?: Strategy;
  provider?: ProviderPreferences;
  retries?: number;
  maxAttempts?: number;
  firstByteTimeoutMs?: number;
  idleTimeoutMs?: number;
}

export interface BackoffSettings {
  initialMs: number;
  maxMs: number;
}

export interface RetryBudgetSettings {
  /** retries allowed per request, on average (0.2 = one retry for every five requests) */
  ratio: number;
  /** retries always allowed per second, whatever the ratio */
  minPerSecond: number;
}

export interface BreakerSettings {
  /** consecutive failures that open the breaker */
  failureThreshold: number;
  cooldownMs: number;
  /** each failed probe doubles the cool-down, up to this */
  maxCooldownMs: number;
}

export interface RoutingSettings {
  strategy: Strategy;
  weights: ScoreWeights;
  /** extra tries of the same deployment on a retryable error (before moving on) */
  retries: number;
  /** attempts per request, over all deployments, retries and mid-stream failovers */
  maxAttempts: number;
  backoff: BackoffSettings;
  /** a `retry-after` longer than this is not waited for: the deployment is skipped instead */
  maxRetryAfterMs: number;
  retryBudget: RetryBudgetSettings;
  breaker: BreakerSettings;
  /** continue a stream that died mid-way on the next deployment */
  midstreamFailover: boolean;
  policies: Record<string, RouteProfile>;
  presets: Record<string, RouteProfile>;
}

export const DEFAULT_WEIGHTS: ScoreWeights = { price: 0.3, latency: 0.3, throughput: 0.15, uptime: 0.25 };

/** The built-in `smart/<name>` policies; config entries of the same name replace them. */
export const BUILT_IN_POLICIES: Record<string, RouteProfile> = {
  balanced: { sort: 'balanced' },
  cheap: { sort: 'cost' },
  fast: { sort: 'latency' },
  throughput: { sort: 'throughput' },
};

export function defaultRoutingSettings(): RoutingSettings {
  return {
    strategy: 'balanced',
    weights: { ...DEFAULT_WEIGHTS },
    retries: 0,
    maxAttempts: 5,
    backoff: { initialMs: 250, maxMs: 5_000 },
    maxRetryAfterMs: 10_000,
    retryBudget: { ratio: 0.2, minPerSecond: 10 },
    breaker: { failureThreshold: 5, cooldownMs: 30_000, maxCooldownMs: 300_000 },
    midstreamFailover: true,
    policies: { ...BUILT_IN_POLICIES },
    presets: {},
  };
}

/** The config file's `routing:` section, as the schema parses it (snake_case). */
export interface RoutingConfig {
  strategy?: Strategy;
  weights?: Partial<ScoreWeights>;
  retries?: number;
  max_attempts?: number;
  backoff?: { initial_ms?: number; max_ms?: number };
  max_retry_after_ms?: number;
  retry_budget?: { ratio?: number; min_per_second?: number };
  circuit_breaker?: { failure_threshold?: number; cooldown_ms?: number; max_cooldown_ms?: number };
  midstream_failover?: boolean;
  policies?: Record<string, RouteProfileConfig>;
  presets?: Record<string, RouteProfileConfig>;
}

export interface RouteProfileConfig {
  models?: string[];
  sort?: Strategy;
  provider?: {
    order?: string[];
    only?: string[];
    ignore?: string[];
    sort?: Strategy;
    allow_fallbacks?: boolean;
  };
  retries?: number;
  max_attempts?: number;
  first_byte_timeout_ms?: number;
  idle_timeout_ms?: number;
}

export function resolveRoutingSettings(config: RoutingConfig | undefined): RoutingSettings {
  const settings = defaultRoutingSettings();
  if (!config) return settings;
  const breaker = config.circuit_breaker ?? {};
  return {
    ...settings,
    strategy: config.strategy ?? settings.strategy,
    weights: { ...settings.weights, ...definedOnly(config.weights ?? {}) },
    retries: config.retries ?? settings.retries,
    maxAttempts: config.max_attempts ?? settings.maxAttempts,
    backoff: {
      initialMs: config.backoff?.initial_ms ?? settings.backoff.initialMs,
      maxMs: config.backoff?.max_ms ?? settings.backoff.maxMs,
    },
    maxRetryAfterMs: config.max_retry_after_ms ?? settings.maxRetryAfterMs,
    retryBudget: {
      ratio: config.retry_budget?.ratio ?? settings.retryBudget.ratio,
      minPerSecond: config.retry_budget?.min_per_second ?? settings.retryBudget.minPerSecond,
    },
    breaker: {
      failureThreshold: breaker.failure_threshold ?? settings.breaker.failureThreshold,
      cooldownMs: breaker.cooldown_ms ?? settings.breaker.cooldownMs,
      maxCooldownMs: breaker.max_cooldown_ms ?? settings.breaker.maxCooldownMs,
    },
    midstreamFailover: config.midstream_failover ?? settings.midstreamFailover,
    policies: { ...settings.policies, ...mapProfiles(config.policies) },
    presets: mapProfiles(config.presets),
  };
}

function mapProfiles(profiles: Record<string, RouteProfileConfig> | undefined): Record<string, RouteProfile> {
  const out: Record<string, RouteProfile> = {};
  for (const [name, profile] of Object.entries(profiles ?? {})) out[name] = toProfile(profile);
  return out;
}

export function toProfile(profile: RouteProfileConfig): RouteProfile {
  const provider = profile.provider;
  return definedOnly({
    models: profile.models,
    sort: profile.sort,
    provider: provider
      ? definedOnly({
          order: provider.order,
          only: provider.only,
          ignore: provider.ignore,
          sort: provider.sort,
          allowFallbacks: provider.allow_fallbacks,
        })
      : undefined,
    retries: profile.retries,
    maxAttempts: profile.max_attempts,
    firstByteTimeoutMs: profile.first_byte_timeout_ms,
    idleTimeoutMs: profile.idle_timeout_ms,
  });
}

function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}
