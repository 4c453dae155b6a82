import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Cancellation } from './cancellation.ts';

test('registered targets are cancelled once, with the reason; unregistered ones are not', () => {
  const cancellation = new Cancellation();
  const seen: string[] = [];
  const kept = { cancel: (reason: Error) => seen.push(`kept:${reason.message}`) };
  const gone = { cancel: (reason: Error) => seen.push(`gone:${reason.message}`) };
  cancellation.register(kept);
  cancellation.register(gone);
  cancellation.unregister(gone);
  assert.equal(cancellation.cancelled, false);
  cancellation.cancel(new Error('client left'));
  cancellation.cancel(new Error('again'));
  assert.deepEqual(seen, ['kept:client left']);
  assert.equal(cancellation.cancelled, true);
  assert.equal(cancellation.reason?.message, 'client left');
});

test('a target registered after the cancellation is cancelled at once', () => {
  const cancellation = new Cancellation();
  cancellation.cancel();
  let reason: Error | undefined;
  cancellation.register({ cancel: (error) => (reason = error) });
  assert.equal(reason?.name, 'AbortError');
});

test('its AbortSignal, made on demand, follows the cancellation before and after it is made', () => {
  const early = new Cancellation();
  const signal = early.signal;
  assert.equal(signal.aborted, false);
  early.cancel(new Error('stop'));
  assert.equal(signal.aborted, true);
  assert.equal((signal.reason as Error).message, 'stop');

  const late = new Cancellation();
  late.cancel();
  assert.equal(late.signal.aborted, true);
  assert.equal(late.signal.reason.name, 'AbortError');
});
