import type { Target } from '../../core/adapters.ts';

export const DEFAULT_API_VERSION = '2024-10-21';

/**
 * Deployment-based URL: `{endpoint}/openai/deployments/{deployment}{path}?api-version=…`. The deployment name is
 * the deployment's model id in Switchyard's config. With `options.api_style: 'v1'` the v1 API (model in the body)
 * is used instead.
 */
export function azureUrl(target: Target, path: string): string {
  const { baseUrl, options } = target.provider;
  const apiVersion = String(options.api_version ?? DEFAULT_API_VERSION);
  if (options.api_style === 'v1') {
    const version = options.api_version ? `?api-version=${encodeURIComponent(apiVersion)}` : '';
    return `${baseUrl}/openai/v1${path}${version}`;
  }
  const deployment = encodeURIComponent(target.deployment.model);
  return `${baseUrl}/openai/deployments/${deployment}${path}?api-version=${encodeURIComponent(apiVersion)}`;
}

export function azureHeaders(target: Target, stream: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: stream ? 'text/event-stream' : 'application/json',
  };
  if (target.provider.apiKey) headers['api-key'] = target.provider.apiKey;
  if (target.provider.headers) Object.assign(headers, target.provider.headers);
  return headers;
}
