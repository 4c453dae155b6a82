import type { AttemptTap, Target } from '../core/adapters.ts';
import type { Usage } from '../core/canonical.ts';
import { addUsage } from '../core/canonical.ts';
import type { GatewayError } from '../core/errors.ts';
import type { WireProtocol } from '../core/protocols.ts';
import type { RouteDecision } from './route-decision.ts';

export interface AttemptRecord {
  provider: string;
  model: string;
  startedAt: number;
  latencyMs?: number;
  ttftMs?: number;
  status?: number;
  errorCode?: string;
  errorMessage?: string;
  usage?: Usage;
}

/**
 * Everything known about one request as it runs: the attempts, the usage the reply reported,
 * timing. Completed once, then handed to whoever records traces and metrics.
 */
export class RequestRecord {
  readonly requestId: string;
  readonly startedAt = Date.now();
  private readonly startedHr = performance.now();
  readonly clientProtocol: WireProtocol;
  readonly endpoint: string;
  requestedModel = '';
  resolvedModel?: string;
  provider?: string;
  responseModel?: string;
  stream = false;
  attempts: AttemptRecord[] = [];
  usage?: Usage;
  finishReason?: string;
  warnings: string[] = [];
  httpStatus = 200;
  error?: GatewayError;
  ttftMs?: number;
  latencyMs?: number;
  traceGroupId?: string;
  /** how the deployments were chosen, ranked and failed over (stored with the trace) */
  route?: RouteDecision;
  /** the finished request's cost in USD (null: a price is unknown), once something computed it */
  costUsd?: number | null;
  /** W3C trace context the client sent */
  traceparent?: string;
  tracestate?: string;
  private completed = false;
  private readonly listeners: Array<(record: RequestRecord) => void> = [];

  constructor(requestId: string, clientProtocol: WireProtocol, endpoint: string) {
    this.requestId = requestId;
    this.clientProtocol = clientProtocol;
    this.endpoint = endpoint;
  }

  elapsedMs(): number {
    return performance.now() - this.startedHr;
  }

  onComplete(listener: (record: RequestRecord) => void): void {
    this.listeners.push(listener);
  }

  startAttempt(target: Target): AttemptTracker {
    const attempt: AttemptRecord = {
      provider: target.provider.id,
      model: target.deployment.model,
      startedAt: Date.now(),
    };
    this.attempts.push(attempt);
    return new AttemptTracker(this, attempt);
  }

  /** first byte of any attempt: the request's time to first token */
  noteFirstByte(): void {
    this.ttftMs ??= this.elapsedMs();
  }

  /** Called exactly once, when the last byte went to the client (or the request failed). */
  complete(error?: GatewayError): void {
    if (this.completed) return;
    this.completed = true;
    if (error) {
      this.error = error;
      this.httpStatus = error.status;
    }
    this.latencyMs = this.elapsedMs();
    this.usage = this.attempts.reduce<Usage | undefined>(
      (total, attempt) => (attempt.usage ? (total ? addUsage(total, attempt.usage) : attempt.usage) : total),
      undefined,
    );
    for (const listener of this.listeners) listener(this);
  }
}

/** What one attempt reports while it runs, written into its AttemptRecord and the request's record. */
export class AttemptTracker implements AttemptTap {
  readonly attempt: AttemptRecord;
  readonly #record: RequestRecord;
  readonly #startedHr = performance.now();

  constructor(record: RequestRecord, attempt: AttemptRecord) {
    this.#record = record;
    this.attempt = attempt;
  }

  onFirstByte(): void {
    this.attempt.ttftMs ??= performance.now() - this.#startedHr;
    this.#record.noteFirstByte();
  }

  onUsage(usage: Usage): void {
    this.attempt.usage = usage;
  }

  onFinish(reason: string | undefined): void {
    this.#record.finishReason = reason;
  }

  onResponseModel(model: string): void {
    this.#record.responseModel = model;
  }

  fail(error: GatewayError): void {
    const attempt = this.attempt;
    attempt.status = error.status;
    attempt.errorCode = error.code;
    attempt.errorMessage = error.message;
    attempt.latencyMs ??= performance.now() - this.#startedHr;
  }

  end(): void {
    this.attempt.status ??= 200;
    this.attempt.latencyMs ??= performance.now() - this.#startedHr;
  }
}
