import type { ProviderConfigEntry, ProviderInstance } from '../../core/adapters.ts';
import type { BedrockOptions } from './wire-types.ts';

export const ADAPTER_TYPE = 'bedrock';

/** Credentials found in the environment. A Bedrock API key (bearer token) wins over access keys when both are set. */
function credentialsFromEnv(env: NodeJS.ProcessEnv): Omit<BedrockOptions, 'region'> | undefined {
  const bearerToken = env.AWS_BEARER_TOKEN_BEDROCK || undefined;
  const accessKeyId = env.AWS_ACCESS_KEY_ID || undefined;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY || undefined;
  const hasKeys = Boolean(accessKeyId && secretAccessKey);
  if (!bearerToken && !hasKeys) return undefined;
  const credentials: Omit<BedrockOptions, 'region'> = {};
  if (bearerToken) credentials.bearerToken = bearerToken;
  if (hasKeys) {
    credentials.accessKeyId = accessKeyId;
    credentials.secretAccessKey = secretAccessKey;
    if (env.AWS_SESSION_TOKEN) credentials.sessionToken = env.AWS_SESSION_TOKEN;
  }
  return credentials;
}

function regionFromEnv(env: NodeJS.ProcessEnv): string {
  return env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';
}

export function defaultBaseUrl(region: string): string {
  return `https://bedrock-runtime.${region}.amazonaws.com`;
}

/** The `bedrock` instance activated by AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY or AWS_BEARER_TOKEN_BEDROCK. */
export function instancesFromEnv(env: NodeJS.ProcessEnv): ProviderInstance[] {
  const credentials = credentialsFromEnv(env);
  if (!credentials) return [];
  const region = regionFromEnv(env);
  return [
    {
      id: ADAPTER_TYPE,
      type: ADAPTER_TYPE,
      baseUrl: trimSlash(env.BEDROCK_BASE_URL || defaultBaseUrl(region)),
      options: { region, ...credentials },
      source: 'env',
    },
  ];
}

const CREDENTIAL_KEYS = ['accessKeyId', 'secretAccessKey', 'sessionToken', 'bearerToken'] as const;

/**
 * A config entry of type `bedrock` (or named `bedrock` without a type). Credentials come from
 * `options` (`api_key` is taken as a Bedrock API key); when the entry names none, the environment's are used.
 */
export function instanceFromConfig(
  id: string,
  entry: ProviderConfigEntry,
  env: NodeJS.ProcessEnv,
): ProviderInstance | undefined {
  if ((entry.type ?? id) !== ADAPTER_TYPE) return undefined;
  const configured = entry.options ?? {};
  const region = stringOption(configured.region) ?? regionFromEnv(env);
  const own: Omit<BedrockOptions, 'region'> = {};
  for (const key of CREDENTIAL_KEYS) {
    const value = stringOption(configured[key]);
    if (value) own[key] = value;
  }
  if (!own.bearerToken && entry.api_key) own.bearerToken = entry.api_key;
  const hasOwn = Boolean(own.bearerToken || (own.accessKeyId && own.secretAccessKey));
  const credentials = hasOwn ? own : (credentialsFromEnv(env) ?? {});
  return {
    id,
    type: ADAPTER_TYPE,
    baseUrl: trimSlash(entry.base_url ?? defaultBaseUrl(region)),
    headers: entry.headers,
    options: { ...configured, region, ...credentials },
    source: 'config',
  };
}

/** Reads the typed Bedrock options back from an instance. */
export function bedrockOptions(instance: ProviderInstance): BedrockOptions {
  const options = instance.options;
  return {
    region: stringOption(options.region) ?? 'us-east-1',
    accessKeyId: stringOption(options.accessKeyId),
    secretAccessKey: stringOption(options.secretAccessKey),
    sessionToken: stringOption(options.sessionToken),
    bearerToken: stringOption(options.bearerToken),
  };
}

function stringOption(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function trimSlash(url: string): string {
  return url.trim().replace(/\/+$/, '');
}
