import { loadConfigFile, resolveConfigPath } from '../config/load-config.ts';
import type { ConfigFile } from '../config/schema.ts';
import { resolveServerSettings, type ServerSettings, type SettingFlags } from '../config/settings.ts';
import type { Price, ProviderConfigEntry } from '../core/adapters.ts';
import type { Metrics } from '../observability/metrics.ts';
import { buildProviderInstances, knownProviderTypes } from '../providers/registry.ts';
import { ModelRegistry } from '../routing/model-registry.ts';
import type { RequestRecord } from '../routing/request-record.ts';
import { ModelRouter } from '../routing/router.ts';
import { resolveRoutingSettings } from '../routing/routing-settings.ts';
import type { Store } from '../store/store.ts';
import type { TraceWriter } from '../traces/trace-writer.ts';
import { createCatalogListing, createModelInfoLookup } from './catalog-info.ts';
import { createLogger, type Logger } from './logger.ts';
import { toModelEntry } from './model-entries.ts';
import type { ModelCard } from './model-listing.ts';
import { clearPriceCache } from './record-to-trace.ts';
import type { RegistrySync } from './registry-sync.ts';
import { type RetentionJob, resolveTraceSettings, type TraceSettings } from './retention.ts';

/** Everything a running gateway needs, built once at start from config and environment. */
export interface Runtime {
  settings: ServerSettings;
  registry: ModelRegistry;
  /** ranks deployments, keeps their health, plans each request's attempts (config `routing:`) */
  router: ModelRouter;
  logger: Logger;
  configFile?: string;
  /** called with every finished request (traces, metrics) */
  recordListeners: Array<(record: RequestRecord) => void>;
  /** the store, once opened at start */
  store?: Store;
  /** keeps the registry's stored model entries in step with the store, once it is open */
  registrySync?: RegistrySync;
  traceWriter?: TraceWriter;
  /** trace retention and payload logging (config `traces:`, environment) */
  traceSettings: TraceSettings;
  /** the purge job, once the store is open */
  retention?: RetentionJob;
  metrics?: Metrics;
  /** the environment the runtime was built from */
  env: NodeJS.ProcessEnv;
  /** true once SIGTERM started the graceful shutdown */
  shuttingDown: boolean;
  /** extra readiness checks (store reachable, ...) */
  readinessChecks: Array<() => Promise<void>>;
  /** price and context window from the catalog, once pricing is wired */
  lookupModelInfo?: (
    provider: string,
    model: string,
  ) => { price?: Price; contextWindow?: number } | undefined;
  /** catalog models of the active providers, listed by GET /v1/models */
  catalogModels?: () => ModelCard[];
  close(): Promise<void>;
}

export interface RuntimeOptions {
  env?: NodeJS.ProcessEnv;
  configPath?: string;
  /** an already parsed config (tests) instead of a file */
  config?: ConfigFile;
  flags?: SettingFlags;
  logger?: Logger;
}

export function createRuntime(options: RuntimeOptions = {}): Runtime {
  const env = options.env ?? process.env;
  const known = knownProviderTypes();
  const configFile = options.config ? undefined : resolveConfigPath(options.configPath, env);
  const config = options.config ?? (configFile ? loadConfigFile(configFile, env, known) : {});
  const providers = buildProviderInstances(
    (config.providers ?? {}) as Record<string, ProviderConfigEntry>,
    env,
  );
  const models = (config.models ?? []).map((model) => toModelEntry(model, 'config'));
  const logger = options.logger ?? createLogger(env.LOG_LEVEL);
  const registry = new ModelRegistry(providers, models, known);
  clearPriceCache();
  registry.onChange(clearPriceCache);
  const lookupModelInfo = createModelInfoLookup(registry);
  const router = new ModelRouter({
    registry,
    settings: resolveRoutingSettings(config.routing),
    lookup: lookupModelInfo,
  });
  return {
    settings: resolveServerSettings(config, env, options.flags),
    traceSettings: resolveTraceSettings(config.traces, env),
    env,
    registry,
    router,
    lookupModelInfo,
    catalogModels: createCatalogListing(registry),
    logger,
    configFile,
    recordListeners: [],
    readinessChecks: [],
    shuttingDown: false,
    close: async () => {
      logger.flush();
    },
  };
}
