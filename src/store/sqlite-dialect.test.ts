// The node:sqlite Kysely dialect: returning rows, changes, transactions, serialisation, binding.
import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, test } from 'node:test';
import { type Generated, Kysely, sql } from 'kysely';
import { NodeSqliteDialect } from './sqlite-dialect.ts';

interface Db {
  items: { id: Generated<number>; name: string; flag: number | boolean | null };
}

let raw: DatabaseSync;
let db: Kysely<Db>;

beforeEach(async () => {
  raw = new DatabaseSync(':memory:');
  db = new Kysely<Db>({ dialect: new NodeSqliteDialect(raw) });
  await sql`create table items (id integer primary key, name text not null unique, flag integer)`.execute(db);
});

afterEach(async () => {
  await db.destroy();
});

test('insert … returning gives the rows; a plain insert gives changes and the insert id', async () => {
  const returned = await db
    .insertInto('items')
    .values({ name: 'a', flag: true })
    .returning(['id', 'name', 'flag'])
    .execute();
  assert.deepEqual(
    returned.map((r) => ({ ...r })),
    [{ id: 1, name: 'a', flag: 1 }],
  );
  const result = await db
    .insertInto('items')
    .values([
      { name: 'b', flag: false },
      { name: 'c', flag: null },
    ])
    .executeTakeFirst();
  assert.equal(result.numInsertedOrUpdatedRows, 2n);
  assert.equal(result.insertId, 3n);
  const updated = await db.updateTable('items').set({ flag: 7 }).where('id', '>', 1).executeTakeFirst();
  assert.equal(updated.numUpdatedRows, 2n);
  const ignored = await db
    .insertInto('items')
    .values({ name: 'a', flag: 0 })
    .onConflict((oc) => oc.column('name').doNothing())
    .executeTakeFirst();
  assert.equal(ignored.numInsertedOrUpdatedRows, 0n);
  const deleted = await db.deleteFrom('items').where('name', 'in', ['a', 'zz']).returning('name').execute();
  assert.deepEqual(
    deleted.map((r) => r.name),
    ['a'],
  );
});

test('a transaction commits on success and rolls back on a throw', async () => {
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('items').values({ name: 'kept', flag: 1 }).execute();
  });
  await assert.rejects(
    db.transaction().execute(async (trx) => {
      await trx.insertInto('items').values({ name: 'lost', flag: 1 }).execute();
      throw new Error('boom');
    }),
    /boom/,
  );
  const names = await db.selectFrom('items').select('name').execute();
  assert.deepEqual(
    names.map((r) => r.name),
    ['kept'],
  );
  assert.equal(raw.isTransaction, false);
});

test('concurrent transactions on the one connection are serialised, never interleaved', async () => {
  const order: string[] = [];
  const run = (label: string) =>
    db.transaction().execute(async (trx) => {
      order.push(`${label}:begin`);
      await trx.insertInto('items').values({ name: label, flag: 1 }).execute();
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push(`${label}:end`);
    });
  await Promise.all([run('x'), run('y'), db.selectFrom('items').selectAll().execute()]);
  assert.deepEqual(order, ['x:begin', 'x:end', 'y:begin', 'y:end']);
});

test('a constraint error inside a transaction rolls it back and the connection stays usable', async () => {
  await db.insertInto('items').values({ name: 'dup', flag: 1 }).execute();
  await assert.rejects(
    db.transaction().execute(async (trx) => {
      await trx.insertInto('items').values({ name: 'new', flag: 1 }).execute();
      await trx.insertInto('items').values({ name: 'dup', flag: 1 }).execute();
    }),
    /UNIQUE constraint failed/,
  );
  const count = await db
    .selectFrom('items')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  assert.equal(count.n, 1);
});

test('the statement cache reuses statements without mixing their parameters', async () => {
  for (let i = 0; i < 300; i++) {
    await db
      .insertInto('items')
      .values({ name: `n${i}`, flag: i })
      .execute();
    if (i % 7 === 0) await sql`select ${i} as v`.execute(db);
  }
  const row = await db
    .selectFrom('items')
    .select(['name', 'flag'])
    .where('name', '=', 'n299')
    .executeTakeFirstOrThrow();
  assert.deepEqual({ ...row }, { name: 'n299', flag: 299 });
});

test('streaming a select yields every row', async () => {
  await db
    .insertInto('items')
    .values([
      { name: 'p', flag: 1 },
      { name: 'q', flag: 2 },
    ])
    .execute();
  const names: string[] = [];
  for await (const row of db.selectFrom('items').select('name').orderBy('id').stream()) names.push(row.name);
  assert.deepEqual(names, ['p', 'q']);
});
