// Mid-stream failover end to end: fake upstreams that die, stall, send garbage or error events part-way
// through a stream, read back through the official openai and @anthropic-ai/sdk clients.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { decodeRequest } from '../../src/ingress/openai-chat/decode-request.ts';
import { countTextTokens, estimateUsage } from '../../src/pricing/index.ts';
import { CONTINUE_INSTRUCTION } from '../../src/routing/continuation.ts';
import { anthropicErrorEvent, anthropicStream } from '../fakes/anthropic.ts';
import { type FakeServer, startFakeServer } from '../fakes/fake-server.ts';
import { geminiTextStream } from '../fakes/gemini.ts';
import { openAIError, openAITextStreamChunks, openAIToolStreamChunks } from '../fakes/openai.ts';
import { startTestGateway, type TestGateway, tokenUsage } from '../helpers/gateway.ts';

const WORDS = ['The ', 'quick ', 'brown ', 'fox ', 'jumps ', 'over ', 'the ', 'lazy ', 'sleeping ', 'dog.'];
const SENTENCE = WORDS.join('');
/** 40% of the answer: the first four words */
const PREFIX = WORDS.slice(0, 4).join('');
const REST = WORDS.slice(4);

let primary: FakeServer;
let backup: FakeServer;
let claude: FakeServer;
let claudeBackup: FakeServer;
let gateway: TestGateway;

before(async () => {
  [primary, backup, claude, claudeBackup] = await Promise.all([
    startFakeServer(),
    startFakeServer(),
    startFakeServer(),
    startFakeServer(),
  ]);
  gateway = await startTestGateway({
    config: {
      providers: {
        primary: { type: 'openai', base_url: `${primary.url}/v1`, api_key: 'sk-primary' },
        backup: { type: 'openai', base_url: `${backup.url}/v1`, api_key: 'sk-backup' },
        claude: { type: 'anthropic', base_url: claude.url, api_key: 'sk-claude' },
        'claude-backup': { type: 'anthropic', base_url: claudeBackup.url, api_key: 'sk-claude-backup' },
      },
      models: [
        {
          id: 'gpt-pair',
          deployments: [
            { provider: 'primary', model: 'gpt-4o-mini' },
            { provider: 'backup', model: 'gpt-4o-mini-b' },
          ],
        },
        {
          id: 'claude-pair',
          deployments: [
            { provider: 'claude', model: 'claude-sonnet-4-5' },
            { provider: 'claude-backup', model: 'claude-sonnet-4-5-b' },
          ],
        },
        {
          id: 'gpt-then-claude',
          deployments: [
            { provider: 'primary', model: 'gpt-4o-mini' },
            { provider: 'claude-backup', model: 'claude-sonnet-4-5-b' },
          ],
        },
      ],
      routing: {
        strategy: 'ordered',
        circuit_breaker: { failure_threshold: 1000 },
        presets: { impatient: { models: ['gpt-pair'], first_byte_timeout_ms: 300, idle_timeout_ms: 300 } },
      },
    },
  });
});
after(async () => {
  await gateway.close();
  await Promise.all([primary.close(), backup.close(), claude.close(), claudeBackup.close()]);
});
beforeEach(() => {
  for (const server of [primary, backup, claude, claudeBackup]) server.reset();
});

const openai = () => new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'c', maxRetries: 0 });
const anthropic = () => new Anthropic({ baseURL: gateway.url, apiKey: 'c', maxRetries: 0 });
const USER = [{ role: 'user' as const, content: 'Say the sentence.' }];

async function traceOf(requestId: string) {
  await gateway.runtime.traceWriter!.flush();
  const trace = await gateway.runtime.store!.getTrace(requestId);
  assert.ok(trace, 'trace stored');
  return trace;
}

describe('OpenAI clients', () => {
  test('a passthrough stream that dies after 40% arrives whole and well-formed (instructed continuation)', async () => {
    const chunks = openAITextStreamChunks({ pieces: WORDS, includeUsage: true });
    primary.enqueue({ chunks, dieAfterChunks: 5, delayMs: 5 });
    backup.enqueue({
      chunks: openAITextStreamChunks({
        pieces: REST,
        includeUsage: true,
        usage: { prompt: 40, completion: 6 },
      }),
    });
    const body = {
      model: 'gpt-pair',
      stream: true as const,
      stream_options: { include_usage: true },
      messages: USER,
    };
    const { data: stream, response } = await openai().chat.completions.create(body).withResponse();
    const received = [];
    for await (const chunk of stream) received.push(chunk);
    const text = received.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('');
    assert.equal(text, SENTENCE);
    assert.deepEqual(
      [...new Set(received.map((chunk) => chunk.id))],
      ['chatcmpl-ABfwERreu9s99xXsVuOWtIB2UOx62'],
    );
    assert.equal(received.filter((chunk) => chunk.choices[0]?.delta?.role).length, 1, 'one response head');
    assert.equal(received.at(-2)?.choices[0].finish_reason, 'stop');
    // both attempts count: the dead one estimated (it reported nothing), the continuation as reported
    const estimate = await estimateUsage(decodeRequest(body), [{ type: 'text', text: PREFIX }]);
    assert.deepEqual(tokenUsage(received.at(-1)?.usage), {
      prompt_tokens: estimate.inputTokens + 40,
      completion_tokens: estimate.outputTokens + 6,
      total_tokens: estimate.inputTokens + 40 + estimate.outputTokens + 6,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
    assert.equal(response.headers.get('x-switchyard-provider'), 'primary');
    assert.deepEqual(backup.requests[0].json, {
      model: 'gpt-4o-mini-b',
      messages: [
        { role: 'user', content: 'Say the sentence.' },
        { role: 'assistant', content: PREFIX },
        { role: 'user', content: CONTINUE_INSTRUCTION },
      ],
      stream: true,
      stream_options: { include_usage: true },
    });
    const trace = await traceOf(response.headers.get('x-request-id')!);
    assert.deepEqual(
      trace.attempts.map((attempt) => [attempt.provider, attempt.status, attempt.errorCode]),
      [
        ['primary', 'error', 'upstream_stream_broken'],
        ['backup', 'ok', undefined],
      ],
    );
    assert.deepEqual((trace.route as { failovers: unknown }).failovers, [
      {
        from: 'primary/gpt-4o-mini',
        to: 'backup/gpt-4o-mini-b',
        mode: 'instructed',
        after_chars: PREFIX.length,
        reason: 'Upstream stream ended before the response finished',
      },
    ]);
    assert.deepEqual(trace.usage, {
      inputTokens: estimate.inputTokens + 40,
      outputTokens: estimate.outputTokens + 6,
      estimated: true,
    });
  });

  test('a translated stream (OpenAI client, Anthropic upstream) continues natively; usage adds both attempts', async () => {
    const frames = anthropicStream({
      id: 'msg_first',
      text: WORDS,
      usage: { input_tokens: 30, output_tokens: 12 },
    });
    claude.enqueue({ chunks: frames, dieAfterChunks: 7, delayMs: 5 });
    claudeBackup.enqueue({
      chunks: anthropicStream({
        id: 'msg_second',
        text: [' jumps ', ...REST.slice(1)],
        usage: { input_tokens: 40, output_tokens: 7 },
      }),
    });
    const stream = await openai().chat.completions.create({
      model: 'claude-pair',
      stream: true,
      stream_options: { include_usage: true },
      messages: USER,
    });
    const received = [];
    for await (const chunk of stream) received.push(chunk);
    assert.equal(received.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join(''), SENTENCE);
    assert.deepEqual([...new Set(received.map((chunk) => chunk.id))], ['chatcmpl-msg_first']);
    assert.equal(received.at(-2)?.choices[0].finish_reason, 'stop');
    const streamed = await countTextTokens(PREFIX);
    assert.deepEqual(tokenUsage(received.at(-1)?.usage), {
      prompt_tokens: 70,
      completion_tokens: streamed + 7,
      total_tokens: 70 + streamed + 7,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
    const sent = claudeBackup.requests[0].json as { model: string; messages: unknown };
    assert.equal(sent.model, 'claude-sonnet-4-5-b');
    assert.deepEqual(sent.messages, [
      { role: 'user', content: [{ type: 'text', text: 'Say the sentence.' }] },
      { role: 'assistant', content: [{ type: 'text', text: PREFIX.trimEnd() }] },
    ]);
  });

  test('an interrupted tool call is redone whole: the client never sees the broken one', async () => {
    const broken = anthropicStream({
      id: 'msg_tools',
      text: ['Let me ', 'check.'],
      toolUse: {
        id: 'toolu_broken',
        name: 'get_weather',
        input: { city: 'Paris' },
        chunks: ['', '{"ci', 'ty": "Pa'],
      },
    });
    // message_start, text start, ping, 2 deltas, text stop, tool start, 2 of 3 input deltas: then it dies
    claude.enqueue({ chunks: broken, dieAfterChunks: 9, delayMs: 5 });
    claudeBackup.enqueue({
      chunks: anthropicStream({
        toolUse: { id: 'toolu_whole', name: 'get_weather', input: { city: 'Paris' } },
      }),
    });
    const runner = openai().chat.completions.stream({
      model: 'claude-pair',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [
        {
          type: 'function',
          function: { name: 'get_weather', parameters: { type: 'object', properties: {} } },
        },
      ],
    });
    const final = await runner.finalChatCompletion();
    const message = final.choices[0].message;
    assert.equal(message.content, 'Let me check.');
    assert.deepEqual(
      message.tool_calls?.map((call) =>
        call.type === 'function' ? [call.id, call.function.name, call.function.arguments] : [],
      ),
      [['toolu_whole', 'get_weather', '{"city":"Paris"}']],
    );
    assert.equal(final.choices[0].finish_reason, 'tool_calls');
    const sent = claudeBackup.requests[0].json as { messages: unknown[] };
    assert.deepEqual(sent.messages.at(-1), {
      role: 'assistant',
      content: [{ type: 'text', text: 'Let me check.' }],
    });
  });

  test('passthrough: a tool call interrupted mid-arguments is redone whole on the next deployment', async () => {
    const calls = (id: string) => [
      { id, name: 'get_weather', argumentPieces: ['{"', 'city', '":"', 'NYC', '"}'] },
    ];
    primary.enqueue({
      chunks: openAIToolStreamChunks({ includeUsage: true, calls: calls('call_broken') }),
      dieAfterChunks: 3,
      delayMs: 5,
    });
    backup.enqueue({ chunks: openAIToolStreamChunks({ includeUsage: true, calls: calls('call_whole') }) });
    const final = await openai()
      .chat.completions.stream({
        model: 'gpt-pair',
        messages: USER,
        tools: [
          {
            type: 'function',
            function: { name: 'get_weather', parameters: { type: 'object', properties: {} } },
          },
        ],
      })
      .finalChatCompletion();
    assert.deepEqual(
      final.choices[0].message.tool_calls?.map((call) =>
        call.type === 'function' ? [call.id, call.function.arguments] : [],
      ),
      [['call_whole', '{"city":"NYC"}']],
    );
    // nothing but the held tool call had come: the request is simply sent again
    assert.deepEqual((backup.requests[0].json as { messages: unknown }).messages, [
      { role: 'user', content: 'Say the sentence.' },
    ]);
  });

  test('a tool call the client already has cannot be redone: the stream ends with an error saying so', async () => {
    const call = { id: 'call_1', name: 'get_weather', argumentPieces: ['{}'] };
    const chunks = openAIToolStreamChunks({ includeUsage: true, calls: [call] });
    const text = openAITextStreamChunks({ pieces: ['and more'], includeUsage: false });
    // a complete tool call, then text (which releases the held call), then the upstream dies
    primary.enqueue({ chunks: [...chunks.slice(0, 2), text[1]], dieAfterChunks: 3, delayMs: 5 });
    const stream = await openai().chat.completions.create({
      model: 'gpt-pair',
      stream: true,
      messages: USER,
      tools: [
        {
          type: 'function',
          function: { name: 'get_weather', parameters: { type: 'object', properties: {} } },
        },
      ],
    });
    await assert.rejects(async () => {
      for await (const _chunk of stream) {
        // drain
      }
    }, /not continued: a tool call had already reached the client/);
    assert.equal(backup.requests.length, 0);
  });

  test('malformed SSE mid-stream is a failure: the stream continues on the next deployment', async () => {
    const chunks = openAITextStreamChunks({ pieces: WORDS, includeUsage: true });
    primary.enqueue({
      chunks: [...chunks.slice(0, 5), 'data: {"id": "chatcmpl-x", "choices": [\n\n', ...chunks.slice(5)],
      delayMs: 5,
    });
    backup.enqueue({ chunks: openAITextStreamChunks({ pieces: REST, includeUsage: true }) });
    const stream = await openai().chat.completions.create({
      model: 'gpt-pair',
      stream: true,
      messages: USER,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    assert.equal(text, SENTENCE);
    assert.equal(backup.requests.length, 1);
  });

  test('a stall mid-stream (idle timeout) continues on the next deployment', async () => {
    primary.enqueue({
      chunks: openAITextStreamChunks({ pieces: WORDS, includeUsage: true }),
      hangAfterChunks: 5,
    });
    backup.enqueue({ chunks: openAITextStreamChunks({ pieces: REST, includeUsage: true }) });
    const started = Date.now();
    const stream = await openai().chat.completions.create({
      model: '@preset/impatient',
      stream: true,
      messages: USER,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    assert.equal(text, SENTENCE);
    assert.ok(Date.now() - started >= 300, 'waited for the idle timeout');
    assert.equal(primary.requests[0].aborted, true, 'the stalled upstream is hung up on');
  });

  test('a hang before the first byte falls through before anything is sent', async () => {
    primary.enqueue({ ...openAIError(500, 'late', 'server_error', null), headerDelayMs: 2000 });
    backup.enqueue({ chunks: openAITextStreamChunks({ pieces: WORDS, includeUsage: false }) });
    const { data: stream, response } = await openai()
      .chat.completions.create({ model: '@preset/impatient', stream: true, messages: USER })
      .withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    assert.equal(text, SENTENCE);
    assert.equal(response.headers.get('x-switchyard-provider'), 'backup');
    assert.equal(response.headers.get('x-switchyard-attempts'), '2');
  });

  test('a death before the first frame, then a failure: an HTTP error that says what each attempt got', async () => {
    primary.enqueue({
      chunks: ['data: {"id":"x","choices":[{"index":0,"delta":{"content":"Hi"}'],
      dieAfterChunks: 1,
      delayMs: 5,
    });
    backup.enqueue(openAIError(503, 'Backup is down', 'server_error', null));
    const error = await openai()
      .chat.completions.create({ model: 'gpt-pair', stream: true, messages: USER })
      .catch((caught: unknown) => caught);
    assert.ok(error instanceof OpenAI.APIError);
    assert.equal(error.status, 503);
    assert.equal(
      error.message,
      '503 All 2 attempts failed: primary/gpt-4o-mini: 502 Upstream stream ended before the response finished; backup/gpt-4o-mini-b: 503 Backup is down',
    );
  });

  test('a dying OpenAI-protocol stream can continue on an Anthropic deployment, encoded as OpenAI chunks', async () => {
    primary.enqueue({
      chunks: openAITextStreamChunks({ pieces: WORDS, includeUsage: true }),
      dieAfterChunks: 5,
      delayMs: 5,
    });
    claudeBackup.enqueue({ chunks: anthropicStream({ text: REST }) });
    const stream = await openai().chat.completions.create({
      model: 'gpt-then-claude',
      stream: true,
      messages: USER,
    });
    const received = [];
    for await (const chunk of stream) received.push(chunk);
    assert.equal(received.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join(''), SENTENCE);
    assert.deepEqual(
      [...new Set(received.map((chunk) => chunk.id))],
      ['chatcmpl-ABfwERreu9s99xXsVuOWtIB2UOx62'],
    );
    assert.deepEqual([...new Set(received.map((chunk) => chunk.model))], ['gpt-4o-2024-08-06']);
    const sent = claudeBackup.requests[0].json as { messages: unknown[] };
    assert.deepEqual(sent.messages.at(-1), {
      role: 'assistant',
      content: [{ type: 'text', text: PREFIX.trimEnd() }],
    });
  });
});

describe('Anthropic clients', () => {
  test('a passthrough stream that dies after 40% arrives as one well-formed message (native continuation)', async () => {
    const frames = anthropicStream({
      id: 'msg_01First',
      text: WORDS,
      usage: { input_tokens: 25, output_tokens: 10 },
    });
    // message_start, content_block_start, ping, then 4 of the 10 text deltas
    claude.enqueue({ chunks: frames, dieAfterChunks: 7, delayMs: 5 });
    claudeBackup.enqueue({
      chunks: anthropicStream({
        id: 'msg_01Second',
        text: [' jumps ', ...REST.slice(1)],
        usage: { input_tokens: 31, output_tokens: 6 },
      }),
    });
    const stream = anthropic().messages.stream({ model: 'claude-pair', max_tokens: 200, messages: USER });
    const events: string[] = [];
    stream.on('streamEvent', (event) => events.push(event.type));
    const message = await stream.finalMessage();
    assert.deepEqual(message.content, [{ type: 'text', text: SENTENCE }]);
    assert.equal(message.id, 'msg_01First');
    assert.equal(message.stop_reason, 'end_turn');
    assert.deepEqual(events, [
      'message_start',
      'content_block_start',
      ...WORDS.map(() => 'content_block_delta'),
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const streamed = await countTextTokens(PREFIX);
    assert.equal(message.usage.output_tokens, streamed + 6);
    assert.equal(message.usage.input_tokens, 25 + 31);
    const sent = claudeBackup.requests[0].json as Record<string, unknown>;
    assert.deepEqual(sent, {
      model: 'claude-sonnet-4-5-b',
      max_tokens: 200 - Math.ceil(PREFIX.length / 4),
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Say the sentence.' }] },
        { role: 'assistant', content: [{ type: 'text', text: PREFIX.trimEnd() }] },
      ],
      stream: true,
    });
  });

  test('a translated stream (Anthropic client, OpenAI upstreams) continues by instruction, one message', async () => {
    primary.enqueue({
      chunks: openAITextStreamChunks({ pieces: WORDS, includeUsage: true }),
      dieAfterChunks: 5,
      delayMs: 5,
    });
    backup.enqueue({
      chunks: openAITextStreamChunks({
        pieces: REST,
        includeUsage: true,
        usage: { prompt: 50, completion: 6 },
      }),
    });
    const stream = anthropic().messages.stream({ model: 'gpt-pair', max_tokens: 200, messages: USER });
    const events: string[] = [];
    stream.on('streamEvent', (event) => events.push(event.type));
    const message = await stream.finalMessage();
    assert.deepEqual(message.content, [{ type: 'text', text: SENTENCE }]);
    assert.equal(message.stop_reason, 'end_turn');
    assert.deepEqual(events, [
      'message_start',
      'content_block_start',
      ...WORDS.map(() => 'content_block_delta'),
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const sent = backup.requests[0].json as { messages: unknown[] };
    assert.deepEqual(sent.messages.slice(-2), [
      { role: 'assistant', content: PREFIX },
      { role: 'user', content: CONTINUE_INSTRUCTION },
    ]);
  });

  test('a retryable error event mid-stream (overloaded) is continued too', async () => {
    const frames = anthropicStream({ text: WORDS });
    claude.enqueue({
      chunks: [...frames.slice(0, 7), anthropicErrorEvent('overloaded_error', 'Overloaded')],
      delayMs: 5,
    });
    claudeBackup.enqueue({ chunks: anthropicStream({ text: REST }) });
    const message = await anthropic()
      .messages.stream({ model: 'claude-pair', max_tokens: 200, messages: USER })
      .finalMessage();
    assert.deepEqual(message.content, [{ type: 'text', text: `${PREFIX}${REST.join('')}` }]);
  });

  test('a death inside a frame: the half frame never reaches the client and the message still completes', async () => {
    const frames = anthropicStream({ id: 'msg_half', text: WORDS });
    // the fifth text delta is cut off inside its JSON
    const half = frames[7].slice(0, frames[7].length - 12);
    const enqueue = () => {
      claude.enqueue({ chunks: [...frames.slice(0, 7), half], dieAfterChunks: 8, delayMs: 5 });
      claudeBackup.enqueue({ chunks: anthropicStream({ text: REST }) });
    };
    enqueue();
    const message = await anthropic()
      .messages.stream({ model: 'claude-pair', max_tokens: 200, messages: USER })
      .finalMessage();
    assert.deepEqual(message.content, [{ type: 'text', text: SENTENCE }]);
    assert.equal(message.id, 'msg_half');
    enqueue();
    const response = await fetch(`${gateway.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-pair', max_tokens: 200, stream: true, messages: USER }),
    });
    const raw = await response.text();
    // whole events only while a failover is possible: every frame parses, the text is there once
    const events = raw
      .split('\n\n')
      .filter(Boolean)
      .map((frame) =>
        JSON.parse(
          frame
            .split('\n')
            .find((line) => line.startsWith('data: '))!
            .slice(6),
        ),
      );
    const deltas = events.filter((event) => event.type === 'content_block_delta');
    assert.equal(deltas.map((event) => event.delta.text).join(''), SENTENCE);
    assert.equal(events.at(-1).type, 'message_stop');
  });
});

describe('Gemini clients', () => {
  test('a passthrough Gemini stream that dies part-way is continued and arrives whole', async () => {
    const [g1, g2] = await Promise.all([startFakeServer(), startFakeServer()]);
    const gemini = await startTestGateway({
      config: {
        providers: {
          g1: { type: 'gemini', base_url: g1.url, api_key: 'k1' },
          g2: { type: 'gemini', base_url: g2.url, api_key: 'k2' },
        },
        models: [
          {
            id: 'gem-pair',
            deployments: [
              { provider: 'g1', model: 'gemini-2.5-flash' },
              { provider: 'g2', model: 'gemini-2.5-pro' },
            ],
          },
        ],
        routing: { strategy: 'ordered' },
      },
    });
    g1.enqueue({ ...geminiTextStream(WORDS), dieAfterChunks: 4, delayMs: 5 });
    g2.enqueue(geminiTextStream(REST));
    const ai = new GoogleGenAI({ apiKey: 'client', httpOptions: { baseUrl: gemini.url } });
    let text = '';
    let finish: string | undefined;
    for await (const chunk of await ai.models.generateContentStream({
      model: 'gem-pair',
      contents: 'Say it.',
    })) {
      text += chunk.text ?? '';
      finish = chunk.candidates?.[0]?.finishReason ?? finish;
    }
    assert.equal(text, SENTENCE);
    assert.equal(finish, 'STOP');
    assert.deepEqual((g2.requests[0].json as { contents: unknown }).contents, [
      { role: 'user', parts: [{ text: 'Say it.' }] },
      { role: 'model', parts: [{ text: PREFIX }] },
      { role: 'user', parts: [{ text: CONTINUE_INSTRUCTION }] },
    ]);
    await gemini.close();
    await Promise.all([g1.close(), g2.close()]);
  });
});
