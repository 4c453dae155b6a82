import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseStoreUrl } from '../store/index.ts';
import { traceWorkerDatabase } from './attach-store.ts';

test('a SQLite file gets its inserts on the trace writer thread by default', () => {
  assert.equal(traceWorkerDatabase({}, parseStoreUrl(undefined)), './switchyard.db');
  assert.equal(traceWorkerDatabase({}, parseStoreUrl('sqlite:a.db')), 'a.db');
  assert.equal(
    traceWorkerDatabase({ SWITCHYARD_TRACE_WORKER: '1' }, parseStoreUrl(undefined)),
    './switchyard.db',
  );
  assert.equal(
    traceWorkerDatabase({ SWITCHYARD_TRACE_WORKER: 'on' }, parseStoreUrl('sqlite:/v/sy.db')),
    '/v/sy.db',
  );
});

test('SWITCHYARD_TRACE_WORKER=0 or off keeps inserts on the event loop', () => {
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
  assert.equal(traceWorkerDatabase({}, parseStoreUrl('sqlite::memory:')), undefined);
  assert.equal(
    traceWorkerDatabase({ SWITCHYARD_TRACE_WORKER: '1' }, parseStoreUrl('sqlite::memory:')),
    undefined,
  );
  const postgres = parseStoreUrl('postgres://127.0.0.1/test');
  assert.equal(traceWorkerDatabase({}, postgres), undefined);
  assert.equal(traceWorkerDatabase({ SWITCHYARD_TRACE_WORKER: '1' }, postgres), undefined);
});
