import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { EncodeContext } from '../../core/adapters.ts';
import { GatewayError } from '../../core/errors.ts';
import type { StreamEvent } from '../../core/stream-events.ts';
import { parseSse } from '../../transport/sse.ts';
import { encodeStream } from './index.ts';

const context: EncodeContext = { requestId: 'req_7', requestedModel: 'gpt-5.1' };
const usage = { inputTokens: 10, outputTokens: 2 };

async function* from(events: StreamEvent[], failWith?: Error): AsyncGenerator<StreamEvent> {
  yield* events;
  if (failWith) throw failWith;
}

async function frames(events: AsyncIterable<StreamEvent>, ctx = context): Promise<string> {
  let text = '';
  for await (const frame of encodeStream(events, ctx)) text += frame;
  return text;
}

/** Decoded events, each checked to carry its SSE event name as `type`, with the sequence in order. */
async function decoded(
  events: AsyncIterable<StreamEvent>,
  ctx = context,
): Promise<Array<Record<string, unknown>>> {
  const bytes = new TextEncoder().encode(await frames(events, ctx));
  const out: Array<Record<string, unknown>> = [];
  for await (const message of parseSse(
    (async function* () {
      yield bytes;
    })(),
  )) {
    const data = JSON.parse(message.data);
    assert.equal(data.type, message.event);
    assert.equal(data.sequence_number, out.length);
    out.push(data);
  }
  return out;
}

function types(events: Array<Record<string, unknown>>): unknown[] {
  return events.map((event) => event.type);
}

function fixture(name: string): string {
  return readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
}

describe('encodeStream', () => {
  it('streams text in the Responses event order, byte for byte', async () => {
    const text = await frames(
      from([
        { type: 'response-start', id: 'resp_0a1b2c', model: 'gpt-5.1-2025-11-13', created: 1765552663 },
        { type: 'text-delta', index: 0, delta: 'The answer' },
        { type: 'text-delta', index: 0, delta: ' is **570**.' },
        { type: 'block-end', index: 0 },
        { type: 'usage', usage: { inputTokens: 299, outputTokens: 12, cacheReadTokens: 256 } },
        { type: 'response-end', finishReason: 'stop' },
      ]),
    );
    assert.equal(text, fixture('stream-text.sse'));
  });

  it('streams reasoning then a function call, byte for byte', async () => {
    const text = await frames(
      from([
        { type: 'response-start', id: 'resp_77aa', model: 'gpt-5.1-codex-max', created: 1765552659 },
        { type: 'reasoning-delta', index: 0, delta: '**Calculating**\n\n' },
        { type: 'reasoning-delta', index: 0, delta: 'I will add 12 and 7.' },
        {
          type: 'reasoning-signature',
          index: 0,
          signature: 'gAAAAABpPDIVenc',
          signatureProtocol: 'openai-responses',
        },
        { type: 'block-end', index: 0 },
        { type: 'tool-call-start', index: 1, id: 'call_AB6A', name: 'calculator' },
        { type: 'tool-call-delta', index: 1, argumentsDelta: '{"a":12,' },
        { type: 'tool-call-delta', index: 1, argumentsDelta: '"b":7}' },
        { type: 'block-end', index: 1 },
        {
          type: 'response-end',
          finishReason: 'tool-calls',
          usage: { inputTokens: 134, outputTokens: 28, reasoningTokens: 12 },
        },
      ]),
    );
    assert.equal(text, fixture('stream-reasoning-function-call.sse'));
  });

  it('ends a length-limited stream with response.incomplete, closing open blocks first', async () => {
    const events = await decoded(
      from([
        { type: 'response-start', id: 'resp_x', model: 'm', created: 5 },
        { type: 'text-delta', index: 0, delta: 'Roses are' },
        { type: 'response-end', finishReason: 'length', usage },
      ]),
    );
    assert.deepEqual(types(events), [
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.incomplete',
    ]);
    const response = events[8].response as Record<string, unknown>;
    assert.equal(response.status, 'incomplete');
    assert.deepEqual(response.incomplete_details, { reason: 'max_output_tokens' });
    assert.deepEqual(response.output, [
      {
        id: 'msg_x_0',
        type: 'message',
        role: 'assistant',
        status: 'completed',
        content: [{ type: 'output_text', text: 'Roses are', annotations: [] }],
      },
    ]);
  });

  it('turns an error event into error + response.failed keeping the partial output', async () => {
    const error = new GatewayError('rate_limited', 'Rate limit reached', {
      upstreamCode: 'rate_limit_exceeded',
    });
    const events = await decoded(
      from([
        { type: 'response-start', id: 'resp_e', model: 'm', created: 5 },
        { type: 'text-delta', index: 0, delta: 'Hel' },
        { type: 'tool-call-start', index: 1, id: 'call_1', name: 'f' },
        { type: 'tool-call-delta', index: 1, argumentsDelta: '{"a"' },
        { type: 'error', error },
        { type: 'text-delta', index: 0, delta: 'never sent' },
      ]),
    );
    assert.deepEqual(types(events), [
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'error',
      'response.failed',
    ]);
    assert.deepEqual(events[7], {
      type: 'error',
      sequence_number: 7,
      code: 'rate_limit_exceeded',
      message: 'Rate limit reached',
      param: null,
      error: {
        type: 'rate_limit_error',
        code: 'rate_limit_exceeded',
        message: 'Rate limit reached',
        param: null,
      },
    });
    const response = events[8].response as Record<string, unknown>;
    assert.equal(response.status, 'failed');
    assert.deepEqual(response.error, { code: 'rate_limit_exceeded', message: 'Rate limit reached' });
    assert.equal(response.usage, null);
    assert.deepEqual(response.output, [
      {
        id: 'msg_e_0',
        type: 'message',
        role: 'assistant',
        status: 'incomplete',
        content: [{ type: 'output_text', text: 'Hel', annotations: [] }],
      },
      {
        id: 'fc_e_1',
        type: 'function_call',
        status: 'incomplete',
        arguments: '{"a"',
        call_id: 'call_1',
        name: 'f',
      },
    ]);
  });

  it('fails a stream whose provider finished with an error reason', async () => {
    const events = await decoded(
      from([
        { type: 'response-start', id: 'resp_f', model: 'm', created: 5 },
        { type: 'text-delta', index: 0, delta: 'x' },
        { type: 'block-end', index: 0 },
        { type: 'response-end', finishReason: 'error', rawFinishReason: 'MALFORMED_FUNCTION_CALL', usage },
      ]),
    );
    assert.deepEqual(types(events).slice(-3), ['response.output_item.done', 'error', 'response.failed']);
    const response = events.at(-1)?.response as Record<string, unknown>;
    assert.deepEqual(response.error, {
      code: 'server_error',
      message: 'The model failed to complete the response (MALFORMED_FUNCTION_CALL)',
    });
  });

  it('fails a stream that ends without response-end', async () => {
    const events = await decoded(
      from([
        { type: 'response-start', id: 'resp_cut', model: 'm', created: 5 },
        { type: 'text-delta', index: 0, delta: 'partial' },
      ]),
    );
    assert.deepEqual(types(events).slice(-2), ['error', 'response.failed']);
    assert.deepEqual(events.at(-2), {
      type: 'error',
      sequence_number: 5,
      code: 'server_error',
      message: 'The upstream stream ended before the response was complete',
      param: null,
      error: {
        type: 'api_error',
        code: 'server_error',
        message: 'The upstream stream ended before the response was complete',
        param: null,
      },
    });
    assert.equal((events[events.length - 1].response as Record<string, unknown>).status, 'failed');
  });

  it('fails a stream whose source throws, even before anything was sent', async () => {
    const events = await decoded(from([], new Error('socket hang up')));
    assert.deepEqual(types(events), ['response.created', 'response.in_progress', 'error', 'response.failed']);
    const response = events[3].response as Record<string, unknown>;
    assert.equal(response.id, 'resp_req_7');
    assert.equal(response.model, 'gpt-5.1');
    assert.deepEqual(response.error, { code: 'server_error', message: 'The upstream stream failed' });
  });

  it('fails on a malformed event sequence instead of guessing', async () => {
    const events = await decoded(
      from([
        { type: 'response-start', id: 'resp_m', model: 'm', created: 5 },
        { type: 'tool-call-delta', index: 3, argumentsDelta: '{}' },
        { type: 'response-end', finishReason: 'stop', usage },
      ]),
    );
    assert.deepEqual(types(events), ['response.created', 'response.in_progress', 'error', 'response.failed']);
  });

  it('wraps a foreign reasoning signature so it returns to its issuer, and echoes the request', async () => {
    const events = await decoded(
      from([
        { type: 'response-start', id: 'msg_01Anthropic', model: 'claude-sonnet-4-6', created: 5 },
        { type: 'reasoning-delta', index: 0, delta: 'think' },
        { type: 'reasoning-signature', index: 0, signature: 'EqQB', signatureProtocol: 'anthropic-messages' },
        { type: 'block-end', index: 0 },
        { type: 'response-end', finishReason: 'stop', usage },
      ]),
      {
        ...context,
        request: {
          model: 'claude-sonnet-4-6',
          messages: [],
          stream: true,
          tools: [{ name: 'f' }],
          toolChoice: { type: 'required' },
          extra: { store: false },
        },
      },
    );
    const response = events.at(-1)?.response as Record<string, unknown>;
    assert.equal(response.id, 'resp_msg_01Anthropic');
    assert.equal(response.store, false);
    assert.equal(response.tool_choice, 'required');
    assert.deepEqual(response.tools, [
      { type: 'function', name: 'f', description: null, parameters: null, strict: null },
    ]);
    const [item] = response.output as Array<Record<string, unknown>>;
    assert.match(String(item.encrypted_content), /^swy1\./);
    assert.deepEqual(item.summary, [{ type: 'summary_text', text: 'think' }]);
  });
});
