// `switchyard models list|show|set|remove` as a child process against a temporary SQLite file: the same
// entries, shapes and validation errors as the admin API, and a running gateway picks its writes up.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { jsonOf, startTestGateway, type TestGateway } from '../helpers/gateway.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NODE = join(ROOT, 'node_modules/.bin/node');
const dir = mkdtempSync(join(tmpdir(), 'sy-cli-models-'));
const url = `sqlite:${join(dir, 'switchyard.db')}`;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      NODE,
      ['src/cli/main.ts', 'models', ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, SWITCHYARD_DATABASE_URL: url } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function failure(args: string[]): Promise<string> {
  const run = await cli(args);
  assert.equal(run.code, 1, `expected exit 1: ${JSON.stringify(run)}`);
  assert.equal(run.stdout, '');
  return run.stderr;
}

const TEAM = {
  deployments: [{ provider: 'openai', model: 'ft:gpt-4o-mini:acme', price: { input: 3, output: 12 } }],
};

/** Waits until `check` holds; fails after `timeoutMs`. */
async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await sleep(20);
  }
  assert.fail(`not within ${timeoutMs} ms: ${what}`);
}

describe('switchyard models', () => {
  let gateway: TestGateway | undefined;
  after(async () => {
    await gateway?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const modelCard = async (id: string) => fetch(`${gateway?.url}/v1/models/${id}`);

  test('reading a store that does not exist is an error, not a new empty database', async () => {
    assert.match(await failure(['list']), /no database at .*switchyard\.db/);
  });

  test('set --file creates an entry; list, list --json and show print what the admin API serves', async () => {
    const file = join(dir, 'team.json');
    writeFileSync(file, JSON.stringify(TEAM));
    assert.deepEqual(await cli(['set', 'team', '--file', file]), {
      code: 0,
      stdout: "created model entry 'team'\n",
      stderr: '',
    });
    const table = (await cli(['list'])).stdout.trim().split('\n');
    assert.deepEqual(
      table.map((line) =>
        line
          .trim()
          .split(/\s{2,}/)
          .slice(0, 5),
      ),
      [
        ['ID', 'PROVIDER', 'MODEL', 'INPUT/M', 'OUTPUT/M'],
        ['team', 'openai', 'ft:gpt-4o-mini:acme', '$3', '$12'],
      ],
    );

    gateway = await startTestGateway({
      env: {
        SWITCHYARD_DATABASE_URL: url,
        SWITCHYARD_REGISTRY_REFRESH_MS: '50',
        OPENAI_API_KEY: 'sk-upstream',
        OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
      },
    });
    const listed = JSON.parse((await cli(['list', '--json'])).stdout) as { data: Array<{ id: string }> };
    assert.deepEqual(listed, await jsonOf(await fetch(`${gateway.url}/v1/admin/models`)));
    assert.equal(listed.data[0].id, 'team');
    const shown = JSON.parse((await cli(['show', 'team'])).stdout);
    assert.deepEqual(shown, await jsonOf(await fetch(`${gateway.url}/v1/admin/models/team`)));
    assert.deepEqual(shown.deployments, TEAM.deployments);
    const card = await jsonOf(await modelCard('team'));
    assert.equal(card.source, 'store');
  });

  test('set --json replaces it, and the running gateway picks the new price up', async () => {
    const entry = { id: 'team', deployments: [{ ...TEAM.deployments[0], price: { input: 1, output: 2 } }] };
    assert.deepEqual(await cli(['set', 'team', '--json', JSON.stringify(entry)]), {
      code: 0,
      stdout: "replaced model entry 'team'\n",
      stderr: '',
    });
    await eventually('the gateway shows the new price', async () => {
      const card = await jsonOf(await modelCard('team'));
      return (card.pricing as { input?: number } | null)?.input === 1;
    });
  });

  test('invalid entries are refused with the admin API messages; nothing is written', async () => {
    const before = (await cli(['list', '--json'])).stdout;
    const set = (entry: unknown, id = 'bad') => ['set', id, '--json', JSON.stringify(entry)];
    const cases: Array<[string[], RegExp]> = [
      [
        set({ deployments: [{ provider: 'nowhere', model: 'm' }] }),
        /deployments\[0\]\.provider: unknown provider "nowhere"/,
      ],
      [
        set({ deployments: [{ provider: 'openai', model: 'm', price: { input: '3' } }] }),
        /deployments\[0\]\.price\.input: Invalid input: expected number/,
      ],
      [['set', 'bad', '--json', '{"deployments": ['], /not valid JSON/],
      [['set', 'bad'], /either --file <path> or --json <entry>/],
      [
        ['set', 'bad', '--json', '{}', '--file', join(dir, 'team.json')],
        /either --file <path> or --json <entry>/,
      ],
    ];
    const errors = await Promise.all(cases.map(([args]) => failure(args)));
    errors.forEach((stderr, index) => {
      assert.match(stderr, cases[index][1]);
    });
    assert.equal((await cli(['list', '--json'])).stdout, before);
  });

  test('providers declared in a config file are known with --config (their keys need not be set)', async () => {
    const config = join(dir, 'switchyard.yaml');
    writeFileSync(
      config,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the config file's own ${VAR} syntax
      'providers:\n  my-vllm:\n    type: custom\n    base_url: http://10.0.0.5:8000/v1\n    api_key: ${VLLM_KEY}\n',
    );
    const entry = JSON.stringify({
      deployments: [{ provider: 'my-vllm', model: 'llama', price: { input: 0 } }],
    });
    assert.match(await failure(['set', 'local', '--json', entry]), /unknown provider "my-vllm"/);
    assert.equal((await cli(['set', 'local', '--json', entry, '--config', config])).code, 0);
    assert.deepEqual(JSON.parse((await cli(['show', 'local'])).stdout).deployments, [
      { provider: 'my-vllm', model: 'llama', price: { input: 0 } },
    ]);
  });

  test('remove deletes it (the gateway drops it); removing it again is an error', async () => {
    assert.deepEqual(await cli(['remove', 'team']), {
      code: 0,
      stdout: "removed model entry 'team'\n",
      stderr: '',
    });
    await eventually('the gateway no longer has it', async () => (await modelCard('team')).status === 404);
    assert.match(await failure(['remove', 'team']), /no stored model entry 'team'/);
    assert.match(await failure(['show', 'team']), /no stored model entry 'team'/);
    const ids = JSON.parse((await cli(['list', '--json'])).stdout).data.map((m: { id: string }) => m.id);
    assert.deepEqual(ids, ['local']);
  });
});
