import type { ConfigFile } from './schema.ts';

/** Effective server settings: flags over environment over config file over defaults. */
export interface ServerSettings {
  host: string;
  port: number;
  bodyLimitBytes: number;
  shutdownTimeoutMs: number;
  firstByteTimeoutMs: number;
  idleTimeoutMs: number;
  masterKey?: string;
  /** how often stored model entries are checked for changes made elsewhere; 0 = never */
  registryRefreshMs: number;
}

export interface SettingFlags {
  host?: string;
  port?: number;
}

export function resolveServerSettings(
  config: ConfigFile,
  env: NodeJS.ProcessEnv,
  flags: SettingFlags = {},
): ServerSettings {
  const server = config.server ?? {};
  const envPort = env.PORT ? Number(env.PORT) : undefined;
  return {
    host: flags.host ?? env.HOST ?? server.host ?? '127.0.0.1',
    port: flags.port ?? envPort ?? server.port ?? 8080,
    bodyLimitBytes: parseSize(env.SWITCHYARD_BODY_LIMIT ?? server.body_limit ?? '10mb'),
    shutdownTimeoutMs: Number(env.SWITCHYARD_SHUTDOWN_TIMEOUT_MS ?? server.shutdown_timeout_ms ?? 30_000),
    firstByteTimeoutMs: Number(
      env.SWITCHYARD_FIRST_BYTE_TIMEOUT_MS ?? server.first_byte_timeout_ms ?? 300_000,
    ),
    idleTimeoutMs: Number(env.SWITCHYARD_IDLE_TIMEOUT_MS ?? server.idle_timeout_ms ?? 300_000),
    masterKey: env.SWITCHYARD_MASTER_KEY || server.master_key || undefined,
    registryRefreshMs: Number(env.SWITCHYARD_REGISTRY_REFRESH_MS ?? server.registry_refresh_ms ?? 30_000),
  };
}

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

export function parseSize(value: number | string): number {
  if (typeof value === 'number') return value;
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(value.trim());
  if (!match) throw new Error(`invalid size "${value}"`);
  return Math.floor(Number(match[1]) * UNITS[(match[2] ?? 'b').toLowerCase()]);
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.') || host === '[::1]';
}
