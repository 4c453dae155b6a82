// Walks a plan's deployments: the same deployment again after a transient failure (with backoff,
// honouring retry-after), then the next one; never after an error the request itself caused. Every
// attempt beyond the first spends the instance's retry budget, and a request makes at most
// `maxAttempts` attempts, mid-stream failovers included.
import type { GatewayError } from '../core/errors.ts';
import type { Cancellation } from '../transport/cancellation.ts';
import { backoffDelay, sleep } from './backoff.ts';
import type { Candidate } from './candidate.ts';
import type { ModelRouter, Plan } from './router.ts';

/** retry: worth another try, here or elsewhere; next: this deployment cannot serve it, another may; stop: the request's own fault. */
export type FailureKind = 'retry' | 'next' | 'stop';

/** Transient upstream conditions (408, 409, 429, 5xx, 529, timeouts, connection and stream failures). */
const TRANSIENT = new Set([
  'rate_limited',
  'upstream_error',
  'upstream_unavailable',
  'upstream_overloaded',
  'upstream_timeout',
  'upstream_connection',
  'upstream_stream_broken',
]);
/** The deployment (its key, access, quota or model) is the problem, not the request. */
const DEPLOYMENT_FAULTS = new Set([
  'unauthorized',
  'forbidden',
  'not_found',
  'rate_limited',
  'no_provider_key',
]);

export function classifyFailure(error: GatewayError): FailureKind {
  if (error.code === 'client_closed') return 'stop';
  if (error.retryable) return TRANSIENT.has(error.code) ? 'retry' : 'next';
  return DEPLOYMENT_FAULTS.has(error.code) ? 'next' : 'stop';
}

export class AttemptWalker {
  /** attempts started so far */
  attempts = 0;
  /** why the walk ended while deployments were left to try (budget, attempt limit) */
  stopped?: string;
  private position = 0;
  private tries = 0;
  private readonly plan: Plan;
  private readonly router: ModelRouter;
  private readonly cancellation: Cancellation;

  constructor(plan: Plan, router: ModelRouter, cancellation: Cancellation) {
    this.plan = plan;
    this.router = router;
    this.cancellation = cancellation;
  }

  first(): Candidate {
    this.attempts = 1;
    return this.plan.candidates[0];
  }

  current(): Candidate {
    return this.plan.candidates[this.position];
  }

  /** Whether any attempt could follow a transient failure (budget aside). */
  hasMore(): boolean {
    if (this.attempts >= this.plan.maxAttempts) return false;
    return this.position + 1 < this.plan.candidates.length || this.tries < this.plan.retries;
  }

  /** The deployment to try after `failure`, once any backoff has passed; undefined when the walk ends. */
  async next(failure: GatewayError): Promise<Candidate | undefined> {
    const kind = classifyFailure(failure);
    if (kind === 'stop' || this.cancellation.cancelled) return undefined;
    if (this.attempts >= this.plan.maxAttempts)
      return this.stop(`max_attempts (${this.plan.maxAttempts}) reached`);
    const settings = this.router.settings;
    const retryAfterMs = failure.retryAfter === undefined ? undefined : failure.retryAfter * 1000;
    let delay = 0;
    if (
      kind === 'retry' &&
      this.tries < this.plan.retries &&
      (retryAfterMs ?? 0) <= settings.maxRetryAfterMs
    ) {
      delay = backoffDelay(this.tries, settings.backoff, retryAfterMs, this.router.random);
      this.tries++;
    } else {
      if (this.position + 1 >= this.plan.candidates.length) return undefined;
      this.position++;
      this.tries = 0;
    }
    if (!this.router.budget.withdraw()) return this.stop('retry budget exhausted');
    if (delay > 0 && !(await sleep(delay, this.cancellation.signal))) return undefined;
    this.attempts++;
    return this.plan.candidates[this.position];
  }

  /** Probes this request claimed but never tried go back to the pool. */
  releaseUntried(): void {
    const tried = new Set(this.plan.candidates.slice(0, this.position + 1).map((candidate) => candidate.key));
    for (const key of this.plan.probes) if (!tried.has(key)) this.router.health.releaseProbe(key);
  }

  private stop(reason: string): undefined {
    this.stopped = reason;
    return undefined;
  }
}
