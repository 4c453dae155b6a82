// A deployment as routing sees it: the target to call plus what ranking and the capability filter need.
// Built once per deployment and reused by every request (no per-request lookups or allocations).
import type { Deployment, Price, ProviderInstance, Target } from '../core/adapters.ts';
import type { Capabilities } from './capabilities.ts';
import { type Prior, priorFor } from './provider-priors.ts';

export interface Candidate {
  target: Target;
  /** health key: one per provider instance and provider model id */
  key: string;
  /** blended USD per million tokens (three input tokens per output token); undefined when unknown */
  price?: number;
  contextWindow?: number;
  capabilities?: Capabilities;
  weight?: number;
  prior: Prior;
}

/** Price and context window from the catalog (the runtime's lookup), when known. */
export type DeploymentInfoLookup = (
  provider: string,
  model: string,
) => { price?: Price; contextWindow?: number } | undefined;

export function healthKey(provider: string, model: string): string {
  return `${provider}/${model}`;
}

export function makeCandidate(
  provider: ProviderInstance,
  deployment: Deployment,
  modelId: string,
  lookup: DeploymentInfoLookup | undefined,
  capabilities?: Capabilities,
): Candidate {
  const known = lookup?.(deployment.provider, deployment.model);
  const price = { ...known?.price, ...definedPrice(deployment.price) };
  const candidate: Candidate = {
    target: { provider, deployment, modelId },
    key: healthKey(deployment.provider, deployment.model),
    price: blendedPrice(price),
    contextWindow: deployment.contextWindow ?? known?.contextWindow,
    prior: priorFor(provider),
  };
  if (capabilities) candidate.capabilities = capabilities;
  if (deployment.weight !== undefined) candidate.weight = deployment.weight;
  return candidate;
}

function definedPrice(price: Price | undefined): Price {
  const out: Price = {};
  if (price?.input !== undefined) out.input = price.input;
  if (price?.output !== undefined) out.output = price.output;
  return out;
}

/** One number to compare prices by: a typical chat turn reads about three tokens per token it writes. */
export function blendedPrice(price: Price): number | undefined {
  if (price.input === undefined && price.output === undefined) return undefined;
  const input = price.input ?? price.output ?? 0;
  const output = price.output ?? price.input ?? 0;
  return (3 * input + output) / 4;
}
