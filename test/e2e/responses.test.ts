import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import OpenAI from 'openai';
import { anthropicMessage, anthropicStream } from '../fakes/anthropic.ts';
import { type FakeServer, startFakeServer } from '../fakes/fake-server.ts';
import { openAICompletion } from '../fakes/openai.ts';
import { startTestGateway, type TestGateway } from '../helpers/gateway.ts';

let openai: FakeServer;
let anthropic: FakeServer;
let gateway: TestGateway;
let client: OpenAI;

before(async () => {
  [openai, anthropic] = await Promise.all([startFakeServer(), startFakeServer()]);
  gateway = await startTestGateway({
    env: {
      OPENAI_API_KEY: 'sk-o',
      OPENAI_BASE_URL: `${openai.url}/v1`,
      ANTHROPIC_API_KEY: 'sk-a',
      ANTHROPIC_BASE_URL: anthropic.url,
    },
  });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'c', maxRetries: 0 });
});
after(async () => {
  await gateway.close();
  await Promise.all([openai.close(), anthropic.close()]);
});

test('responses.create on Anthropic, then previous_response_id continues the conversation on OpenAI', async () => {
  anthropic.enqueue({
    body: anthropicMessage({ text: 'Paris.', usage: { input_tokens: 9, output_tokens: 2 } }),
  });
  const first = await client.responses.create({
    model: 'claude-sonnet-4-5',
    instructions: 'Answer in one word.',
    input: 'Capital of France?',
  });
  assert.equal(first.output_text, 'Paris.');
  assert.equal(first.status, 'completed');
  assert.equal(first.instructions, 'Answer in one word.');
  assert.equal((await client.responses.retrieve(first.id)).instructions, 'Answer in one word.');

  openai.enqueue(openAICompletion({ content: 'Berlin.' }));
  const second = await client.responses.create({
    model: 'gpt-4o-mini',
    previous_response_id: first.id,
    input: 'And of Germany?',
  });
  assert.equal(second.output_text, 'Berlin.');
  // instructions are not carried over by previous_response_id, so neither is their echo
  assert.equal(second.instructions, null);
  const sent = openai.requests[0].json as { messages: Array<{ role: string; content: unknown }> };
  assert.deepEqual(
    sent.messages.map((message) => [message.role, message.content]),
    [
      ['user', 'Capital of France?'],
      ['assistant', 'Paris.'],
      ['user', 'And of Germany?'],
    ],
  );

  const fetched = await client.responses.retrieve(second.id);
  assert.equal(fetched.output_text, 'Berlin.');
  const deleted = (await client.responses.delete(second.id)) as unknown as { id: string; deleted: boolean };
  assert.deepEqual(deleted, { id: second.id, object: 'response', deleted: true });
  const missing = await client.responses.retrieve(second.id).catch((error: unknown) => error);
  assert.ok(missing instanceof OpenAI.NotFoundError);
});

test('responses.stream with a function call from Anthropic', async () => {
  anthropic.enqueue({
    chunks: anthropicStream({
      toolUse: {
        id: 'toolu_9',
        name: 'get_weather',
        input: { city: 'Oslo' },
        chunks: ['{"city":', '"Oslo"}'],
      },
      usage: { input_tokens: 12, output_tokens: 7 },
    }),
  });
  const stream = client.responses.stream({
    model: 'claude-sonnet-4-5',
    input: 'Weather in Oslo?',
    tools: [
      {
        type: 'function',
        name: 'get_weather',
        strict: false,
        parameters: { type: 'object', properties: { city: { type: 'string' } } },
      },
    ],
  });
  const final = await stream.finalResponse();
  const call = final.output.find((item) => item.type === 'function_call');
  assert.ok(call && call.type === 'function_call');
  assert.equal(call.name, 'get_weather');
  assert.equal(call.call_id, 'toolu_9');
  assert.deepEqual(JSON.parse(call.arguments), { city: 'Oslo' });
  assert.equal(final.usage?.output_tokens, 7);
});

test('unknown previous_response_id is a 404 without an upstream call', async () => {
  const before = anthropic.requests.length;
  const error = await client.responses
    .create({ model: 'claude-sonnet-4-5', previous_response_id: 'resp_nope', input: 'x' })
    .catch((caught: unknown) => caught);
  assert.ok(error instanceof OpenAI.NotFoundError);
  assert.equal(anthropic.requests.length, before);
});

test('a streamed response is stored and can be continued', async () => {
  anthropic.enqueue({
    chunks: anthropicStream({ text: ['Four', '.'], usage: { input_tokens: 5, output_tokens: 2 } }),
  });
  const first = await client.responses.stream({ model: 'claude-sonnet-4-5', input: '2+2?' }).finalResponse();
  assert.equal(first.output_text, 'Four.');
  const stored = await client.responses.retrieve(first.id);
  assert.equal(stored.output_text, 'Four.');
  openai.enqueue(openAICompletion({ content: 'Five.' }));
  await client.responses.create({ model: 'gpt-4o-mini', previous_response_id: first.id, input: 'plus one?' });
  const sent = openai.requests.at(-1)!.json as { messages: Array<{ role: string; content: unknown }> };
  assert.deepEqual(
    sent.messages.map((message) => message.content),
    ['2+2?', 'Four.', 'plus one?'],
  );
});
