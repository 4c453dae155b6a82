// Vertex AI instances: a service account (GOOGLE_APPLICATION_CREDENTIALS) plus a project and location.
import type { ProviderConfigEntry, ProviderInstance } from '../../core/adapters.ts';

export const ADAPTER_TYPE = 'vertex';
export const DEFAULT_LOCATION = 'us-central1';

export interface VertexSettings {
  project: string;
  location: string;
  /** path to a service-account JSON key */
  credentialsFile?: string;
  /** the service-account JSON itself (config files may inline it) */
  credentials?: Record<string, unknown>;
}

/** `https://{location}-aiplatform.googleapis.com`; the `global` location has no regional prefix. */
export function defaultBaseUrl(location: string): string {
  return location === 'global'
    ? 'https://aiplatform.googleapis.com'
    : `https://${location}-aiplatform.googleapis.com`;
}

function trimBase(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

export function instancesFromEnv(env: NodeJS.ProcessEnv): ProviderInstance[] {
  const credentialsFile = env.GOOGLE_APPLICATION_CREDENTIALS;
  const project = env.VERTEX_PROJECT;
  if (!credentialsFile || !project) return [];
  const location = env.VERTEX_LOCATION || DEFAULT_LOCATION;
  const settings: VertexSettings = { project, location, credentialsFile };
  return [
    {
      id: 'vertex',
      type: ADAPTER_TYPE,
      baseUrl: trimBase(env.VERTEX_BASE_URL || defaultBaseUrl(location)),
      options: { ...settings },
      source: 'env',
    },
  ];
}

/** Config options: `project`, `location`, `credentials_file` (or `credentials`, the JSON inline). */
export function instanceFromConfig(
  id: string,
  entry: ProviderConfigEntry,
  env: NodeJS.ProcessEnv,
): ProviderInstance | undefined {
  if ((entry.type ?? id) !== ADAPTER_TYPE) return undefined;
  const options = entry.options ?? {};
  const project = text(options.project) ?? env.VERTEX_PROJECT;
  if (!project)
    throw new Error(`provider "${id}": options.project (or VERTEX_PROJECT) is required for type vertex`);
  const location = text(options.location) ?? (env.VERTEX_LOCATION || DEFAULT_LOCATION);
  const credentials = isRecord(options.credentials) ? options.credentials : undefined;
  const credentialsFile =
    text(options.credentials_file) ?? text(options.credentialsFile) ?? env.GOOGLE_APPLICATION_CREDENTIALS;
  if (!credentials && !credentialsFile) {
    throw new Error(
      `provider "${id}": options.credentials_file (or GOOGLE_APPLICATION_CREDENTIALS) is required`,
    );
  }
  const settings: VertexSettings = { project, location };
  if (credentials) settings.credentials = credentials;
  else settings.credentialsFile = credentialsFile;
  const instance: ProviderInstance = {
    id,
    type: ADAPTER_TYPE,
    baseUrl: trimBase(entry.base_url ?? (env.VERTEX_BASE_URL || defaultBaseUrl(location))),
    options: { ...settings },
    source: 'config',
  };
  if (entry.headers) instance.headers = entry.headers;
  return instance;
}

export function vertexSettings(instance: ProviderInstance): VertexSettings {
  const options = instance.options;
  const settings: VertexSettings = {
    project: text(options.project) ?? '',
    location: text(options.location) ?? DEFAULT_LOCATION,
  };
  const credentialsFile = text(options.credentialsFile);
  if (credentialsFile) settings.credentialsFile = credentialsFile;
  if (isRecord(options.credentials)) settings.credentials = options.credentials;
  return settings;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
