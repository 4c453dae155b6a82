import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { isDataError } from './errors.ts';

function sqliteError(statement: string): unknown {
  const db = new DatabaseSync(':memory:');
  db.exec('create table t (id integer primary key, v text not null)');
  try {
    db.exec(statement);
  } catch (error) {
    return error;
  } finally {
    db.close();
  }
  throw new Error('no error');
}

test('isDataError: refused values are data errors; unavailability is not', () => {
  assert.equal(isDataError(sqliteError('insert into t values (1, null)')), true);
  assert.equal(isDataError(sqliteError("insert into t values ('x', 'y')")), true);
  assert.equal(isDataError(sqliteError('insert into missing values (1)')), false);
  assert.equal(
    isDataError({ code: '22021', message: 'invalid byte sequence for encoding "UTF8": 0x00' }),
    true,
  );
  assert.equal(isDataError({ code: '23502', message: 'null value violates not-null constraint' }), true);
  assert.equal(
    isDataError({ code: '57P01', message: 'terminating connection due to administrator command' }),
    false,
  );
  assert.equal(isDataError({ code: '08006' }), false);
  assert.equal(isDataError({ code: '42P01', message: 'relation "traces" does not exist' }), false);
  assert.equal(isDataError({ code: 'ECONNREFUSED' }), false);
  assert.equal(isDataError(new Error('Connection terminated unexpectedly')), false);
  assert.equal(isDataError(null), false);
});
