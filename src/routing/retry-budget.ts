// A per-instance budget for attempts beyond a request's first (retries, fallbacks, mid-stream
// failovers), so an outage cannot turn every request into several upstream calls (a retry storm).
// Each request earns `ratio` of a retry; on top, `minPerSecond` retries are always allowed so that a
// quiet instance can still fail over. Without earnings, extra attempts stop until the budget refills.
import type { RetryBudgetSettings } from './routing-settings.ts';

/** earnings kept at most: a burst of failures after a long calm spends no more than this */
const MAX_EARNED = 100;

export class RetryBudget {
  private earned = 0;
  private reserve: number;
  private refilledAt: number;
  private readonly settings: RetryBudgetSettings;

  constructor(settings: RetryBudgetSettings, now = Date.now()) {
    this.settings = settings;
    this.reserve = settings.minPerSecond;
    this.refilledAt = now;
  }

  /** Every request earns its share. */
  deposit(): void {
    this.earned = Math.min(MAX_EARNED, this.earned + this.settings.ratio);
  }

  /** Spends one extra attempt; false when the budget is exhausted. */
  withdraw(now = Date.now()): boolean {
    this.refill(now);
    if (this.reserve >= 1) {
      this.reserve -= 1;
      return true;
    }
    if (this.earned >= 1) {
      this.earned -= 1;
      return true;
    }
    return false;
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.refilledAt) / 1000;
    this.refilledAt = now;
    const max = this.settings.minPerSecond;
    this.reserve = Math.min(max, this.reserve + elapsed * max);
  }
}
