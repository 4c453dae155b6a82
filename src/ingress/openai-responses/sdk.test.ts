// The codec's output read back by the official `openai` SDK, over real HTTP.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import type { EncodeContext } from '../../core/adapters.ts';
import type { CanonicalResponse } from '../../core/canonical.ts';
import { GatewayError } from '../../core/errors.ts';
import type { StreamEvent } from '../../core/stream-events.ts';
import codec, { decodeInputTokensRequest, encodeInputTokensResponse } from './index.ts';

type Reply = { events: StreamEvent[] } | { response: CanonicalResponse } | { error: GatewayError };

/** What the fake gateway answers next; the body each request carried is kept. */
let nextReply: Reply;
const seenBodies: unknown[] = [];

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  const body = JSON.parse(raw);
  seenBodies.push(body);
  if (req.url?.endsWith('/responses/input_tokens')) {
    const counted = decodeInputTokensRequest(body);
    const tokens = counted.messages.length * 3;
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify(encodeInputTokensResponse(tokens)));
    return;
  }
  const request = codec.decodeRequest(body, info());
  const context: EncodeContext = { requestId: 'req_sdk', requestedModel: request.model, request };
  if ('error' in nextReply) {
    const { status, body: errorBody } = codec.encodeError(nextReply.error);
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(errorBody));
  } else if ('response' in nextReply) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(codec.encodeResponse(nextReply.response, context)));
  } else {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const events = nextReply.events;
    for await (const frame of codec.encodeStream(
      (async function* () {
        yield* events;
      })(),
      context,
    ))
      res.write(frame);
    res.end();
  }
}

const server = createServer((req, res) => {
  handle(req, res).catch((error) => res.destroy(error));
});
let client: OpenAI;

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: 'x', maxRetries: 0 });
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const weatherTool = {
  type: 'function' as const,
  name: 'weather',
  description: 'Current weather',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  },
  strict: true,
};

const toolStream: StreamEvent[] = [
  { type: 'response-start', id: 'resp_t1', model: 'gpt-5.1-2025-11-13', created: 1765552663 },
  { type: 'text-delta', index: 0, delta: 'Checking ' },
  { type: 'text-delta', index: 0, delta: 'the weather.' },
  { type: 'block-end', index: 0 },
  { type: 'tool-call-start', index: 1, id: 'call_w1', name: 'weather' },
  { type: 'tool-call-delta', index: 1, argumentsDelta: '{"city":' },
  { type: 'tool-call-delta', index: 1, argumentsDelta: '"Paris"}' },
  { type: 'block-end', index: 1 },
  {
    type: 'response-end',
    finishReason: 'tool-calls',
    usage: { inputTokens: 50, outputTokens: 20, cacheReadTokens: 32 },
  },
];

/** The wire Response for the tool exchange above, as the SDK returns it from create() (plus output_text). */
const toolResponse = {
  id: 'resp_t1',
  object: 'response',
  created_at: 1765552663,
  status: 'completed',
  background: false,
  error: null,
  incomplete_details: null,
  instructions: null,
  max_output_tokens: null,
  max_tool_calls: null,
  model: 'gpt-5.1-2025-11-13',
  output: [
    {
      id: 'msg_t1_0',
      type: 'message',
      role: 'assistant',
      status: 'completed',
      content: [{ type: 'output_text', text: 'Checking the weather.', annotations: [] }],
    },
    {
      id: 'fc_t1_1',
      type: 'function_call',
      status: 'completed',
      arguments: '{"city":"Paris"}',
      call_id: 'call_w1',
      name: 'weather',
    },
  ],
  parallel_tool_calls: true,
  previous_response_id: null,
  prompt_cache_key: null,
  reasoning: { effort: null, summary: null },
  safety_identifier: null,
  service_tier: 'default',
  store: true,
  temperature: null,
  text: { format: { type: 'text' } },
  tool_choice: 'auto',
  tools: [weatherTool],
  top_logprobs: 0,
  top_p: null,
  truncation: 'disabled',
  usage: {
    input_tokens: 50,
    input_tokens_details: { cached_tokens: 32 },
    output_tokens: 20,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 70,
  },
  user: null,
  metadata: {},
  output_text: 'Checking the weather.',
};

/** The stream helper's finalResponse(): the same object plus the SDK's own parsing fields. */
const toolFinalResponse = {
  ...toolResponse,
  output: [
    {
      ...toolResponse.output[0],
      content: [{ type: 'output_text', text: 'Checking the weather.', annotations: [], parsed: null }],
    },
    { ...toolResponse.output[1], parsed_arguments: { city: 'Paris' } },
  ],
  output_parsed: null,
};

describe('official openai SDK against the codec', () => {
  it('responses.stream().finalResponse() rebuilds the full response with text and function call', async () => {
    nextReply = { events: toolStream };
    const stream = client.responses.stream({
      model: 'gpt-5.1',
      input: 'Weather in Paris?',
      tools: [weatherTool],
    });
    const deltas: string[] = [];
    stream.on('response.output_text.delta', (event) => deltas.push(event.delta));
    const final = await stream.finalResponse();
    assert.deepEqual(deltas, ['Checking ', 'the weather.']);
    assert.deepEqual(JSON.parse(JSON.stringify(final)), toolFinalResponse);
    assert.deepEqual(codec.decodeRequest(seenBodies.at(-1), info()).tools, [
      { name: 'weather', description: 'Current weather', parameters: weatherTool.parameters, strict: true },
    ]);
  });

  it('responses.create({stream:true}) yields every event in order', async () => {
    nextReply = { events: toolStream };
    const stream = await client.responses.create({
      model: 'gpt-5.1',
      input: 'Weather in Paris?',
      stream: true,
    });
    const seen: Array<[string, number]> = [];
    let completed: unknown;
    for await (const event of stream) {
      seen.push([event.type, event.sequence_number]);
      if (event.type === 'response.completed') completed = event.response;
    }
    assert.deepEqual(
      seen.map(([type]) => type),
      [
        'response.created',
        'response.in_progress',
        'response.output_item.added',
        'response.content_part.added',
        'response.output_text.delta',
        'response.output_text.delta',
        'response.output_text.done',
        'response.content_part.done',
        'response.output_item.done',
        'response.output_item.added',
        'response.function_call_arguments.delta',
        'response.function_call_arguments.delta',
        'response.function_call_arguments.done',
        'response.output_item.done',
        'response.completed',
      ],
    );
    assert.deepEqual(
      seen.map(([, sequence]) => sequence),
      seen.map((_, index) => index),
    );
    assert.equal((completed as { status: string }).status, 'completed');
  });

  it('responses.create() without stream gives output_text and the same object as the stream', async () => {
    nextReply = {
      response: {
        id: 'resp_t1',
        model: 'gpt-5.1-2025-11-13',
        created: 1765552663,
        content: [
          { type: 'text', text: 'Checking the weather.' },
          { type: 'tool-call', id: 'call_w1', name: 'weather', arguments: '{"city":"Paris"}' },
        ],
        finishReason: 'tool-calls',
        usage: { inputTokens: 50, outputTokens: 20, cacheReadTokens: 32 },
      },
    };
    const response = await client.responses.create({
      model: 'gpt-5.1',
      input: 'Weather in Paris?',
      tools: [weatherTool],
    });
    assert.equal(response.output_text, 'Checking the weather.');
    assert.deepEqual(JSON.parse(JSON.stringify(response)), toolResponse);
  });

  it('streams reasoning summaries and encrypted content through the SDK', async () => {
    nextReply = {
      events: [
        { type: 'response-start', id: 'resp_r1', model: 'gpt-5.1', created: 1 },
        { type: 'reasoning-delta', index: 0, delta: 'Add ' },
        { type: 'reasoning-delta', index: 0, delta: 'them.' },
        {
          type: 'reasoning-signature',
          index: 0,
          signature: 'gAAAAB_r1',
          signatureProtocol: 'openai-responses',
        },
        { type: 'block-end', index: 0 },
        { type: 'text-delta', index: 1, delta: '19' },
        { type: 'block-end', index: 1 },
        {
          type: 'response-end',
          finishReason: 'stop',
          usage: { inputTokens: 5, outputTokens: 9, reasoningTokens: 7 },
        },
      ],
    };
    const summaries: string[] = [];
    const stream = client.responses.stream({
      model: 'gpt-5.1',
      input: '12+7?',
      reasoning: { effort: 'low', summary: 'auto' },
    });
    stream.on('response.reasoning_summary_text.delta', (event) => summaries.push(event.delta));
    const final = await stream.finalResponse();
    assert.deepEqual(summaries, ['Add ', 'them.']);
    assert.equal(final.output_text, '19');
    assert.deepEqual(final.output[0], {
      id: 'rs_r1_0',
      type: 'reasoning',
      summary: [{ type: 'summary_text', text: 'Add them.' }],
      encrypted_content: 'gAAAAB_r1',
    });
    assert.deepEqual(final.reasoning, { effort: 'low', summary: 'auto' });
    assert.deepEqual(final.usage?.output_tokens_details, { reasoning_tokens: 7 });
  });

  it('parses structured output from text.format json_schema', async () => {
    nextReply = {
      events: [
        { type: 'response-start', id: 'resp_j1', model: 'gpt-5.1', created: 1 },
        { type: 'text-delta', index: 0, delta: '{"city":' },
        { type: 'text-delta', index: 0, delta: '"Oslo"}' },
        { type: 'block-end', index: 0 },
        { type: 'response-end', finishReason: 'stop', usage: { inputTokens: 5, outputTokens: 5 } },
      ],
    };
    const schema = {
      type: 'object',
      properties: { city: { type: 'string' } },
      required: ['city'],
      additionalProperties: false,
    };
    const stream = client.responses.stream({
      model: 'gpt-5.1',
      input: 'Capital of Norway?',
      text: { format: { type: 'json_schema', name: 'place', schema, strict: true } },
    });
    const final = await stream.finalResponse();
    assert.deepEqual(final.output_parsed, { city: 'Oslo' });
    assert.deepEqual(final.text, { format: { type: 'json_schema', name: 'place', schema, strict: true } });
  });

  it('a failed stream makes responses.stream() reject with the error', async () => {
    nextReply = {
      events: [
        { type: 'response-start', id: 'resp_f1', model: 'gpt-5.1', created: 1 },
        { type: 'text-delta', index: 0, delta: 'Hel' },
        {
          type: 'error',
          error: new GatewayError('upstream_overloaded', 'Overloaded', { upstreamCode: 'overloaded' }),
        },
      ],
    };
    const stream = client.responses.stream({ model: 'gpt-5.1', input: 'Hi' });
    await assert.rejects(stream.finalResponse(), (error: unknown) => {
      assert.ok(error instanceof OpenAI.APIError);
      assert.equal(error.message, 'Overloaded');
      assert.equal(error.code, 'overloaded');
      assert.equal(error.type, 'overloaded_error');
      return true;
    });
  });

  it('a stream cut short makes responses.create({stream:true}) iteration throw', async () => {
    nextReply = {
      events: [
        { type: 'response-start', id: 'resp_f2', model: 'gpt-5.1', created: 1 },
        { type: 'text-delta', index: 0, delta: 'Hel' },
      ],
    };
    const stream = await client.responses.create({ model: 'gpt-5.1', input: 'Hi', stream: true });
    const seen: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const event of stream) seen.push(event.type);
      })(),
      (error: unknown) =>
        error instanceof OpenAI.APIError &&
        error.message === 'The upstream stream ended before the response was complete',
    );
    assert.deepEqual(seen.slice(-1), ['response.output_text.delta']);
  });

  it('an HTTP error body becomes the SDK error class with param and code', async () => {
    nextReply = {
      error: new GatewayError('invalid_request', "Missing required parameter: 'input'", { param: 'input' }),
    };
    await assert.rejects(client.responses.create({ model: 'gpt-5.1', input: 'x' }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.BadRequestError);
      assert.equal(error.status, 400);
      assert.equal(error.param, 'input');
      assert.equal(error.code, 'invalid_request');
      assert.match(error.message, /Missing required parameter: 'input'/);
      return true;
    });
  });

  it('counts input tokens through client.responses.inputTokens.count', async () => {
    const count = await client.responses.inputTokens.count({ model: 'gpt-5.1', input: 'Hello' });
    assert.deepEqual(JSON.parse(JSON.stringify(count)), { object: 'response.input_tokens', input_tokens: 3 });
  });
});

function info() {
  return { requestId: 'r', headers: {}, path: '/v1/responses', query: new URLSearchParams() };
}
