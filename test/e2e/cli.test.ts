// The `switchyard` CLI (migrate, traces list/show, spend) as a child process, against a SQLite file the
// gateway filled: its --json output is the HTTP API's, its tables show the same numbers.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { anthropicStream } from '../fakes/anthropic.ts';
import { type FakeServer, startFakeServer } from '../fakes/fake-server.ts';
import { openAICompletion, openAIError } from '../fakes/openai.ts';
import { startTestGateway, type TestGateway } from '../helpers/gateway.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NODE = join(ROOT, 'node_modules/.bin/node');
const dir = mkdtempSync(join(tmpdir(), 'sy-cli-'));
const url = `sqlite:${join(dir, 'switchyard.db')}`;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: NodeJS.ProcessEnv = { SWITCHYARD_DATABASE_URL: url }): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      NODE,
      ['src/cli/main.ts', ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function cliJson(args: string[]): Promise<unknown> {
  const run = await cli([...args, '--json']);
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout);
}

/** Cells of a table row (columns are separated by two or more spaces). */
const cells = (line: string) => line.trim().split(/\s{2,}/);

describe('switchyard CLI', () => {
  let openai: FakeServer;
  let anthropic: FakeServer;
  let gateway: TestGateway;

  before(async () => {
    [openai, anthropic] = await Promise.all([startFakeServer(), startFakeServer()]);
  });
  after(async () => {
    await gateway?.close();
    await Promise.all([openai.close(), anthropic.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  test('migrate applies the migrations once and prints their ids', async () => {
    const first = await cli(['migrate', '--database', url], {});
    assert.deepEqual(first, {
      code: 0,
      stdout: '0001_init\n0002_partial_trace_indexes\n0003_drop_trace_model_index\n',
      stderr: '',
    });
    const again = await cli(['migrate']);
    assert.deepEqual(again, {
      code: 0,
      stdout: '',
      stderr: 'database is up to date: no migrations to apply\n',
    });
    assert.deepEqual(await cliJson(['migrate']), { applied: [] });
  });

  test('the gateway fills the file: three calls in a trace group', async () => {
    gateway = await startTestGateway({
      env: {
        SWITCHYARD_DATABASE_URL: url,
        OPENAI_API_KEY: 'sk-o',
        OPENAI_BASE_URL: `${openai.url}/v1`,
        ANTHROPIC_API_KEY: 'sk-a',
        ANTHROPIC_BASE_URL: anthropic.url,
      },
      config: {
        models: [
          {
            id: 'chat-a',
            deployments: [{ provider: 'openai', model: 'gpt-4o-mini', price: { input: 1, output: 2 } }],
          },
          {
            id: 'chat-b',
            deployments: [
              { provider: 'anthropic', model: 'claude-3-5-haiku-20241022', price: { input: 4, output: 8 } },
            ],
          },
        ],
      },
    });
    const created = await fetch(`${gateway.url}/v1/traces`, {
      method: 'POST',
      body: JSON.stringify({ id: 'cli-run', name: 'cli test' }),
    });
    assert.equal(created.status, 200);
    const client = new OpenAI({
      baseURL: `${gateway.url}/v1`,
      apiKey: 'c',
      maxRetries: 0,
      defaultHeaders: { 'x-switchyard-trace-id': 'cli-run' },
    });
    const messages = [{ role: 'user' as const, content: 'hi' }];
    openai.enqueue(openAICompletion({ model: 'gpt-4o-mini', usage: { prompt: 1000, completion: 500 } }));
    await client.chat.completions.create(
      { model: 'chat-a', messages },
      { headers: { 'x-request-id': 'r-a' } },
    );
    anthropic.enqueue({
      chunks: anthropicStream({
        model: 'claude-3-5-haiku-20241022',
        text: ['ok'],
        usage: { input_tokens: 2000, output_tokens: 100 },
      }),
    });
    const stream = await client.chat.completions.create(
      { model: 'chat-b', messages, stream: true },
      { headers: { 'x-request-id': 'r-b' } },
    );
    for await (const _chunk of stream) {
      // drain
    }
    openai.enqueue(openAIError(400, 'bad', 'invalid_request_error', 'invalid_value'));
    await assert.rejects(
      client.chat.completions.create({ model: 'chat-a', messages }, { headers: { 'x-request-id': 'r-c' } }),
    );
    await gateway.runtime.traceWriter!.flush();
  });

  test('traces list --json and traces show --json print exactly what the HTTP API returns', async () => {
    const api = async (path: string) => (await fetch(`${gateway.url}${path}`)).json();
    const [listed, group, trace] = await Promise.all([
      cliJson(['traces', 'list']),
      cliJson(['traces', 'show', 'cli-run']),
      cliJson(['traces', 'show', 'r-b']),
    ]);
    assert.deepEqual(listed, await api('/v1/traces'));
    assert.deepEqual(group, await api('/v1/traces/cli-run'));
    assert.deepEqual(trace, await api('/v1/traces/r-b'));
    assert.deepEqual((listed as { data: Array<{ id: string }> }).data.map((t) => t.id).sort(), [
      'r-a',
      'r-b',
      'r-c',
    ]);
  });

  test('traces list filters by status, provider, since and limit; the table shows the numbers', async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const [errors, none, table, page] = await Promise.all([
      cliJson(['traces', 'list', '--status', 'error']) as Promise<{ data: Array<{ id: string }> }>,
      cliJson(['traces', 'list', '--since', future]) as Promise<{ data: unknown[] }>,
      cli(['traces', 'list', '--provider', 'anthropic', '--since', '1h']),
      cli(['traces', 'list', '--limit', '2']),
    ]);
    assert.deepEqual(
      errors.data.map((t) => t.id),
      ['r-c'],
    );
    assert.deepEqual(none.data, []);
    assert.equal(table.code, 0, table.stderr);
    const [header, row, ...rest] = table.stdout.trimEnd().split('\n');
    assert.deepEqual(cells(header), [
      'CREATED',
      'ID',
      'MODEL',
      'PROVIDER',
      'STATUS',
      'IN',
      'OUT',
      'COST',
      'LATENCY',
    ]);
    assert.deepEqual(cells(row).slice(1, 8), [
      'r-b',
      'claude-3-5-haiku-20241022',
      'anthropic',
      'ok',
      '2000',
      '100',
      '$0.008800',
    ]);
    assert.deepEqual(rest, []);
    const lines = page.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 4, page.stdout);
    assert.match(lines[3], /^more: --cursor \S+$/);
  });

  test('traces show prints a group with its totals and calls', async () => {
    const run = await cli(['traces', 'show', 'cli-run']);
    assert.equal(run.code, 0, run.stderr);
    const [summary, table] = run.stdout.trimEnd().split('\n\n');
    const fields = Object.fromEntries(
      summary.split('\n').map((line) => {
        const [label, ...value] = cells(line);
        return [label, value.join('  ')];
      }),
    );
    assert.equal(fields.group, 'cli-run (cli test)');
    assert.equal(fields.status, 'open');
    assert.equal(fields.calls, '3 (1 errors)');
    assert.equal(fields.tokens, 'in 3000, out 600');
    assert.equal(fields.cost, '$0.010800');
    assert.deepEqual(
      table
        .split('\n')
        .slice(1)
        .map((line) => cells(line)[1]),
      ['r-a', 'r-b', 'r-c'],
    );
  });

  test('spend: the same report as GET /v1/spend, and a table', async () => {
    const api = await (await fetch(`${gateway.url}/v1/spend?group_by=provider`)).json();
    assert.deepEqual(await cliJson(['spend', '--group-by', 'provider']), api);
    const run = await cli(['spend', '--group-by', 'model', '--from', new Date(0).toISOString()]);
    assert.deepEqual(run, {
      code: 0,
      stderr: '',
      stdout: [
        'MODEL                      REQUESTS  INPUT  OUTPUT       COST  UNKNOWN_COST',
        'claude-3-5-haiku-20241022         1   2000     100  $0.008800             0',
        'gpt-4o-mini                       1   1000     500  $0.002000             0',
        'chat-a                            1      0       0  $0.000000             0',
        '',
      ].join('\n'),
    });
  });

  test('errors: unknown id, bad option values, a missing database file', async () => {
    const missing = join(dir, 'missing.db');
    const [unknown, status, from, run] = await Promise.all([
      cli(['traces', 'show', 'nope']),
      cli(['traces', 'list', '--status', 'maybe']),
      cli(['spend', '--from', 'last tuesday']),
      cli(['traces', 'list', '--database', missing], {}),
    ]);
    assert.deepEqual(unknown, {
      code: 1,
      stdout: '',
      stderr: "switchyard: no trace or trace group with id 'nope'\n",
    });
    assert.deepEqual(status, {
      code: 1,
      stdout: '',
      stderr: "switchyard: status must be 'ok' or 'error'\n",
    });
    assert.deepEqual(from, {
      code: 1,
      stdout: '',
      stderr:
        "switchyard: Invalid 'from': expected an ISO 8601 date or epoch milliseconds, got 'last tuesday'\n",
    });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^switchyard: no database at .*missing\.db/);
  });
});
