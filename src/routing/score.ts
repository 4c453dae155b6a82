// Ranking: a balanced score over price, latency (time to first token), throughput (output tokens per
// second) and uptime (recent success), or one of them alone for the `:cost`, `:latency` and
// `:throughput` variants. Each part is relative to the best candidate, softened by a constant so that
// differences nobody would notice (a few ms, a few cents) do not flip the order back and forth.
import type { Candidate } from './candidate.ts';
import {
  type BreakerState,
  faded,
  type HealthStore,
  SPEED_HALF_LIFE_MS,
  UPTIME_HALF_LIFE_MS,
} from './health.ts';
import type { ScoreWeights, Strategy } from './routing-settings.ts';

export interface Scored {
  candidate: Candidate;
  score: number;
  ttftMs: number;
  tokensPerSecond: number;
  uptime: number;
  state: BreakerState;
}

/** softening constants: ms, tokens/s, USD per million tokens */
const LATENCY_SOFTENING = 200;
const SPEED_SOFTENING = 20;
const PRICE_SOFTENING = 0.1;
/** an unknown price ranks as neither cheap nor dear */
const UNKNOWN_PRICE_SCORE = 0.5;

/** Live (or prior) figures and the balanced score of each candidate. */
export function scoreCandidates(
  candidates: readonly Candidate[],
  health: HealthStore,
  weights: ScoreWeights,
  now: number,
): Scored[] {
  const scored: Scored[] = new Array(candidates.length);
  let minTtft = Number.POSITIVE_INFINITY;
  let maxSpeed = 0;
  let minPrice = Number.POSITIVE_INFINITY;
  for (let i = 0; i < candidates.length; i++) {
    const candidate = candidates[i];
    const record = health.get(candidate.key);
    const elapsed = record ? now - record.updatedAt : 0;
    const ttftMs = faded(record?.ttftMs, candidate.prior.ttftMs, elapsed, SPEED_HALF_LIFE_MS);
    const tokensPerSecond = faded(
      record?.tokensPerSecond,
      candidate.prior.tokensPerSecond,
      elapsed,
      SPEED_HALF_LIFE_MS,
    );
    const uptime = faded(record?.uptime, 1, elapsed, UPTIME_HALF_LIFE_MS);
    scored[i] = {
      candidate,
      score: 0,
      ttftMs,
      tokensPerSecond,
      uptime,
      state: health.state(candidate.key, now),
    };
    if (ttftMs < minTtft) minTtft = ttftMs;
    if (tokensPerSecond > maxSpeed) maxSpeed = tokensPerSecond;
    if (candidate.price !== undefined && candidate.price < minPrice) minPrice = candidate.price;
  }
  for (const entry of scored) {
    const price = entry.candidate.price;
    const priceScore =
      price === undefined ? UNKNOWN_PRICE_SCORE : (minPrice + PRICE_SOFTENING) / (price + PRICE_SOFTENING);
    entry.score =
      weights.price * priceScore +
      weights.latency * ((minTtft + LATENCY_SOFTENING) / (entry.ttftMs + LATENCY_SOFTENING)) +
      weights.throughput * ((entry.tokensPerSecond + SPEED_SOFTENING) / (maxSpeed + SPEED_SOFTENING)) +
      weights.uptime * entry.uptime * entry.uptime;
  }
  return scored;
}

const COMPARATORS: Record<Exclude<Strategy, 'ordered'>, (a: Scored, b: Scored) => number> = {
  balanced: (a, b) => b.score - a.score,
  cost: (a, b) => priceOf(a) - priceOf(b) || b.score - a.score,
  latency: (a, b) => a.ttftMs - b.ttftMs || b.score - a.score,
  throughput: (a, b) => b.tokensPerSecond - a.tokensPerSecond || b.score - a.score,
};

function priceOf(entry: Scored): number {
  return entry.candidate.price ?? Number.POSITIVE_INFINITY;
}

/**
 * Orders scored candidates by the strategy (stable: equals keep their configured order). With
 * `weighted`, the first is drawn at random in proportion to the configured weights among the
 * deployments whose breaker is closed; the rest follow by score, as fallbacks.
 */
export function orderScored(
  scored: Scored[],
  strategy: Strategy,
  weighted: boolean,
  random: () => number,
): Scored[] {
  if (strategy !== 'ordered') stableSort(scored, COMPARATORS[strategy]);
  if (!weighted) return scored;
  const pick = weightedPick(scored, random);
  if (pick > 0) scored.unshift(...scored.splice(pick, 1));
  return scored;
}

/**
 * Insertion sort for the few deployments a model usually has (stable, in place): Array.prototype.sort
 * allocates a work copy and sort state on every call, and ranking runs on every routed request.
 */
const INSERTION_SORT_MAX = 16;

function stableSort<T>(items: T[], compare: (a: T, b: T) => number): void {
  if (items.length > INSERTION_SORT_MAX) {
    items.sort(compare);
    return;
  }
  for (let i = 1; i < items.length; i++) {
    const item = items[i];
    let j = i - 1;
    while (j >= 0 && compare(items[j], item) > 0) {
      items[j + 1] = items[j];
      j--;
    }
    items[j + 1] = item;
  }
}

function weightedPick(scored: Scored[], random: () => number): number {
  let total = 0;
  for (const entry of scored) if (entry.state === 'closed') total += entry.candidate.weight ?? 1;
  if (total <= 0) return 0;
  let draw = random() * total;
  for (let i = 0; i < scored.length; i++) {
    if (scored[i].state !== 'closed') continue;
    draw -= scored[i].candidate.weight ?? 1;
    if (draw < 0) return i;
  }
  return 0;
}
