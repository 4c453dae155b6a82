import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { anthropicError, anthropicMessage, anthropicStream } from '../fakes/anthropic.ts';
import { type FakeServer, startFakeServer } from '../fakes/fake-server.ts';
import { geminiJsonReply, geminiTextStream } from '../fakes/gemini.ts';
import { openAICompletion, openAITextStreamChunks } from '../fakes/openai.ts';
import { startTestGateway, type TestGateway } from '../helpers/gateway.ts';

describe('any protocol in, any provider out, through the real server', () => {
  let openai: FakeServer;
  let anthropic: FakeServer;
  let gemini: FakeServer;
  let gateway: TestGateway;

  before(async () => {
    [openai, anthropic, gemini] = await Promise.all([
      startFakeServer(),
      startFakeServer(),
      startFakeServer(),
    ]);
    gateway = await startTestGateway({
      env: {
        OPENAI_API_KEY: 'sk-openai-upstream',
        OPENAI_BASE_URL: `${openai.url}/v1`,
        ANTHROPIC_API_KEY: 'sk-ant-upstream',
        ANTHROPIC_BASE_URL: anthropic.url,
        GEMINI_API_KEY: 'gemini-upstream-key',
        GEMINI_BASE_URL: gemini.url,
      },
    });
  });
  after(async () => {
    await gateway.close();
    await Promise.all([openai.close(), anthropic.close(), gemini.close()]);
  });
  beforeEach(() => {
    openai.reset();
    anthropic.reset();
    gemini.reset();
  });

  const openaiClient = () => new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'client', maxRetries: 0 });
  const anthropicClient = () => new Anthropic({ baseURL: gateway.url, apiKey: 'client', maxRetries: 0 });

  test('OpenAI SDK → Anthropic: streamed tool call arrives as OpenAI deltas, usage and finish reason right', async () => {
    anthropic.enqueue({
      chunks: anthropicStream({
        text: ['Let me ', 'check.'],
        toolUse: {
          id: 'toolu_01A',
          name: 'get_weather',
          input: { city: 'Paris' },
          chunks: ['{"city"', ':"Paris"}'],
        },
        usage: { input_tokens: 20, output_tokens: 11, cache_read_input_tokens: 5 },
      }),
    });
    const runner = openaiClient().chat.completions.stream({
      model: 'claude-sonnet-4-5',
      max_tokens: 300,
      stream_options: { include_usage: true },
      messages: [
        { role: 'system', content: 'Be terse.' },
        { role: 'user', content: 'Weather in Paris?' },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            parameters: { type: 'object', properties: { city: { type: 'string' } } },
          },
        },
      ],
    });
    const final = await runner.finalChatCompletion();
    const message = final.choices[0].message;
    assert.equal(message.content, 'Let me check.');
    const call = message.tool_calls?.[0];
    assert.ok(call && call.type === 'function');
    assert.deepEqual(
      [call.id, call.function.name, JSON.parse(call.function.arguments)],
      ['toolu_01A', 'get_weather', { city: 'Paris' }],
    );
    assert.equal(final.choices[0].finish_reason, 'tool_calls');
    assert.equal(
      final.usage?.prompt_tokens,
      25,
      'Anthropic input excludes cache reads; OpenAI prompt tokens include them',
    );
    const sent = anthropic.requests[0];
    assert.equal(sent.url, '/v1/messages');
    assert.equal(sent.headers['x-api-key'], 'sk-ant-upstream');
    const body = sent.json as { system: unknown; max_tokens: number; stream: boolean };
    assert.equal(body.system, 'Be terse.');
    assert.equal(body.max_tokens, 300);
    assert.equal(body.stream, true);
  });

  test('OpenAI SDK → Anthropic: an upstream error keeps its status; a mid-stream error ends the stream with an error', async () => {
    anthropic.enqueue(anthropicError(529, 'overloaded_error', 'Overloaded'));
    const failed = await openaiClient()
      .chat.completions.create({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'x' }] })
      .catch((caught: unknown) => caught);
    assert.ok(failed instanceof OpenAI.APIError);
    assert.equal(failed.status, 529);
    const chunks = anthropicStream({ text: ['partial ', 'answer'] });
    anthropic.enqueue({ chunks: chunks.slice(0, 4), delayMs: 2 });
    const stream = await openaiClient().chat.completions.create({
      model: 'claude-sonnet-4-5',
      stream: true,
      messages: [{ role: 'user', content: 'x' }],
    });
    await assert.rejects(async () => {
      for await (const _chunk of stream) {
        // drain
      }
    });
  });

  test('Anthropic SDK → Anthropic takes the passthrough path byte for byte', async () => {
    anthropic.enqueue({
      body: anthropicMessage({ text: 'native hello', usage: { input_tokens: 3, output_tokens: 2 } }),
    });
    const message = await anthropicClient().messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'hi' }],
    });
    assert.deepEqual(message.content, [{ type: 'text', text: 'native hello' }]);
    assert.deepEqual(anthropic.requests[0].json, {
      model: 'claude-sonnet-4-5',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'hi' }],
    });
  });

  test('Anthropic SDK → OpenAI: messages.stream accumulates the translated reply', async () => {
    openai.enqueue({
      chunks: openAITextStreamChunks({
        pieces: ['Bon', 'jour'],
        includeUsage: true,
        usage: { prompt: 7, completion: 2 },
      }),
    });
    const final = await anthropicClient()
      .messages.stream({
        model: 'gpt-4o',
        max_tokens: 50,
        messages: [{ role: 'user', content: 'Say hello in French' }],
      })
      .finalMessage();
    assert.equal(final.content.map((block) => (block.type === 'text' ? block.text : '')).join(''), 'Bonjour');
    assert.equal(final.stop_reason, 'end_turn');
    assert.equal(final.usage.input_tokens, 7);
    assert.equal(final.usage.output_tokens, 2);
    const sent = openai.requests[0].json as { max_completion_tokens: number; messages: unknown };
    assert.equal(sent.max_completion_tokens, 50);
  });

  test('Anthropic SDK count_tokens: native on Anthropic, local estimate marked elsewhere', async () => {
    anthropic.enqueue({ body: { input_tokens: 42 } });
    const native = await anthropicClient().messages.countTokens({
      model: 'claude-sonnet-4-5',
      messages: [{ role: 'user', content: 'hello' }],
    });
    assert.equal(native.input_tokens, 42);
    assert.equal(anthropic.requests[0].url, '/v1/messages/count_tokens');
    const { data: estimate, response } = await anthropicClient()
      .messages.countTokens({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hello there friend' }] })
      .withResponse();
    assert.ok(estimate.input_tokens > 0);
    assert.equal(response.headers.get('x-switchyard-token-count'), 'estimate');
    assert.equal(openai.requests.length, 0);
  });

  test('Google GenAI SDK → Gemini passthrough, and → Anthropic translated', async () => {
    const ai = new GoogleGenAI({ apiKey: 'client', httpOptions: { baseUrl: gateway.url } });
    gemini.enqueue(geminiJsonReply({ parts: [{ text: 'gemini says hi' }] } as never));
    const direct = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' });
    assert.equal(direct.text, 'gemini says hi');
    assert.equal(gemini.requests[0].headers['x-goog-api-key'], 'gemini-upstream-key');
    assert.doesNotMatch(gemini.requests[0].url, /key=/);

    anthropic.enqueue({
      chunks: anthropicStream({ text: ['from ', 'claude'], usage: { input_tokens: 4, output_tokens: 2 } }),
    });
    let text = '';
    for await (const chunk of await ai.models.generateContentStream({
      model: 'claude-sonnet-4-5',
      contents: 'hi',
    })) {
      text += chunk.text ?? '';
    }
    assert.equal(text, 'from claude');
  });

  test('Gemini streaming passthrough keeps the stream as sent', async () => {
    const ai = new GoogleGenAI({ apiKey: 'client', httpOptions: { baseUrl: gateway.url } });
    gemini.enqueue(geminiTextStream(['one ', 'two']));
    let text = '';
    for await (const chunk of await ai.models.generateContentStream({
      model: 'gemini-2.5-flash',
      contents: 'count',
    })) {
      text += chunk.text ?? '';
    }
    assert.equal(text, 'one two');
    assert.match(gemini.requests[0].url, /streamGenerateContent\?alt=sse/);
  });

  test('OpenAI SDK → Gemini translated JSON', async () => {
    gemini.enqueue(geminiJsonReply({ parts: [{ text: 'translated' }] } as never));
    const completion = await openaiClient().chat.completions.create({
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: 'x' }],
    });
    assert.equal(completion.choices[0].message.content, 'translated');
  });
});

describe('legacy completions', () => {
  test('OpenAI SDK completions.create → a chat provider', async () => {
    const upstream = await startFakeServer();
    const gateway = await startTestGateway({
      env: { OPENAI_API_KEY: 'sk-x', OPENAI_BASE_URL: `${upstream.url}/v1` },
    });
    try {
      upstream.enqueue(openAICompletion({ content: ' world' }));
      const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'client', maxRetries: 0 });
      const completion = await client.completions.create({
        model: 'gpt-4o-mini',
        prompt: 'hello',
        max_tokens: 5,
      });
      assert.equal(completion.choices[0].text, ' world');
      assert.equal(completion.object, 'text_completion');
      const sent = upstream.requests[0];
      assert.equal(sent.url, '/v1/chat/completions');
      assert.deepEqual((sent.json as { messages: unknown }).messages, [{ role: 'user', content: 'hello' }]);
    } finally {
      await gateway.close();
      await upstream.close();
    }
  });
});
