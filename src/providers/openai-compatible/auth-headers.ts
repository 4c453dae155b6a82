import type { ProviderInstance } from '../../core/adapters.ts';

export function upstreamHeaders(instance: ProviderInstance, stream: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: stream ? 'text/event-stream' : 'application/json',
  };
  if (instance.apiKey) headers.authorization = `Bearer ${instance.apiKey}`;
  if (instance.headers) Object.assign(headers, instance.headers);
  return headers;
}
