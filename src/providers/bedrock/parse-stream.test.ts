import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  type ConverseStreamEvent,
  concatBytes,
  encodeConverseStream,
  encodeErrorFrame,
  encodeEventFrame,
  encodeExceptionFrame,
} from '../../../test/fakes/bedrock.ts';
import type { CanonicalRequest } from '../../core/canonical.ts';
import type { GatewayError } from '../../core/errors.ts';
import type { StreamEvent } from '../../core/stream-events.ts';
import { parseStream } from './parse-stream.ts';

function fixture(name: string): ConverseStreamEvent[] {
  return JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'));
}

const REQUEST: CanonicalRequest = { model: 'claude-sonnet', messages: [], stream: true, extra: {} };

async function* chunksOf(chunks: Uint8Array[], failWith?: Error): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
  if (failWith) throw failWith;
}

type Normalised = StreamEvent | { type: 'error'; error: Record<string, unknown> };

/** Collects events; response ids are random, so their shape is checked and replaced. Errors are summarised. */
async function collect(chunks: AsyncIterable<Uint8Array>, request = REQUEST): Promise<Normalised[]> {
  const out: Normalised[] = [];
  for await (const event of parseStream(chunks, request)) {
    if (event.type === 'response-start') {
      assert.match(event.id, /^bedrock-[0-9a-f-]{36}$/);
      out.push({ ...event, id: 'ID' });
    } else if (event.type === 'error') {
      out.push({ type: 'error', error: summary(event.error) });
    } else out.push(event);
  }
  return out;
}

function summary(error: GatewayError): Record<string, unknown> {
  return {
    code: error.code,
    status: error.status,
    retryable: error.retryable,
    upstreamType: error.upstreamType,
    message: error.message,
  };
}

const TEXT_EVENTS: StreamEvent[] = [
  { type: 'response-start', id: 'ID', model: 'claude-sonnet' },
  { type: 'text-delta', index: 0, delta: 'Paris' },
  { type: 'text-delta', index: 0, delta: ' is the capital' },
  { type: 'text-delta', index: 0, delta: ' of France — "la Ville Lumière".' },
  { type: 'block-end', index: 0 },
  {
    type: 'response-end',
    finishReason: 'stop',
    rawFinishReason: 'end_turn',
    usage: { inputTokens: 14 + 1200 + 30, outputTokens: 11, cacheReadTokens: 1200, cacheWriteTokens: 30 },
  },
];

const TOOL_EVENTS: StreamEvent[] = [
  { type: 'response-start', id: 'ID', model: 'claude-sonnet' },
  { type: 'text-delta', index: 0, delta: 'Checking both cities.' },
  { type: 'block-end', index: 0 },
  { type: 'tool-call-start', index: 1, id: 'tooluse_Q1w2E3r4T5y6U7i8O9p0aa', name: 'get_weather' },
  { type: 'tool-call-delta', index: 1, argumentsDelta: '{"city": "Os' },
  { type: 'tool-call-delta', index: 1, argumentsDelta: 'lo"}' },
  { type: 'block-end', index: 1 },
  { type: 'tool-call-start', index: 2, id: 'tooluse_ZxCvBnM1234567890qwert', name: 'get_weather' },
  { type: 'tool-call-delta', index: 2, argumentsDelta: '{"city": "Lima"}' },
  { type: 'block-end', index: 2 },
  {
    type: 'response-end',
    finishReason: 'tool-calls',
    rawFinishReason: 'tool_use',
    usage: { inputTokens: 402, outputTokens: 96 },
  },
];

const REASONING_EVENTS: StreamEvent[] = [
  { type: 'response-start', id: 'ID', model: 'claude-sonnet' },
  { type: 'reasoning-delta', index: 0, delta: '17 is odd, so ' },
  { type: 'reasoning-delta', index: 0, delta: '17 * 3 = 51.' },
  {
    type: 'reasoning-signature',
    index: 0,
    signature: 'RXZlbnRTdHJlYW1TaWduYXR1cmVGb3JUZXN0cw==',
    signatureProtocol: 'bedrock-converse',
  },
  { type: 'block-end', index: 0 },
  { type: 'text-delta', index: 1, delta: '17 × 3 = 51' },
  { type: 'block-end', index: 1 },
  {
    type: 'response-end',
    finishReason: 'stop',
    rawFinishReason: 'end_turn',
    usage: { inputTokens: 48, outputTokens: 73 },
  },
];

const CASES = [
  ['converse-stream-text.json', TEXT_EVENTS],
  ['converse-stream-tool-use.json', TOOL_EVENTS],
  ['converse-stream-reasoning.json', REASONING_EVENTS],
] as const;

describe('parseStream: recorded-shape transcripts', () => {
  for (const [name, expected] of CASES) {
    const frames = encodeConverseStream(fixture(name));
    const all = concatBytes(frames);

    it(`${name}: one frame per chunk`, async () => {
      assert.deepEqual(await collect(chunksOf(frames)), expected);
    });

    it(`${name}: split in two at every byte offset`, async () => {
      for (let k = 0; k <= all.length; k++) {
        assert.deepEqual(await collect(chunksOf([all.slice(0, k), all.slice(k)])), expected, `split at ${k}`);
      }
    });

    it(`${name}: one byte at a time`, async () => {
      assert.deepEqual(await collect(chunksOf(Array.from(all, (byte) => Uint8Array.of(byte)))), expected);
    });

    it(`${name}: all frames packed in one chunk`, async () => {
      assert.deepEqual(await collect(chunksOf([all])), expected);
    });
  }
});

describe('parseStream: endings', () => {
  const start: ConverseStreamEvent[] = [
    { 'event-type': 'messageStart', payload: { role: 'assistant' } },
    { 'event-type': 'contentBlockDelta', payload: { contentBlockIndex: 0, delta: { text: 'Hel' } } },
  ];
  const head: Normalised[] = [
    { type: 'response-start', id: 'ID', model: 'claude-sonnet' },
    { type: 'text-delta', index: 0, delta: 'Hel' },
  ];

  it('an exception frame mid-stream ends with a retryable error', async () => {
    const frames = [
      ...encodeConverseStream(start),
      encodeExceptionFrame('throttlingException', 'Too many tokens, please wait before trying again.'),
      encodeEventFrame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'never seen' } }),
    ];
    assert.deepEqual(await collect(chunksOf(frames)), [
      ...head,
      {
        type: 'error',
        error: {
          code: 'rate_limited',
          status: 429,
          retryable: true,
          upstreamType: 'ThrottlingException',
          message: 'Too many tokens, please wait before trying again.',
        },
      },
    ]);
  });

  it('maps each exception type', async () => {
    const cases = [
      ['modelStreamErrorException', 'upstream_error', 424, false],
      ['serviceUnavailableException', 'upstream_unavailable', 503, true],
      ['internalServerException', 'upstream_unavailable', 500, true],
      ['validationException', 'invalid_request', 400, false],
    ] as const;
    for (const [type, code, status, retryable] of cases) {
      const events = await collect(chunksOf([encodeExceptionFrame(type, 'x')]));
      assert.deepEqual(events, [
        {
          type: 'error',
          error: {
            code,
            status,
            retryable,
            upstreamType: type[0].toUpperCase() + type.slice(1),
            message: 'x',
          },
        },
      ]);
    }
  });

  it('an error message frame ends with an upstream error', async () => {
    const events = await collect(
      chunksOf([...encodeConverseStream(start), encodeErrorFrame('InternalFailure', 'oops')]),
    );
    assert.deepEqual(events, [
      ...head,
      {
        type: 'error',
        error: {
          code: 'upstream_error',
          status: 502,
          retryable: false,
          upstreamType: undefined,
          message: 'Bedrock stream error: oops',
        },
      },
    ]);
  });

  it('a body that ends before messageStop is a broken stream', async () => {
    assert.deepEqual(await collect(chunksOf(encodeConverseStream(start))), [
      ...head,
      {
        type: 'error',
        error: {
          code: 'upstream_stream_broken',
          status: 502,
          retryable: true,
          upstreamType: undefined,
          message: 'Bedrock stream ended before messageStop',
        },
      },
    ]);
  });

  it('a body cut inside a frame is a broken stream', async () => {
    const frames = encodeConverseStream(start);
    const all = concatBytes(frames);
    const left = frames[1].length - 7;
    const events = await collect(chunksOf([all.slice(0, all.length - 7)]));
    assert.deepEqual(events, [
      { type: 'response-start', id: 'ID', model: 'claude-sonnet' },
      {
        type: 'error',
        error: {
          code: 'upstream_stream_broken',
          status: 502,
          retryable: true,
          upstreamType: undefined,
          message: `Bedrock event stream broken: event stream ended inside a frame (${left} bytes left)`,
        },
      },
    ]);
  });

  it('a connection that dies mid-body is a broken stream; a corrupt frame too', async () => {
    const died = await collect(chunksOf(encodeConverseStream(start), new Error('other side closed')));
    assert.deepEqual(died.at(-1), {
      type: 'error',
      error: {
        code: 'upstream_stream_broken',
        status: 502,
        retryable: true,
        upstreamType: undefined,
        message: 'Bedrock event stream broken: other side closed',
      },
    });
    const corrupt = encodeEventFrame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'x' } });
    corrupt[20] ^= 0x01;
    const events = await collect(chunksOf([corrupt]));
    assert.equal(events.length, 1);
    assert.equal((events[0] as { error: { code: string } }).error.code, 'upstream_stream_broken');
  });

  it('messageStop without metadata still finishes, without usage', async () => {
    const frames = encodeConverseStream([
      ...start,
      { 'event-type': 'messageStop', payload: { stopReason: 'max_tokens' } },
    ]);
    assert.deepEqual(await collect(chunksOf(frames)), [
      ...head,
      { type: 'block-end', index: 0 },
      { type: 'response-end', finishReason: 'length', rawFinishReason: 'max_tokens' },
    ]);
  });

  it('accepts metadata before messageStop and skips unknown events', async () => {
    const frames = encodeConverseStream([
      ...start,
      { 'event-type': 'somethingNew', payload: { whatever: true } },
      { 'event-type': 'constructor', payload: {} },
      { 'event-type': 'toString', payload: {} },
      { 'event-type': 'contentBlockStop', payload: { contentBlockIndex: 0 } },
      { 'event-type': 'metadata', payload: { usage: { inputTokens: 5, outputTokens: 2, totalTokens: 7 } } },
      { 'event-type': 'messageStop', payload: { stopReason: 'guardrail_intervened' } },
    ]);
    assert.deepEqual(await collect(chunksOf(frames)), [
      ...head,
      { type: 'block-end', index: 0 },
      {
        type: 'response-end',
        finishReason: 'content-filter',
        rawFinishReason: 'guardrail_intervened',
        usage: { inputTokens: 5, outputTokens: 2 },
      },
    ]);
  });
});

describe('parseStream: JSON output through the forced tool', () => {
  it('streams the JSON tool input as text and finishes with stop', async () => {
    const request: CanonicalRequest = {
      ...REQUEST,
      responseFormat: { type: 'json-schema', name: 'r', schema: { type: 'object' } },
    };
    const frames = encodeConverseStream([
      { 'event-type': 'messageStart', payload: { role: 'assistant' } },
      {
        'event-type': 'contentBlockStart',
        payload: { contentBlockIndex: 0, start: { toolUse: { toolUseId: 'tooluse_j', name: 'json' } } },
      },
      {
        'event-type': 'contentBlockDelta',
        payload: { contentBlockIndex: 0, delta: { toolUse: { input: '{"answer"' } } },
      },
      {
        'event-type': 'contentBlockDelta',
        payload: { contentBlockIndex: 0, delta: { toolUse: { input: ':42}' } } },
      },
      { 'event-type': 'contentBlockStop', payload: { contentBlockIndex: 0 } },
      { 'event-type': 'messageStop', payload: { stopReason: 'tool_use' } },
      { 'event-type': 'metadata', payload: { usage: { inputTokens: 30, outputTokens: 8, totalTokens: 38 } } },
    ]);
    assert.deepEqual(await collect(chunksOf(frames), request), [
      { type: 'response-start', id: 'ID', model: 'claude-sonnet' },
      { type: 'text-delta', index: 0, delta: '{"answer"' },
      { type: 'text-delta', index: 0, delta: ':42}' },
      { type: 'block-end', index: 0 },
      {
        type: 'response-end',
        finishReason: 'stop',
        rawFinishReason: 'tool_use',
        usage: { inputTokens: 30, outputTokens: 8 },
      },
    ]);
  });

  it('redacted reasoning arrives as a reasoning-signature carrying the opaque data', async () => {
    const frames = encodeConverseStream([
      {
        'event-type': 'contentBlockDelta',
        payload: { contentBlockIndex: 0, delta: { reasoningContent: { redactedContent: 'b3BhcXVl' } } },
      },
      { 'event-type': 'contentBlockStop', payload: { contentBlockIndex: 0 } },
      { 'event-type': 'messageStop', payload: { stopReason: 'end_turn' } },
      { 'event-type': 'metadata', payload: { usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } } },
    ]);
    assert.deepEqual(await collect(chunksOf(frames)), [
      { type: 'response-start', id: 'ID', model: 'claude-sonnet' },
      {
        type: 'reasoning-signature',
        index: 0,
        signature: '',
        redactedData: 'b3BhcXVl',
        signatureProtocol: 'bedrock-converse',
      },
      { type: 'block-end', index: 0 },
      {
        type: 'response-end',
        finishReason: 'stop',
        rawFinishReason: 'end_turn',
        usage: { inputTokens: 1, outputTokens: 1 },
      },
    ]);
  });
});
