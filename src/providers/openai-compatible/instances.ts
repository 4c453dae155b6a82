import type { ProviderConfigEntry, ProviderInstance } from '../../core/adapters.ts';
import { findPreset, OPENAI_COMPATIBLE_PRESETS, type OpenAICompatiblePreset } from './presets.ts';

export const ADAPTER_TYPE = 'openai-compatible';

/** Instances activated by environment variables: a key, or for keyless hosts their base URL. */
export function instancesFromEnv(env: NodeJS.ProcessEnv): ProviderInstance[] {
  const instances: ProviderInstance[] = [];
  for (const preset of OPENAI_COMPATIBLE_PRESETS) {
    const key = preset.keyEnv ? env[preset.keyEnv] : undefined;
    const baseUrlOverride = env[preset.baseUrlEnv];
    const active = preset.activatedByBaseUrl ? Boolean(baseUrlOverride) : Boolean(key);
    if (!active) continue;
    const baseUrl = normaliseBaseUrl(preset, baseUrlOverride || preset.baseUrl);
    if (!baseUrl) continue;
    instances.push({
      id: preset.id,
      type: ADAPTER_TYPE,
      baseUrl,
      apiKey: key || undefined,
      options: { preset: preset.id },
      source: 'env',
    });
  }
  return instances;
}

/** A config entry whose `type` (or id) names a preset, or `custom` with any base URL. */
export function instanceFromConfig(
  id: string,
  entry: ProviderConfigEntry,
  env: NodeJS.ProcessEnv,
): ProviderInstance | undefined {
  const presetId = entry.type ?? id;
  const preset = presetId === ADAPTER_TYPE ? findPreset('custom') : findPreset(presetId);
  if (!preset) return undefined;
  const envBase = env[preset.baseUrlEnv];
  const baseUrl = normaliseBaseUrl(preset, entry.base_url ?? (envBase || preset.baseUrl));
  if (!baseUrl) throw new Error(`provider "${id}": base_url is required for type ${presetId}`);
  const envKey = preset.keyEnv ? env[preset.keyEnv] : undefined;
  return {
    id,
    type: ADAPTER_TYPE,
    baseUrl,
    apiKey: entry.api_key ?? (envKey || undefined),
    headers: entry.headers,
    options: { ...entry.options, preset: preset.id },
    source: 'config',
  };
}

function normaliseBaseUrl(preset: OpenAICompatiblePreset, raw: string): string {
  if (!raw) return '';
  let url = raw.trim();
  if (preset.hostPath) {
    if (!/^https?:\/\//.test(url)) url = `http://${url}`;
    url = url.replace(/\/+$/, '');
    if (!url.endsWith(preset.hostPath)) url += preset.hostPath;
  }
  return url.replace(/\/+$/, '');
}

export function presetOf(instance: ProviderInstance): OpenAICompatiblePreset {
  const preset = findPreset(String(instance.options.preset ?? 'custom'));
  return preset ?? findPreset('custom')!;
}
