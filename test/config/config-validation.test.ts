import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, parseConfigText } from '../../src/config/load-config.ts';
import { configJsonSchema } from '../../src/config/schema.ts';
import { knownProviderTypes } from '../../src/providers/registry.ts';

const known = knownProviderTypes();

function problemsOf(text: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseConfigText(text, 'switchyard.yaml', env, known);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems;
  }
  assert.fail('expected the config to be rejected');
}

test('a good file parses, with environment references substituted', () => {
  const config = parseConfigText(
    `
server:
  port: 9090
  body_limit: 2mb
providers:
  my-vllm:
    type: custom
    base_url: \${VLLM_URL:-http://127.0.0.1:8000/v1}
    api_key: \${VLLM_KEY}
models:
  - id: llama-3.3-70b
    deployments:
      - provider: groq
        model: llama-3.3-70b-versatile
        price: { input: 0.59, output: 0.79 }
        context_window: 131072
        weight: 2
      - provider: my-vllm
        model: meta-llama/Llama-3.3-70B-Instruct
`,
    'switchyard.yaml',
    { VLLM_KEY: 'vllm-secret' },
    known,
  );
  assert.equal(config.server?.port, 9090);
  assert.deepEqual(config.providers?.['my-vllm'], {
    type: 'custom',
    base_url: 'http://127.0.0.1:8000/v1',
    api_key: 'vllm-secret',
  });
  assert.equal(config.models?.[0].deployments[0].price?.input, 0.59);
});

test('errors name the line, the path in the document and what is wrong', () => {
  const problems = problemsOf(`models:
  - id: gpt
    deployments:
      - provider: openai
        model: gpt-4o
        weight: -1
      - model: gpt-4o-mini
`);
  assert.deepEqual(problems, [
    'line 6: models[0].deployments[0].weight: Too small: expected number to be >0',
    'line 7: models[0].deployments[1].provider: Invalid input: expected string, received undefined',
  ]);
});

test('a model id that a model string could never reach is rejected, naming why', () => {
  const model = (id: string) =>
    `models:\n  - id: "${id}"\n    deployments:\n      - provider: openai\n        model: m\n`;
  assert.deepEqual(problemsOf(model('smart/cheap')), [
    'line 2: models[0].id: "smart/" and "@preset/" name routing policies and presets',
  ]);
  assert.deepEqual(problemsOf(model('@preset/team')), [
    'line 2: models[0].id: "smart/" and "@preset/" name routing policies and presets',
  ]);
  assert.deepEqual(problemsOf(model('fast:latency')), [
    'line 2: models[0].id: a ":latency" suffix selects a ranking; an id cannot end with one',
  ]);
  assert.deepEqual(problemsOf(model('fast ')), [
    'line 2: models[0].id: must not be empty or padded with spaces',
  ]);
  // a colon that is not a ranking suffix is an ordinary id character
  assert.equal(parseConfigText(model('llama3:8b'), 'switchyard.yaml', {}, known).models?.[0].id, 'llama3:8b');
});

test('unknown keys, unknown providers, duplicate ids and missing variables are reported', () => {
  assert.deepEqual(problemsOf('server:\n  prot: 80\n'), ['line 2: server: Unrecognized key: "prot"']);
  assert.deepEqual(
    problemsOf('models:\n  - id: a\n    deployments:\n      - provider: nowhere\n        model: m\n'),
    [
      'line 4: models[0].deployments[0].provider: unknown provider "nowhere" (declare it under providers or use a built-in provider id)',
    ],
  );
  assert.deepEqual(
    problemsOf(
      'models:\n  - id: a\n    deployments: [{provider: openai, model: x}]\n  - id: a\n    deployments: [{provider: openai, model: y}]\n',
    ),
    ['line 4: models[1].id: duplicate model id "a"'],
  );
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the config file's own ${VAR} syntax
  assert.deepEqual(problemsOf('providers:\n  x:\n    type: custom\n    api_key: ${MISSING_KEY}\n'), [
    'providers.x.api_key: environment variable MISSING_KEY is not set',
  ]);
  assert.deepEqual(problemsOf('providers:\n  x:\n    type: martian\n'), [
    'line 3: providers.x.type: unknown provider type "martian"',
  ]);
  assert.match(problemsOf('models: [\n')[0], /^line \d+, column \d+: /);
});

test('`switchyard config validate` checks a file without starting', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-config-'));
  const good = join(dir, 'good.yaml');
  const bad = join(dir, 'bad.yaml');
  writeFileSync(good, 'models:\n  - id: m\n    deployments: [{provider: openai, model: gpt-4o}]\n');
  writeFileSync(bad, 'server:\n  port: "eighty"\n');
  const run = (file: string) =>
    spawnSync(process.execPath, ['src/cli/main.ts', 'config', 'validate', '--config', file], {
      encoding: 'utf8',
    });
  const ok = run(good);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /good\.yaml: valid \(0 providers, 1 models\)/);
  const failed = run(bad);
  assert.equal(failed.status, 2);
  assert.match(failed.stderr, /Invalid configuration in .*bad\.yaml/);
  assert.match(failed.stderr, /line 2: server\.port: Invalid input: expected number, received string/);
});

test('the published JSON Schema is current', () => {
  const published = JSON.parse(readFileSync('schema/switchyard.schema.json', 'utf8'));
  assert.deepEqual(published, configJsonSchema());
});
