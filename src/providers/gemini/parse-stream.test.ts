import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../../core/errors.ts';
import type { StreamEvent } from '../../core/stream-events.ts';
import { parseStream } from './parse-stream.ts';
import { bytes, collect, counter, fixture, request } from './test-helpers.ts';

function parse(text: string, size?: number): Promise<StreamEvent[]> {
  return collect(parseStream(bytes(text, size), request({ stream: true }), { newId: counter() }));
}

/** The last part of the last chunk of an SSE text. */
function lastPartOf(sse: string): { text?: string; thoughtSignature: string } {
  const frames = sse.split(/\r?\n\r?\n/).filter((frame) => frame.startsWith('data: '));
  const chunk = JSON.parse(frames.at(-1)!.slice('data: '.length));
  return chunk.candidates[0].content.parts.at(-1);
}

/** Blocks are numbered 0, 1, 2… as they start, one at a time, and each ends once, after its last event. */
function assertWellFormed(events: StreamEvent[]): void {
  let open: number | undefined;
  let next = 0;
  for (const event of events) {
    if (!('index' in event)) continue;
    if (event.type === 'block-end') {
      assert.equal(event.index, open, `block-end ${event.index} ends the open block`);
      open = undefined;
    } else if (event.index !== open) {
      assert.equal(open, undefined, `block ${event.index} starts while ${open} is open`);
      assert.equal(event.index, next++, 'blocks are numbered in the order they start');
      open = event.index;
    }
  }
  assert.equal(open, undefined, 'every block ends');
}

describe('gemini parseStream', () => {
  it('text stream: one text block, the signature-only final part a reasoning block of its own, usage counts thoughts as output', async () => {
    const usage = { inputTokens: 12, outputTokens: 110, reasoningTokens: 96 };
    assert.deepEqual(await parse(fixture('stream-text.sse')), [
      { type: 'response-start', id: 'kQ2mZd7xHcWz1e8P3oSAyA4', model: 'gemini-2.5-flash' },
      { type: 'text-delta', index: 0, delta: 'The capital of France' },
      { type: 'text-delta', index: 0, delta: ' is Paris. It sits on the Seine.' },
      { type: 'block-end', index: 0 },
      {
        type: 'reasoning-signature',
        index: 1,
        signature: 'CpUBAXLI2nxR0e7dYt1uQk9bq3pVw5uYj8J2l0lq8tXh',
        signatureProtocol: 'gemini',
      },
      { type: 'block-end', index: 1 },
      { type: 'usage', usage },
      { type: 'response-end', finishReason: 'stop', rawFinishReason: 'STOP', usage },
    ]);
  });

  it('frames split one byte at a time parse the same', async () => {
    assert.deepEqual(
      await parse(fixture('stream-text.sse'), 1),
      await parse(fixture('stream-text.sse'), 4096),
    );
  });

  it('LF-only framing parses the same as CRLF', async () => {
    const lf = fixture('stream-text.sse').replaceAll('\r\n', '\n');
    assert.deepEqual(await parse(lf), await parse(fixture('stream-text.sse')));
  });

  it('thinking stream: thought parts form a reasoning block, then the text block', async () => {
    const usage = { inputTokens: 10, outputTokens: 95, reasoningTokens: 88 };
    assert.deepEqual(await parse(fixture('stream-thinking.sse')), [
      { type: 'response-start', id: 'cW3mZbWbKs6V1e8PqdWJ8Ac', model: 'gemini-2.5-flash' },
      { type: 'reasoning-delta', index: 0, delta: '**Counting the letters**\n\nI spell out strawberry' },
      { type: 'reasoning-delta', index: 0, delta: ' and count each r.' },
      { type: 'block-end', index: 0 },
      { type: 'text-delta', index: 1, delta: "Strawberry has three r's." },
      { type: 'block-end', index: 1 },
      {
        type: 'reasoning-signature',
        index: 2,
        signature: 'EqQDCqEDAXLI2nw5gG0eR3e1bK9tYx0wq8sZp4mNf6Jd',
        signatureProtocol: 'gemini',
      },
      { type: 'block-end', index: 2 },
      { type: 'usage', usage },
      { type: 'response-end', finishReason: 'stop', rawFinishReason: 'STOP', usage },
    ]);
  });

  it('a text stream in the real shape: the signature on the final empty text part is kept in a reasoning block after the text', async () => {
    const text = fixture('stream-signed-text.sse');
    const signature = lastPartOf(text).thoughtSignature;
    const usage = { inputTokens: 8, outputTokens: 189, reasoningTokens: 177 };
    const events = await parse(text);
    assert.deepEqual(events, [
      { type: 'response-start', id: 'q7pQaZa1ApDrxs0PtL-RyAk', model: 'gemini-3-pro-preview' },
      { type: 'text-delta', index: 0, delta: 'The capital of Australia is' },
      { type: 'text-delta', index: 0, delta: ' **Canberra**, not Sydney.' },
      { type: 'block-end', index: 0 },
      { type: 'reasoning-signature', index: 1, signature, signatureProtocol: 'gemini' },
      { type: 'block-end', index: 1 },
      { type: 'usage', usage },
      { type: 'response-end', finishReason: 'stop', rawFinishReason: 'STOP', usage },
    ]);
    assertWellFormed(events);
  });

  it('a signed text part with text: its signature block first, then its text in a new text block', async () => {
    const text = [
      { parts: [{ text: 'Plan.', thought: true }] },
      { parts: [{ text: 'Hello' }] },
      { parts: [{ text: ' there.', thoughtSignature: 'sig-a' }, { text: ' More.' }] },
      { parts: [{ text: 'Bye.', thoughtSignature: 'sig-b' }], finishReason: 'STOP' },
    ]
      .map(
        ({ parts, finishReason }) =>
          `data: ${JSON.stringify({ candidates: [{ content: { parts, role: 'model' }, index: 0, finishReason }], responseId: 'r3' })}\r\n\r\n`,
      )
      .join('');
    const events = await parse(text);
    assert.deepEqual(events, [
      { type: 'response-start', id: 'r3', model: 'gemini-2.5-flash' },
      { type: 'reasoning-delta', index: 0, delta: 'Plan.' },
      { type: 'block-end', index: 0 },
      { type: 'text-delta', index: 1, delta: 'Hello' },
      { type: 'block-end', index: 1 },
      { type: 'reasoning-signature', index: 2, signature: 'sig-a', signatureProtocol: 'gemini' },
      { type: 'block-end', index: 2 },
      { type: 'text-delta', index: 3, delta: ' there.' },
      { type: 'text-delta', index: 3, delta: ' More.' },
      { type: 'block-end', index: 3 },
      { type: 'reasoning-signature', index: 4, signature: 'sig-b', signatureProtocol: 'gemini' },
      { type: 'block-end', index: 4 },
      { type: 'text-delta', index: 5, delta: 'Bye.' },
      { type: 'block-end', index: 5 },
      { type: 'response-end', finishReason: 'stop', rawFinishReason: 'STOP', usage: undefined },
    ]);
    assertWellFormed(events);
  });

  it('tool-call stream: whole calls become start + one delta + end, STOP becomes tool-calls', async () => {
    const usage = { inputTokens: 41, outputTokens: 95, reasoningTokens: 60 };
    assert.deepEqual(await parse(fixture('stream-tool-call.sse')), [
      { type: 'response-start', id: 'Zp3mZdf3JsuK1e8Pm7uX2Q0', model: 'gemini-2.5-flash' },
      { type: 'text-delta', index: 0, delta: 'Checking both cities.' },
      { type: 'block-end', index: 0 },
      {
        type: 'tool-call-start',
        index: 1,
        id: 'call_1',
        name: 'get_weather',
        signature: 'CiQBcsjafF1x9nW2hT0yQmZx4u8pL3vRk6e0Y',
      },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"city":"Paris","unit":"celsius"}' },
      { type: 'block-end', index: 1 },
      { type: 'tool-call-start', index: 2, id: 'call_2', name: 'get_weather' },
      { type: 'tool-call-delta', index: 2, argumentsDelta: '{"city":"Lyon","unit":"celsius"}' },
      { type: 'block-end', index: 2 },
      { type: 'usage', usage },
      { type: 'response-end', finishReason: 'tool-calls', rawFinishReason: 'STOP', usage },
    ]);
  });

  it('Vertex partialArgs stream: argument values become JSON text deltas, calls end on functionCall {}', async () => {
    const usage = { inputTokens: 58, outputTokens: 243, reasoningTokens: 212 };
    const events = await parse(fixture('stream-partial-args.sse'));
    assert.deepEqual(events, [
      {
        type: 'response-start',
        id: 'rZ21aZ-kNsCqodAPz9aXgAw',
        model: 'gemini-3.1-pro-preview',
        created: Math.floor(Date.parse('2026-03-14T09:26:53.589Z') / 1000),
      },
      {
        type: 'tool-call-start',
        index: 0,
        id: 'call_1',
        name: 'create_ticket',
        signature: 'CiMBjz1rX0aB7c9QkP2mW4xY8uZr1nT6vS3dL0eH',
      },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"title":"Printer on floor 3 ' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: 'is \\"jammed\\""' },
      {
        type: 'tool-call-delta',
        index: 0,
        argumentsDelta: ',"priority":2,"labels":["hardware","office"],"meta":{"urgent":true',
      },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '}}' },
      { type: 'block-end', index: 0 },
      { type: 'tool-call-start', index: 1, id: 'call_2', name: 'notify' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"channel":"#it-help' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '"' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '}' },
      { type: 'block-end', index: 1 },
      { type: 'usage', usage },
      { type: 'response-end', finishReason: 'tool-calls', rawFinishReason: 'STOP', usage },
    ]);
    const argumentsOf = (index: number) =>
      JSON.parse(
        events
          .filter((event) => event.type === 'tool-call-delta' && event.index === index)
          .map((event) => (event.type === 'tool-call-delta' ? event.argumentsDelta : ''))
          .join(''),
      );
    assert.deepEqual(argumentsOf(0), {
      title: 'Printer on floor 3 is "jammed"',
      priority: 2,
      labels: ['hardware', 'office'],
      meta: { urgent: true },
    });
    assert.deepEqual(argumentsOf(1), { channel: '#it-help' });
  });

  it('a stream that ends without finishReason ends with upstream_stream_broken (after the usage seen)', async () => {
    const events = await parse(fixture('stream-cut.sse'));
    assert.deepEqual(events.slice(0, -1), [
      { type: 'response-start', id: 'kQ2mZd7xHcWz1e8P3oSAyA4', model: 'gemini-2.5-flash' },
      { type: 'text-delta', index: 0, delta: 'Once upon a time' },
      { type: 'text-delta', index: 0, delta: ', in a land far away' },
      { type: 'usage', usage: { inputTokens: 6, outputTokens: 10, reasoningTokens: 0 } },
    ]);
    const last = events.at(-1);
    assert.equal(last?.type, 'error');
    if (last?.type !== 'error') return;
    assert.ok(last.error instanceof GatewayError);
    assert.equal(last.error.code, 'upstream_stream_broken');
    assert.equal(last.error.retryable, true);
  });

  it('an empty body is a broken stream, not a clean end', async () => {
    const events = await parse('');
    assert.equal(events.length, 1);
    assert.equal(events[0].type === 'error' && events[0].error.code, 'upstream_stream_broken');
  });

  it('a connection that dies mid-stream ends with upstream_stream_broken', async () => {
    async function* dying(): AsyncGenerator<Uint8Array> {
      yield* bytes(fixture('stream-cut.sse').split('\r\n\r\n')[0] + '\r\n\r\n');
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    }
    const events = await collect(parseStream(dying(), request({ stream: true })));
    assert.deepEqual(
      events.map((event) => event.type),
      ['response-start', 'text-delta', 'error'],
    );
    const last = events[2];
    assert.equal(last.type === 'error' && last.error.code, 'upstream_stream_broken');
  });

  it('an error object inside the stream becomes an error event with the Google status', async () => {
    const text =
      fixture('stream-cut.sse').split('\r\n\r\n')[0] +
      '\r\n\r\n' +
      'data: {"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}\r\n\r\n';
    const events = await parse(text);
    assert.deepEqual(
      events.map((event) => event.type),
      ['response-start', 'text-delta', 'error'],
    );
    const error = events[2].type === 'error' ? events[2].error : undefined;
    assert.equal(error?.status, 503);
    assert.equal(error?.upstreamType, 'UNAVAILABLE');
    assert.equal(error?.retryable, true);
    assert.equal(error?.message, 'The model is overloaded. Please try again later.');
  });

  it('a blocked prompt ends with content-filter', async () => {
    const text =
      'data: {"promptFeedback":{"blockReason":"SAFETY"},"usageMetadata":{"promptTokenCount":7,"totalTokenCount":7},"modelVersion":"gemini-2.5-flash","responseId":"r1"}\r\n\r\n';
    const usage = { inputTokens: 7, outputTokens: 0 };
    assert.deepEqual(await parse(text), [
      { type: 'response-start', id: 'r1', model: 'gemini-2.5-flash' },
      { type: 'usage', usage },
      { type: 'response-end', finishReason: 'content-filter', rawFinishReason: 'SAFETY', usage },
    ]);
  });

  it('thought parts carrying a signature emit reasoning-signature on their block', async () => {
    const text =
      'data: {"candidates":[{"content":{"parts":[{"text":"Plan: call the tool.","thought":true,"thoughtSignature":"c2lnLTE="}],"role":"model"},"index":0}],"responseId":"r2"}\r\n\r\n' +
      'data: {"candidates":[{"content":{"parts":[{"text":"Done."}],"role":"model"},"finishReason":"MAX_TOKENS","index":0}],"usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":2,"thoughtsTokenCount":5,"totalTokenCount":10},"responseId":"r2"}\r\n\r\n';
    const usage = { inputTokens: 3, outputTokens: 7, reasoningTokens: 5 };
    assert.deepEqual(await parse(text), [
      { type: 'response-start', id: 'r2', model: 'gemini-2.5-flash' },
      { type: 'reasoning-delta', index: 0, delta: 'Plan: call the tool.' },
      { type: 'reasoning-signature', index: 0, signature: 'c2lnLTE=', signatureProtocol: 'gemini' },
      { type: 'block-end', index: 0 },
      { type: 'text-delta', index: 1, delta: 'Done.' },
      { type: 'block-end', index: 1 },
      { type: 'usage', usage },
      { type: 'response-end', finishReason: 'length', rawFinishReason: 'MAX_TOKENS', usage },
    ]);
  });

  it('an abort is rethrown as it is, not turned into an upstream error', async () => {
    async function* aborted(): AsyncGenerator<Uint8Array> {
      yield* bytes(fixture('stream-cut.sse').split('\r\n\r\n')[0] + '\r\n\r\n');
      throw new DOMException('This operation was aborted', 'AbortError');
    }
    const seen: string[] = [];
    await assert.rejects(async () => {
      for await (const event of parseStream(aborted(), request({ stream: true }))) seen.push(event.type);
    }, /aborted/);
    assert.deepEqual(seen, ['response-start', 'text-delta']);
  });
});
