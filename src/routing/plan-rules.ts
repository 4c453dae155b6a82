// The rules a plan applies, apart from ranking: which deployments are left out (operation, provider
// preferences, capabilities), how `provider.order` / `allow_fallbacks` reorder them, and the errors
// when nothing is left.
import { GatewayError } from '../core/errors.ts';
import type { Operation } from '../core/protocols.ts';
import { adapterFor } from '../providers/registry.ts';
import type { Candidate } from './candidate.ts';
import { type Requirements, unmetRequirement } from './capabilities.ts';
import type { RouteFiltered } from './route-decision.ts';
import type { ProviderPreferences } from './routing-settings.ts';
import type { Scored } from './score.ts';

/** One model's candidates; when there was something to rank, `scored[i]` is `candidates[i]`'s score. */
export interface Group {
  candidates: Candidate[];
  scored?: Scored[];
}

export function excludedBecause(
  candidate: Candidate,
  operation: Operation,
  only: Set<string> | undefined,
  ignore: Set<string> | undefined,
  needs: () => Requirements,
): string | undefined {
  const provider = candidate.target.provider.id;
  if (!adapterFor(candidate.target.provider).operations.has(operation))
    return `does not support ${operation}`;
  if (only && !only.has(provider)) return 'not in provider.only';
  if (ignore?.has(provider)) return 'in provider.ignore';
  if (operation !== 'chat') return undefined;
  const limited =
    candidate.contextWindow !== undefined ||
    candidate.capabilities?.tools === false ||
    candidate.capabilities?.images === false ||
    candidate.capabilities?.jsonSchema === false;
  return limited ? unmetRequirement(needs(), candidate.capabilities, candidate.contextWindow) : undefined;
}

/**
 * `provider.order`: the named providers first, in that order (each keeping its rank among its own
 * deployments), then the rest by rank; with `allow_fallbacks: false` only the named ones (or, without
 * `order`, only the best ranked).
 */
export function applyOrder(group: Group, preferences: ProviderPreferences): Group {
  const { order, allowFallbacks } = preferences;
  if (!order?.length) {
    return allowFallbacks === false ? pick(group, group.candidates.length ? [0] : []) : group;
  }
  const front: number[] = [];
  for (const provider of order) {
    group.candidates.forEach((candidate, index) => {
      if (candidate.target.provider.id === provider) front.push(index);
    });
  }
  if (allowFallbacks === false) return pick(group, front);
  const rest = group.candidates.map((_, index) => index).filter((index) => !front.includes(index));
  return pick(group, [...front, ...rest]);
}

/** The group's entries at these positions, candidates and scores kept side by side. */
function pick(group: Group, positions: number[]): Group {
  const candidates = positions.map((index) => group.candidates[index]);
  const scored = group.scored;
  return scored ? { candidates, scored: positions.map((index) => scored[index]) } : { candidates };
}

const NO_PREFERENCES: ProviderPreferences = Object.freeze({});

export function mergePreferences(
  base: ProviderPreferences | undefined,
  request: ProviderPreferences | undefined,
): ProviderPreferences {
  if (!base) return request ?? NO_PREFERENCES;
  if (!request) return base;
  return { ...base, ...request };
}

export function dedupe(models: string[]): string[] {
  return [...new Set(models)];
}

export function nothingEligible(
  request: { model: string; operation: Operation },
  groups: Array<{ candidates: Candidate[] }>,
  filtered: RouteFiltered[],
): GatewayError {
  const all = groups.flatMap((group) => group.candidates);
  const operationOnly = filtered.every((entry) => entry.reason === `does not support ${request.operation}`);
  if (operationOnly && all.length > 0) return unsupportedOperation(all, request.operation);
  const reasons = filtered
    .filter((entry) => entry.provider !== '')
    .map((entry) => `${entry.provider}/${entry.model}: ${entry.reason}`)
    .join('; ');
  return new GatewayError(
    'no_capable_deployment',
    `No deployment of \`${request.model}\` can serve this request (${reasons}).`,
    { param: 'model', details: { filtered } },
  );
}

export function unsupportedOperation(candidates: Candidate[], operation: Operation): GatewayError {
  const providers = [...new Set(candidates.map((candidate) => candidate.target.provider.id))].join(', ');
  return new GatewayError('unsupported_operation', `Provider ${providers} does not support ${operation}`, {
    details: { provider: providers, operation },
  });
}

export function missingNamed(
  name: string,
  section: string,
  defined: Record<string, unknown>,
  problem = 'is not defined',
): GatewayError {
  const known = Object.keys(defined);
  const hint = known.length ? ` (defined: ${known.join(', ')})` : '';
  return new GatewayError(
    'model_not_found',
    `The routing profile \`${name}\` ${problem} in ${section}${hint}.`,
    {
      param: 'model',
      upstreamCode: 'model_not_found',
    },
  );
}
