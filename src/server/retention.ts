// Trace retention: the settings (config `traces:` + environment) and the purge job that removes expired
// trace rows, clears expired payloads and deletes expired stored responses, once at start and then on a timer.
import type { ConfigFile } from '../config/schema.ts';
import type { Store } from '../store/store.ts';

export interface TraceSettings {
  /** days a trace row is kept; 0 = forever */
  retentionDays: number;
  /** store request and response bodies with each trace */
  logPayloads: boolean;
  /** days stored bodies are kept; 0 = as long as the row */
  payloadRetentionDays: number;
  purgeIntervalMs: number;
}

export const TRACE_DEFAULTS: TraceSettings = {
  retentionDays: 30,
  logPayloads: false,
  payloadRetentionDays: 7,
  purgeIntervalMs: 60 * 60_000,
};

/** Environment over config file over defaults. */
export function resolveTraceSettings(
  config: ConfigFile['traces'] | undefined,
  env: NodeJS.ProcessEnv,
): TraceSettings {
  const traces = config ?? {};
  return {
    retentionDays: days(
      'SWITCHYARD_TRACE_RETENTION_DAYS',
      env.SWITCHYARD_TRACE_RETENTION_DAYS,
      traces.retention_days ?? TRACE_DEFAULTS.retentionDays,
    ),
    logPayloads: flag('SWITCHYARD_LOG_PAYLOADS', env.SWITCHYARD_LOG_PAYLOADS, traces.log_payloads ?? false),
    payloadRetentionDays: traces.payload_retention_days ?? TRACE_DEFAULTS.payloadRetentionDays,
    purgeIntervalMs:
      traces.purge_interval_minutes === undefined
        ? TRACE_DEFAULTS.purgeIntervalMs
        : traces.purge_interval_minutes * 60_000,
  };
}

function days(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`${name} must be a number of days >= 0`);
  return parsed;
}

function flag(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value.trim() === '') return fallback;
  const text = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(text)) return true;
  if (['0', 'false', 'no', 'off'].includes(text)) return false;
  throw new Error(`${name} must be true or false`);
}

export interface PurgeOutcome {
  /** when the purge ran (the clock's value) */
  at: number;
  tracesDeleted: number;
  payloadsCleared: number;
  responsesDeleted: number;
}

export interface RetentionJob {
  /** Purges at `now` (default the job's clock), after any purge already running. */
  runOnce(now?: number): Promise<PurgeOutcome>;
  /** Stops the timer and waits for a running purge, so the store can close after it. */
  stop(): Promise<void>;
}

export interface RetentionOptions {
  store: Pick<Store, 'purgeTraces' | 'purgeResponses'>;
  intervalMs: number;
  /** injected clock; default Date.now */
  now?: () => number;
  /** after each purge that removed something */
  onPurged?: (outcome: PurgeOutcome) => void;
  /** a failed purge; the next tick tries again */
  onError?: (error: unknown) => void;
}

/** Starts the purge job: once now, then every `intervalMs` on an unref'd timer. */
export function startRetention(options: RetentionOptions): RetentionJob {
  const clock = options.now ?? Date.now;
  let running: Promise<PurgeOutcome> | undefined;
  let stopped = false;

  const purge = async (at: number): Promise<PurgeOutcome> => {
    const traces = await options.store.purgeTraces(at);
    const responsesDeleted = await options.store.purgeResponses(at);
    const outcome = { at, ...traces, responsesDeleted };
    if (outcome.tracesDeleted + outcome.payloadsCleared + responsesDeleted > 0) options.onPurged?.(outcome);
    return outcome;
  };
  const runOnce = (now?: number): Promise<PurgeOutcome> => {
    const run = (running ?? Promise.resolve()).catch(() => {}).then(() => purge(now ?? clock()));
    running = run;
    const clear = () => {
      if (running === run) running = undefined;
    };
    run.then(clear, clear);
    return run;
  };
  const tick = () => {
    if (stopped || running) return;
    runOnce().catch((error: unknown) => options.onError?.(error));
  };
  const timer = setInterval(tick, Math.max(1, options.intervalMs));
  timer.unref();
  tick();
  return {
    runOnce,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => {});
    },
  };
}
