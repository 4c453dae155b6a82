import type { BackoffSettings } from './routing-settings.ts';

/**
 * Delay before retry number `retry` (0 for the first retry): exponential, with "equal jitter" (half
 * fixed, half random) so that clients failing together do not come back together. An upstream's
 * `retry-after` is honoured: the delay is never shorter than what it asked for.
 */
export function backoffDelay(
  retry: number,
  settings: BackoffSettings,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(settings.maxMs, settings.initialMs * 2 ** retry);
  const delay = ceiling / 2 + random() * (ceiling / 2);
  return Math.max(Math.round(delay), retryAfterMs ?? 0);
}

/** Waits `ms`, or less when the signal aborts (then resolves false). */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (ms <= 0) return Promise.resolve(!signal?.aborted);
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (completed: boolean) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(completed);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
