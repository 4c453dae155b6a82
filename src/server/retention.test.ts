import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { traceRetention } from './record-to-trace.ts';
import { type PurgeOutcome, resolveTraceSettings, startRetention, TRACE_DEFAULTS } from './retention.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const DAY = 86_400_000;

/** A store whose purges record the `now` they were given; each purge can be held open. */
function fakeStore(options: { fail?: () => boolean; removed?: number } = {}) {
  const calls: Array<['traces' | 'responses', number]> = [];
  let gate: Promise<void> | undefined;
  return {
    calls,
    hold() {
      let release = () => {};
      gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      return () => {
        gate = undefined;
        release();
      };
    },
    async purgeTraces(now: number) {
      calls.push(['traces', now]);
      await gate;
      if (options.fail?.()) throw new Error('database is down');
      return { tracesDeleted: options.removed ?? 0, payloadsCleared: 0 };
    },
    async purgeResponses(now: number) {
      calls.push(['responses', now]);
      return 0;
    },
  };
}

describe('retention purge job', () => {
  test('purges once at start, then every interval, with the injected clock', async () => {
    const store = fakeStore();
    let clock = 1000;
    const job = startRetention({ store, intervalMs: 20, now: () => clock });
    await sleep(1);
    assert.deepEqual(store.calls, [
      ['traces', 1000],
      ['responses', 1000],
    ]);
    clock = 5000;
    await sleep(70);
    await job.stop();
    const later = store.calls.slice(2);
    assert.ok(later.length >= 2, `ran again on the timer (${later.length / 2} times)`);
    assert.ok(later.every(([, now]) => now === 5000));
    const count = store.calls.length;
    await sleep(50);
    assert.equal(store.calls.length, count, 'nothing runs after stop');
  });

  test('runOnce(now) runs after a purge in progress, with its own time; stop waits for it', async () => {
    const store = fakeStore({ removed: 3 });
    const release = store.hold();
    const purged: PurgeOutcome[] = [];
    const job = startRetention({ store, intervalMs: 60_000, now: () => 1, onPurged: (o) => purged.push(o) });
    const explicit = job.runOnce(99);
    await sleep(5);
    assert.deepEqual(store.calls, [['traces', 1]], 'the second purge waits for the first');
    let stopped = false;
    const stopping = job.stop().then(() => {
      stopped = true;
    });
    release();
    assert.deepEqual(await explicit, { at: 99, tracesDeleted: 3, payloadsCleared: 0, responsesDeleted: 0 });
    await stopping;
    assert.equal(stopped, true);
    assert.deepEqual(
      purged.map((o) => o.at),
      [1, 99],
    );
    assert.deepEqual(store.calls, [
      ['traces', 1],
      ['responses', 1],
      ['traces', 99],
      ['responses', 99],
    ]);
  });

  test('a failing purge is reported and the next tick tries again; nothing purged means no report', async () => {
    let failing = true;
    const store = fakeStore({ fail: () => failing });
    const errors: string[] = [];
    const purged: PurgeOutcome[] = [];
    const job = startRetention({
      store,
      intervalMs: 15,
      onError: (e) => errors.push((e as Error).message),
      onPurged: (o) => purged.push(o),
    });
    await sleep(5);
    assert.deepEqual(errors, ['database is down']);
    failing = false;
    await sleep(40);
    await job.stop();
    assert.equal(errors.length, 1);
    assert.ok(store.calls.filter(([kind]) => kind === 'responses').length >= 1, 'later purges succeeded');
    assert.deepEqual(purged, []);
  });
});

describe('trace settings', () => {
  test('defaults: 30 days, payload logging off, bodies 7 days, purge hourly', () => {
    assert.deepEqual(resolveTraceSettings(undefined, {}), {
      retentionDays: 30,
      logPayloads: false,
      payloadRetentionDays: 7,
      purgeIntervalMs: 3_600_000,
    });
    assert.deepEqual(resolveTraceSettings(undefined, {}), TRACE_DEFAULTS);
  });

  test('config, with the environment over it', () => {
    const config = {
      retention_days: 90,
      log_payloads: true,
      payload_retention_days: 1,
      purge_interval_minutes: 5,
    };
    assert.deepEqual(resolveTraceSettings(config, {}), {
      retentionDays: 90,
      logPayloads: true,
      payloadRetentionDays: 1,
      purgeIntervalMs: 300_000,
    });
    const env = { SWITCHYARD_TRACE_RETENTION_DAYS: '0', SWITCHYARD_LOG_PAYLOADS: 'false' };
    assert.deepEqual(resolveTraceSettings(config, env), {
      retentionDays: 0,
      logPayloads: false,
      payloadRetentionDays: 1,
      purgeIntervalMs: 300_000,
    });
    assert.equal(resolveTraceSettings(undefined, { SWITCHYARD_LOG_PAYLOADS: '1' }).logPayloads, true);
  });

  test('invalid environment values are refused at start', () => {
    assert.throws(
      () => resolveTraceSettings(undefined, { SWITCHYARD_TRACE_RETENTION_DAYS: 'a month' }),
      /SWITCHYARD_TRACE_RETENTION_DAYS must be a number of days >= 0/,
    );
    assert.throws(
      () => resolveTraceSettings(undefined, { SWITCHYARD_LOG_PAYLOADS: 'maybe' }),
      /SWITCHYARD_LOG_PAYLOADS must be true or false/,
    );
  });
});

describe('traceRetention', () => {
  const settings = { ...TRACE_DEFAULTS, logPayloads: true };
  const T = 1_700_000_000_000;

  test('bodies expire after payload_retention_days, rows after retention_days', () => {
    assert.deepEqual(traceRetention(T, settings), {
      recordExpiresAt: T + 30 * DAY,
      payloadExpiresAt: T + 7 * DAY,
      keepPayloads: true,
    });
  });

  test('bodies never outlive their row; 0 means forever for rows and as long as the row for bodies', () => {
    assert.deepEqual(traceRetention(T, { ...settings, retentionDays: 2 }), {
      recordExpiresAt: T + 2 * DAY,
      payloadExpiresAt: T + 2 * DAY,
      keepPayloads: true,
    });
    assert.deepEqual(traceRetention(T, { ...settings, retentionDays: 0 }), {
      recordExpiresAt: null,
      payloadExpiresAt: T + 7 * DAY,
      keepPayloads: true,
    });
    assert.deepEqual(traceRetention(T, { ...settings, retentionDays: 3, payloadRetentionDays: 0 }), {
      recordExpiresAt: T + 3 * DAY,
      payloadExpiresAt: T + 3 * DAY,
      keepPayloads: true,
    });
    assert.deepEqual(traceRetention(T, { ...settings, retentionDays: 0, payloadRetentionDays: 0 }), {
      recordExpiresAt: null,
      payloadExpiresAt: null,
      keepPayloads: true,
    });
  });

  test("a model's data_retention_days sets both; 0 keeps no bodies and expires the row at once", () => {
    assert.deepEqual(traceRetention(T, settings, 0.5), {
      recordExpiresAt: T + DAY / 2,
      payloadExpiresAt: T + DAY / 2,
      keepPayloads: true,
    });
    assert.deepEqual(traceRetention(T, settings, 0), {
      recordExpiresAt: T,
      payloadExpiresAt: null,
      keepPayloads: false,
    });
  });

  test('payload logging off: no bodies whatever the retention', () => {
    assert.deepEqual(traceRetention(T, TRACE_DEFAULTS, 90), {
      recordExpiresAt: T + 90 * DAY,
      payloadExpiresAt: null,
      keepPayloads: false,
    });
    assert.deepEqual(traceRetention(T, TRACE_DEFAULTS), {
      recordExpiresAt: T + 30 * DAY,
      payloadExpiresAt: null,
      keepPayloads: false,
    });
  });
});
