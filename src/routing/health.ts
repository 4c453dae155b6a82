// Live health of each deployment, learned from traffic: time to first token, output speed and recent
// success (each an exponentially weighted moving average), plus a circuit breaker that cools a failing
// deployment for a while and lets one probe request test it before traffic returns.
//
// The store is synchronous on purpose: ranking reads it on every request and must not await. A shared
// (Redis) implementation fills the same interface by serving reads from a local copy it refreshes in
// the background and by publishing the recorded outcomes asynchronously; it never blocks a request.
//
// Measurements fade back to the prior when a deployment gets no traffic (half-lives below), so a
// deployment that was slow or failing an hour ago is tried again instead of being shunned forever.

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface DeploymentHealth {
  /** EWMA of time to first token, ms; undefined until measured */
  ttftMs?: number;
  /** EWMA of output tokens per second while streaming; undefined until measured */
  tokensPerSecond?: number;
  /** EWMA of outcomes (1 success, 0 failure) */
  uptime: number;
  samples: number;
  /** consecutive failures */
  failures: number;
  /** epoch ms until which the breaker is open; 0 when closed */
  openUntil: number;
  /** times opened in a row (each doubles the cool-down) */
  opens: number;
  /** epoch ms until which a probe request holds the half-open breaker */
  probeUntil: number;
  updatedAt: number;
}

export interface HealthSample {
  ttftMs?: number;
  tokensPerSecond?: number;
}

export interface HealthStore {
  get(key: string): Readonly<DeploymentHealth> | undefined;
  state(key: string, now: number): BreakerState;
  /** takes the single probe of a half-open breaker; false when another request holds it */
  claimProbe(key: string, now: number): boolean;
  releaseProbe(key: string): void;
  recordSuccess(key: string, sample: HealthSample, now: number): void;
  /** `coolMs`: the upstream asked for a pause (retry-after); the deployment cools at least that long */
  recordFailure(key: string, now: number, coolMs?: number): void;
  entries(): Iterable<[string, Readonly<DeploymentHealth>]>;
}

export interface BreakerOptions {
  failureThreshold: number;
  cooldownMs: number;
  maxCooldownMs: number;
}

const TTFT_ALPHA = 0.3;
const SPEED_ALPHA = 0.3;
const UPTIME_ALPHA = 0.2;
/** half-lives of the fade back to the prior */
export const UPTIME_HALF_LIFE_MS = 60_000;
export const SPEED_HALF_LIFE_MS = 600_000;
/** a probe that never reports back frees the breaker after this long */
const PROBE_LEASE_MS = 60_000;
/** deployments come from clients' model strings too: the map is bounded */
const MAX_ENTRIES = 10_000;

/** The weight a measurement keeps after `elapsed` ms with the given half-life. */
export function retention(elapsed: number, halfLife: number): number {
  return elapsed <= 0 ? 1 : 0.5 ** (elapsed / halfLife);
}

/** A measurement faded toward `prior` by the time since it was taken. */
export function faded(value: number | undefined, prior: number, elapsed: number, halfLife: number): number {
  if (value === undefined) return prior;
  return prior + (value - prior) * retention(elapsed, halfLife);
}

/** One instance's health, in memory. */
export class MemoryHealthStore implements HealthStore {
  private readonly records = new Map<string, DeploymentHealth>();
  private readonly breaker: BreakerOptions;

  constructor(breaker: BreakerOptions) {
    this.breaker = breaker;
  }

  get(key: string): Readonly<DeploymentHealth> | undefined {
    return this.records.get(key);
  }

  entries(): Iterable<[string, Readonly<DeploymentHealth>]> {
    return this.records.entries();
  }

  state(key: string, now: number): BreakerState {
    const record = this.records.get(key);
    if (!record || record.openUntil === 0) return 'closed';
    return now < record.openUntil ? 'open' : 'half-open';
  }

  claimProbe(key: string, now: number): boolean {
    const record = this.records.get(key);
    if (!record || this.state(key, now) !== 'half-open' || record.probeUntil > now) return false;
    record.probeUntil = now + PROBE_LEASE_MS;
    return true;
  }

  releaseProbe(key: string): void {
    const record = this.records.get(key);
    if (record) record.probeUntil = 0;
  }

  recordSuccess(key: string, sample: HealthSample, now: number): void {
    const record = this.record(key, now);
    const elapsed = now - record.updatedAt;
    record.uptime = blend(faded(record.uptime, 1, elapsed, UPTIME_HALF_LIFE_MS), 1, UPTIME_ALPHA);
    if (sample.ttftMs !== undefined)
      record.ttftMs = blendMeasure(record.ttftMs, sample.ttftMs, TTFT_ALPHA, elapsed);
    if (sample.tokensPerSecond !== undefined)
      record.tokensPerSecond = blendMeasure(
        record.tokensPerSecond,
        sample.tokensPerSecond,
        SPEED_ALPHA,
        elapsed,
      );
    record.samples++;
    record.failures = 0;
    record.opens = 0;
    record.openUntil = 0;
    record.probeUntil = 0;
    record.updatedAt = now;
  }

  recordFailure(key: string, now: number, coolMs?: number): void {
    const record = this.record(key, now);
    const elapsed = now - record.updatedAt;
    const wasProbe = this.state(key, now) === 'half-open';
    record.uptime = blend(faded(record.uptime, 1, elapsed, UPTIME_HALF_LIFE_MS), 0, UPTIME_ALPHA);
    record.samples++;
    record.failures++;
    record.probeUntil = 0;
    record.updatedAt = now;
    if (wasProbe || record.failures >= this.breaker.failureThreshold) {
      record.opens++;
      const cooldown = Math.min(
        this.breaker.maxCooldownMs,
        this.breaker.cooldownMs * 2 ** (record.opens - 1),
      );
      record.openUntil = now + cooldown;
    }
    if (coolMs !== undefined && coolMs > 0) record.openUntil = Math.max(record.openUntil, now + coolMs);
  }

  private record(key: string, now: number): DeploymentHealth {
    let record = this.records.get(key);
    if (!record) {
      if (this.records.size >= MAX_ENTRIES) this.evictOldest();
      record = { uptime: 1, samples: 0, failures: 0, openUntil: 0, opens: 0, probeUntil: 0, updatedAt: now };
      this.records.set(key, record);
    }
    return record;
  }

  private evictOldest(): void {
    let dropped = 0;
    for (const key of this.records.keys()) {
      this.records.delete(key);
      if (++dropped >= MAX_ENTRIES / 10) break;
    }
  }
}

function blend(previous: number, sample: number, alpha: number): number {
  return previous + alpha * (sample - previous);
}

/** A stale average counts for less: its share fades with the same half-life as at read time. */
function blendMeasure(previous: number | undefined, sample: number, alpha: number, elapsed: number): number {
  if (previous === undefined) return sample;
  return blend(previous, sample, 1 - (1 - alpha) * retention(elapsed, SPEED_HALF_LIFE_MS));
}
