import type { ProviderInstance } from '../../core/adapters.ts';
import { vertexSettings } from './instances.ts';

/** Claude models on Vertex are Anthropic publisher models; everything else is Google's. */
export function isClaudeModel(model: string): boolean {
  return model.startsWith('claude-');
}

/** `{base}/v1/projects/{project}/locations/{location}/publishers/{google|anthropic}/models/{model}` */
export function vertexModelUrl(instance: ProviderInstance, model: string): string {
  const { project, location } = vertexSettings(instance);
  const publisher = isClaudeModel(model) ? 'anthropic' : 'google';
  return `${instance.baseUrl}/v1/projects/${segment(project)}/locations/${segment(location)}/publishers/${publisher}/models/${segment(model)}`;
}

/** Path-encodes one segment, leaving `@` (Claude version pins such as `claude-x@20250929`) readable. */
function segment(value: string): string {
  return encodeURIComponent(value).replaceAll('%40', '@');
}
