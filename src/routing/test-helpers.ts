// Shared by the routing unit tests: provider instances and candidates without any network.
import type { Deployment, ProviderInstance } from '../core/adapters.ts';
import { type Candidate, makeCandidate } from './candidate.ts';
import type { Capabilities } from './capabilities.ts';

export function instance(
  id: string,
  type = id === 'anthropic' ? 'anthropic' : 'openai-compatible',
): ProviderInstance {
  return { id, type, baseUrl: `http://${id}.test`, options: { preset: id }, source: 'env' };
}

export function candidate(
  provider: string,
  model: string,
  extra: Partial<Deployment> & { capabilities?: Capabilities } = {},
): Candidate {
  const { capabilities, ...deployment } = extra;
  return makeCandidate(
    instance(provider),
    { provider, model, ...deployment },
    'agg',
    undefined,
    capabilities,
  );
}

/** A clock tests move by hand. */
export function manualClock(start = 1_000_000): { now: () => number; advance(ms: number): void } {
  let time = start;
  return {
    now: () => time,
    advance: (ms) => {
      time += ms;
    },
  };
}
