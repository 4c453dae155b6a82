// Stored model entries written by someone else (another store handle on the same SQLite file, another
// gateway on the same PostgreSQL schema) reach a running gateway through its periodic refresh.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI from 'openai';
import { deleteStoredModel, putStoredModel } from '../../src/server/stored-models.ts';
import { openStore } from '../../src/store/open-store.ts';
import {
  postgresUnavailable,
  randomSchemaName,
  servicesRequired,
  TEST_POSTGRES_URL,
  TestSchemas,
} from '../../src/store/test-support/postgres.ts';
import { type FakeServer, startFakeServer } from '../fakes/fake-server.ts';
import { openAICompletion } from '../fakes/openai.ts';
import { startTestGateway, type TestGateway } from '../helpers/gateway.ts';

let upstream: FakeServer;
const dir = mkdtempSync(join(tmpdir(), 'sy-refresh-'));

before(async () => {
  upstream = await startFakeServer();
});
after(async () => {
  await upstream.close();
  rmSync(dir, { recursive: true, force: true });
});

function gatewayOn(database: string, refreshMs: number): Promise<TestGateway> {
  return startTestGateway({
    env: {
      SWITCHYARD_DATABASE_URL: database,
      SWITCHYARD_REGISTRY_REFRESH_MS: String(refreshMs),
      OPENAI_API_KEY: 'sk-upstream',
      OPENAI_BASE_URL: `${upstream.url}/v1`,
    },
  });
}

const entry = (id: string, input: number) => ({
  id,
  deployments: [{ provider: 'openai', model: `${id}-upstream`, price: { input, output: input } }],
});

async function modelStatus(gateway: TestGateway, id: string): Promise<number> {
  return (await fetch(`${gateway.url}/v1/models/${id}`)).status;
}

/** Waits until `check` holds; fails after `timeoutMs`. */
async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await sleep(20);
  }
  assert.fail(`not within ${timeoutMs} ms: ${what}`);
}

/** The cost header of one request with 1000 input and 1000 output tokens. */
async function costOf(gateway: TestGateway, model: string): Promise<number> {
  upstream.enqueue(openAICompletion({ usage: { prompt: 1000, completion: 1000 } }));
  const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'c', maxRetries: 0 });
  const { response } = await client.chat.completions
    .create({ model, messages: [{ role: 'user', content: 'hi' }] })
    .withResponse();
  return Number(response.headers.get('x-switchyard-cost-usd'));
}

describe('registry refresh over one SQLite file', () => {
  test('an entry put and deleted through another store handle appears and disappears', async () => {
    const database = `sqlite:${join(dir, 'shared.db')}`;
    const gateway = await gatewayOn(database, 50);
    const other = await openStore(database);
    try {
      assert.equal(await modelStatus(gateway, 'elsewhere'), 404);
      await putStoredModel(other, entry('elsewhere', 4));
      await eventually('the gateway lists the new entry', async () => {
        return (await modelStatus(gateway, 'elsewhere')) === 200;
      });
      // 1000 × $4/M + 1000 × $4/M
      assert.ok(Math.abs((await costOf(gateway, 'elsewhere')) - 0.008) < 1e-12);
      assert.equal(
        (upstream.requests.at(-1)?.json as { model?: string } | undefined)?.model,
        'elsewhere-upstream',
      );

      await putStoredModel(other, entry('elsewhere', 1));
      await eventually('the new price applies', async () => {
        return Math.abs((await costOf(gateway, 'elsewhere')) - 0.002) < 1e-12;
      });
      await deleteStoredModel(other, 'elsewhere');
      await eventually('the entry is gone', async () => (await modelStatus(gateway, 'elsewhere')) === 404);
    } finally {
      await other.close();
      await gateway.close();
    }
  });

  test('with the refresh set to 0 a change made elsewhere waits for a restart', async () => {
    const database = `sqlite:${join(dir, 'no-refresh.db')}`;
    const gateway = await gatewayOn(database, 0);
    const other = await openStore(database);
    try {
      await putStoredModel(other, entry('later', 1));
      await sleep(300);
      assert.equal(await modelStatus(gateway, 'later'), 404);
    } finally {
      await other.close();
      await gateway.close();
    }
    const restarted = await gatewayOn(database, 0);
    try {
      assert.equal(await modelStatus(restarted, 'later'), 200);
    } finally {
      await restarted.close();
    }
  });
});

const unavailable = await postgresUnavailable();
const schemas = new TestSchemas();
after(() => schemas.drop());

if (unavailable && servicesRequired()) {
  test('registry refresh over PostgreSQL', () =>
    assert.fail(`PostgreSQL not reachable at ${TEST_POSTGRES_URL} and SWITCHYARD_REQUIRE_SERVICES=1`));
} else {
  describe('registry refresh over PostgreSQL: two gateways, one schema', { skip: unavailable }, () => {
    test("a write through one gateway's admin API reaches the other on its next refresh", async () => {
      const schema = randomSchemaName();
      schemas.names.push(schema);
      const database = `${TEST_POSTGRES_URL}${TEST_POSTGRES_URL.includes('?') ? '&' : '?'}schema=${schema}`;
      const writer = await gatewayOn(database, 0);
      const reader = await gatewayOn(database, 50);
      try {
        const put = (input: number) =>
          fetch(`${writer.url}/v1/admin/models/shared`, {
            method: 'PUT',
            body: JSON.stringify(entry('shared', input)),
          });
        assert.equal((await put(2)).status, 201);
        assert.equal(await modelStatus(writer, 'shared'), 200);
        await eventually(
          'the other gateway lists it',
          async () => (await modelStatus(reader, 'shared')) === 200,
        );
        assert.ok(Math.abs((await costOf(reader, 'shared')) - 0.004) < 1e-12);

        assert.equal((await put(3)).status, 200);
        await eventually('the other gateway bills the new price', async () => {
          return Math.abs((await costOf(reader, 'shared')) - 0.006) < 1e-12;
        });
        assert.equal((await fetch(`${writer.url}/v1/admin/models/shared`, { method: 'DELETE' })).status, 200);
        await eventually(
          'the other gateway drops it',
          async () => (await modelStatus(reader, 'shared')) === 404,
        );
      } finally {
        await reader.close();
        await writer.close();
      }
    });
  });
}
