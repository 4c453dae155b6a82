// The `routing:` section of the config file (ranking, retries, breaker, failover, named policies and
// presets) and the per-deployment `capabilities`. Mapped to RoutingSettings by src/routing/routing-settings.ts.
import { z } from 'zod';

const strategySchema = z
  .enum(['balanced', 'cost', 'latency', 'throughput', 'ordered'])
  .describe(
    'balanced: a score over price, latency, throughput and uptime; cost, latency, throughput: that one alone; ordered: as listed in the config',
  );

const providerNames = z.array(z.string().min(1));

const providerPreferencesSchema = z
  .object({
    order: providerNames.optional().describe('providers tried first, in this order'),
    only: providerNames.optional().describe('only these providers are eligible'),
    ignore: providerNames.optional().describe('these providers are never used'),
    sort: strategySchema.optional(),
    allow_fallbacks: z
      .boolean()
      .optional()
      .describe('false: no provider outside `order` (without `order`: only the best ranked)'),
  })
  .strict();

const profileSchema = z
  .object({
    models: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe(
        'candidate models: a policy ranks all their deployments together, a preset tries the models in order (a policy without models uses every configured model)',
      ),
    sort: strategySchema.optional(),
    provider: providerPreferencesSchema.optional(),
    retries: z.number().int().min(0).max(10).optional(),
    max_attempts: z.number().int().min(1).max(20).optional(),
    first_byte_timeout_ms: z.number().int().positive().optional(),
    idle_timeout_ms: z.number().int().positive().optional(),
  })
  .strict();

const profileName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);

export const routingSchema = z
  .object({
    strategy: strategySchema.optional().describe('default ranking (default balanced)'),
    weights: z
      .object({
        price: z.number().nonnegative().optional(),
        latency: z.number().nonnegative().optional(),
        throughput: z.number().nonnegative().optional(),
        uptime: z.number().nonnegative().optional(),
      })
      .strict()
      .optional()
      .describe(
        'weights of the balanced score (default price 0.3, latency 0.3, throughput 0.15, uptime 0.25)',
      ),
    retries: z
      .number()
      .int()
      .min(0)
      .max(10)
      .optional()
      .describe(
        'extra tries of the same deployment after a retryable error, before the next one (default 0)',
      ),
    max_attempts: z
      .number()
      .int()
      .min(1)
      .max(20)
      .optional()
      .describe('attempts per request over all deployments, retries and mid-stream failovers (default 5)'),
    backoff: z
      .object({
        initial_ms: z.number().int().nonnegative().optional().describe('default 250'),
        max_ms: z.number().int().nonnegative().optional().describe('default 5000'),
      })
      .strict()
      .optional()
      .describe('exponential backoff with jitter between retries of one deployment'),
    max_retry_after_ms: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe(
        'a longer upstream retry-after is not waited for; the next deployment is tried (default 10000)',
      ),
    retry_budget: z
      .object({
        ratio: z
          .number()
          .nonnegative()
          .optional()
          .describe('extra attempts earned per request (default 0.2)'),
        min_per_second: z
          .number()
          .nonnegative()
          .optional()
          .describe('extra attempts always allowed per second (default 10)'),
      })
      .strict()
      .optional()
      .describe('caps retries and fallbacks across requests so an outage cannot become a retry storm'),
    circuit_breaker: z
      .object({
        failure_threshold: z
          .number()
          .int()
          .positive()
          .optional()
          .describe('consecutive failures (default 5)'),
        cooldown_ms: z
          .number()
          .int()
          .positive()
          .optional()
          .describe('default 30000; doubles per failed probe'),
        max_cooldown_ms: z.number().int().positive().optional().describe('default 300000'),
      })
      .strict()
      .optional(),
    midstream_failover: z
      .boolean()
      .optional()
      .describe('continue a stream that died mid-way on the next deployment (default true)'),
    policies: z
      .record(profileName, profileSchema)
      .optional()
      .describe('`smart/<name>` policies (built in: balanced, cheap, fast, throughput)'),
    presets: z
      .record(profileName, profileSchema)
      .optional()
      .describe('`@preset/<name>` stored routing configurations'),
  })
  .strict();

export const capabilitiesSchema = z
  .object({
    tools: z.boolean().optional(),
    images: z.boolean().optional(),
    json_schema: z.boolean().optional(),
  })
  .strict()
  .describe(
    'what the deployment can do; false keeps requests that need it away (unknown is assumed possible)',
  );
