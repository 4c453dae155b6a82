import type { PassthroughContext, UpstreamRequest } from '../../core/adapters.ts';
import { applyVendorQuirks } from './apply-quirks.ts';
import { upstreamHeaders } from './auth-headers.ts';
import { presetOf } from './instances.ts';

/**
 * The client spoke OpenAI Chat too: its body goes upstream as it came, with only the model,
 * the vendor's known quirks and our auth changed. Every other field passes through untouched.
 */
export function buildPassthroughRequest(
  body: Record<string, unknown>,
  context: PassthroughContext,
): UpstreamRequest {
  const provider = context.target.provider;
  body.model = context.target.deployment.model;
  applyVendorQuirks(body, presetOf(provider), context.warnings);
  return {
    method: 'POST',
    url: `${provider.baseUrl}${context.path}`,
    headers: upstreamHeaders(provider, context.stream),
    body: context.encodeBody(body),
  };
}
