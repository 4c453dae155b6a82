import assert from 'node:assert/strict';
import { test } from 'node:test';
import { insertUsageField } from './insert-usage-field.ts';

const insert = (json: string) => insertUsageField(Buffer.from(json), 'cost', '0.25')?.toString();

test('adds the field at the end of the top-level usage object, keeping every other byte', () => {
  const body =
    '{"id":"c1","choices":[{"message":{"content":"usage: {x}"}}],"usage":{"prompt_tokens":3,"completion_tokens":2,"prompt_tokens_details":{"cached_tokens":0}},"system_fingerprint":null}';
  const out = insert(body);
  assert.equal(
    out,
    '{"id":"c1","choices":[{"message":{"content":"usage: {x}"}}],"usage":{"prompt_tokens":3,"completion_tokens":2,"prompt_tokens_details":{"cached_tokens":0},"cost":0.25},"system_fingerprint":null}',
  );
  assert.deepEqual(JSON.parse(out!).usage.cost, 0.25);
});

test('pretty-printed replies, empty usage objects, and "usage" appearing as a value or nested key', () => {
  const pretty =
    '{\n  "object": "usage",\n  "data": {"usage": {"a": 1}},\n  "usage" : {\n    "total_tokens": 5\n  }\n}';
  const parsed = JSON.parse(insert(pretty)!);
  assert.deepEqual(parsed.usage, { total_tokens: 5, cost: 0.25 });
  assert.deepEqual(parsed.data, { usage: { a: 1 } }, 'the nested usage is left alone');
  assert.deepEqual(JSON.parse(insert('{"usage":{ }}')!), { usage: { cost: 0.25 } });
});

test('strings with escaped quotes and braces do not confuse the scan', () => {
  const body = '{"choices":[{"text":"a \\"usage\\": {\\"x\\":1} }"}],"usage":{"total_tokens":1}}';
  assert.deepEqual(JSON.parse(insert(body)!), {
    choices: [{ text: 'a "usage": {"x":1} }' }],
    usage: { total_tokens: 1, cost: 0.25 },
  });
});

test('no usage object: nothing to insert into', () => {
  assert.equal(insert('{"id":"x","usage":null}'), undefined);
  assert.equal(insert('{"id":"x"}'), undefined);
  assert.equal(insert('[{"usage":{}}]'), undefined);
});

test('the scan from the end finds usage wherever it sits, and skips strings ending in backslashes', () => {
  const first = '{"usage":{"total_tokens":2},"choices":[{"text":"ends with \\\\"}],"meta":{"usage":{"x":1}}}';
  const parsed = JSON.parse(insert(first)!);
  assert.deepEqual(parsed.usage, { total_tokens: 2, cost: 0.25 });
  assert.deepEqual(parsed.meta, { usage: { x: 1 } });
  assert.deepEqual(parsed.choices, [{ text: 'ends with \\' }]);
  const repeated = '{"usage":{"a":1},"usage":{"b":2}}';
  assert.deepEqual(JSON.parse(insert(repeated)!).usage, { b: 2, cost: 0.25 }, 'the value JSON.parse keeps');
  assert.equal(insert('{"x":"\\"usage\\":{\\"a\\":1}"}'), undefined, 'a key inside a string is not a key');
});
