// The explanation of one routing decision: which deployments were candidates, in what order and with
// what scores, which were left out and why, and any mid-stream failover. Stored with the trace and,
// on `x-switchyard-debug: route`, returned in the `x-switchyard-route` header.
import type { Candidate } from './candidate.ts';
import type { Scored } from './score.ts';

export type RouteCandidate = {
  provider: string;
  model: string;
  model_id: string;
  score?: number;
  /** blended USD per million tokens */
  price?: number;
  ttft_ms?: number;
  tokens_per_second?: number;
  uptime?: number;
  breaker?: 'open' | 'half-open';
  weight?: number;
  probe?: true;
};

export type RouteFiltered = {
  provider: string;
  model: string;
  model_id?: string;
  reason: string;
};

export type RouteFailover = {
  from: string;
  to: string;
  /** native: assistant prefix continued; instructed: asked to continue; restart: nothing had reached the client */
  mode: 'native' | 'instructed' | 'restart' | 'refused';
  /** characters of answer text the client had when the first deployment died */
  after_chars: number;
  reason: string;
};

export type RouteDecision = {
  /** the model string as the client sent it */
  requested: string;
  strategy: string;
  policy?: string;
  preset?: string;
  variant?: string;
  candidates: RouteCandidate[];
  filtered?: RouteFiltered[];
  failovers?: RouteFailover[];
  /** why the attempts stopped before the list ran out */
  stopped?: string;
};

const round = (value: number, places = 3) => {
  const factor = 10 ** places;
  return Math.round(value * factor) / factor;
};

export function describeCandidate(candidate: Candidate, scored?: Scored, probe = false): RouteCandidate {
  const target = candidate.target;
  // one literal per shape: adding the scores one by one grew a property store for every candidate
  const out: RouteCandidate = scored
    ? {
        provider: target.provider.id,
        model: target.deployment.model,
        model_id: target.modelId,
        score: round(scored.score),
        ttft_ms: Math.round(scored.ttftMs),
        tokens_per_second: round(scored.tokensPerSecond, 1),
        uptime: round(scored.uptime),
      }
    : { provider: target.provider.id, model: target.deployment.model, model_id: target.modelId };
  if (scored && scored.state !== 'closed') out.breaker = scored.state;
  if (candidate.price !== undefined) out.price = round(candidate.price, 4);
  if (candidate.weight !== undefined) out.weight = candidate.weight;
  if (probe) out.probe = true;
  return out;
}

export function describeFiltered(candidate: Candidate, reason: string): RouteFiltered {
  return {
    provider: candidate.target.provider.id,
    model: candidate.target.deployment.model,
    model_id: candidate.target.modelId,
    reason,
  };
}

/** Header-safe compact JSON (ASCII only). */
export function routeHeader(decision: RouteDecision): string {
  return JSON.stringify(decision).replace(
    /[^\x20-\x7e]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
