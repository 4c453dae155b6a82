import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseStoreUrl } from '../store/index.ts';
import { traceWorkerDatabase } from './attach-store.ts';

test('SWITCHYARD_TRACE_WORKER=1 moves SQLite file inserts to the trace writer thread', () => {
  assert.equal(
    traceWorkerDatabase({ SWITCHYARD_TRACE_WORKER: '1' }, parseStoreUrl(undefined)),
    './switchyard.db',
  );
  assert.equal(
    traceWorkerDatabase({ SWITCHYARD_TRACE_WORKER: 'on' }, parseStoreUrl('sqlite:/v/sy.db')),
    '/v/sy.db',
  );
});

test('without it, or off, inserts stay on the event loop', () => {
  assert.equal(traceWorkerDatabase({}, parseStoreUrl('sqlite:a.db')), undefined);
  assert.equal(
    traceWorkerDatabase({ SWITCHYARD_TRACE_WORKER: '0' }, parseStoreUrl('sqlite:a.db')),
    undefined,
  );
  assert.equal(
    traceWorkerDatabase({ SWITCHYARD_TRACE_WORKER: 'off' }, parseStoreUrl('sqlite:a.db')),
    undefined,
  );
});

test('in-memory SQLite and PostgreSQL always write on the store connection', () => {
  assert.equal(
    traceWorkerDatabase({ SWITCHYARD_TRACE_WORKER: '1' }, parseStoreUrl('sqlite::memory:')),
    undefined,
  );
  const postgres = parseStoreUrl('postgres://127.0.0.1/test');
  assert.equal(traceWorkerDatabase({ SWITCHYARD_TRACE_WORKER: '1' }, postgres), undefined);
});
