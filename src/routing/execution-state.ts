// What one request's attempts have gone through: each failure (for the final error, which says what
// every attempt got), the warnings of the attempt that answered, and the route explanation.
import { GatewayError } from '../core/errors.ts';
import type { AttemptWalker } from './attempt-walker.ts';
import type { Candidate } from './candidate.ts';
import type { RouteDecision, RouteFailover } from './route-decision.ts';

export interface Failure {
  candidate: Candidate;
  error: GatewayError;
}

export class ExecutionState {
  readonly failures: Failure[] = [];
  warnings: string[] = [];
  /** why a mid-stream failover was not attempted */
  refusal?: string;
  readonly route: RouteDecision;

  constructor(route: RouteDecision) {
    this.route = route;
  }

  noteFailover(
    from: Candidate,
    to: Candidate,
    mode: RouteFailover['mode'],
    afterChars: number,
    reason: string,
  ): void {
    this.route.failovers ??= [];
    this.route.failovers.push({
      from: label(from),
      to: label(to),
      mode,
      after_chars: afterChars,
      reason,
    });
  }

  /**
   * The error the client gets when no attempt succeeded: a single failure as it is (its status, type
   * and retry-after kept); several as the last one's status and type with a message listing each.
   */
  finalError(walker: AttemptWalker): GatewayError {
    if (walker.stopped) this.route.stopped = walker.stopped;
    const failures = this.failures;
    const last = failures.at(-1)?.error;
    if (!last) return new GatewayError('upstream_unavailable', 'No deployment could be tried');
    const notes = [
      walker.stopped && `stopped: ${walker.stopped}`,
      this.refusal && `not continued: ${this.refusal}`,
    ]
      .filter(Boolean)
      .join('; ');
    if (failures.length === 1 && !notes) return last;
    const summary = failures
      .map(({ candidate, error }) => `${label(candidate)}: ${error.status} ${error.message}`)
      .join('; ');
    const count = failures.length === 1 ? 'The attempt' : `All ${failures.length} attempts`;
    return new GatewayError(last.code, `${count} failed${notes ? ` (${notes})` : ''}: ${summary}`, {
      status: last.status,
      retryable: last.retryable,
      upstreamType: last.upstreamType,
      upstreamCode: last.upstreamCode,
      param: last.param,
      provider: last.provider,
      retryAfter: last.retryAfter,
      details: {
        attempts: failures.map(({ candidate, error }) => ({
          provider: candidate.target.provider.id,
          model: candidate.target.deployment.model,
          status: error.status,
          code: error.code,
          message: error.message,
        })),
      },
    });
  }
}

function label(candidate: Candidate): string {
  return `${candidate.target.provider.id}/${candidate.target.deployment.model}`;
}
