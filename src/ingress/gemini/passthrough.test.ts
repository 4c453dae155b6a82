import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { AttemptTap } from '../../core/adapters.ts';
import type { Usage } from '../../core/canonical.ts';
import { geminiPassthrough } from './passthrough.ts';

const transcript = readFileSync(new URL('./__fixtures__/stream-thought-text.sse', import.meta.url));
const context = { requestId: 'req_1', stripUsage: false };

interface Recorded {
  firstBytes: number;
  usage: Usage[];
  finish: Array<string | undefined>;
  models: string[];
}

function recorder(): { tap: AttemptTap; seen: Recorded } {
  const seen: Recorded = { firstBytes: 0, usage: [], finish: [], models: [] };
  const tap: AttemptTap = {
    onFirstByte: () => seen.firstBytes++,
    onUsage: (usage) => seen.usage.push(usage),
    onFinish: (reason) => seen.finish.push(reason),
    onResponseModel: (model) => seen.models.push(model),
  };
  return { tap, seen };
}

/** Splits bytes into pieces of `size`, cutting through frames and multi-byte characters. */
async function* pieces(bytes: Uint8Array, size: number, failure?: Error): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
  if (failure) throw failure;
}

async function drain(stream: AsyncIterable<Uint8Array | string>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const piece of stream)
    out.push(typeof piece === 'string' ? Buffer.from(piece) : Buffer.from(piece));
  return Buffer.concat(out);
}

const finalUsage: Usage = { inputTokens: 12, outputTokens: 63, cacheReadTokens: 8, reasoningTokens: 56 };

test('forwards the bytes unchanged and reads model, finish and the LAST usage on the side', async () => {
  for (const size of [7, 64, transcript.length]) {
    const { tap, seen } = recorder();
    const out = await drain(geminiPassthrough.tapStream(pieces(transcript, size), tap, context));
    assert.ok(out.equals(transcript), `bytes differ with ${size}-byte pieces`);
    assert.deepEqual(seen, {
      firstBytes: 1,
      usage: [finalUsage],
      finish: ['STOP'],
      models: ['gemini-2.5-flash'],
    });
  }
});

test('a stream that breaks mid-frame gets a separated error frame; usage so far is still reported', async () => {
  const cut = transcript.indexOf('data:', 10) + 40;
  const { tap, seen } = recorder();
  const out = await drain(
    geminiPassthrough.tapStream(
      pieces(transcript.subarray(0, cut), 50, new Error('other side closed')),
      tap,
      context,
    ),
  );
  const error =
    '{"error":{"code":502,"message":"The upstream stream broke before the model finished","status":"UNAVAILABLE"}}';
  assert.equal(out.toString(), `${transcript.subarray(0, cut).toString()}\r\n\r\ndata: ${error}\r\n\r\n`);
  assert.deepEqual(seen, {
    firstBytes: 1,
    usage: [{ inputTokens: 12, outputTokens: 48, reasoningTokens: 48 }],
    finish: [],
    models: ['gemini-2.5-flash'],
  });
});

test('a stream that ends cleanly but without a finishReason gets an error frame', async () => {
  const cut = transcript.lastIndexOf('data:');
  const { tap, seen } = recorder();
  const out = await drain(
    geminiPassthrough.tapStream(pieces(transcript.subarray(0, cut), 1000), tap, context),
  );
  const error =
    '{"error":{"code":502,"message":"The upstream stream ended before the model finished","status":"UNAVAILABLE"}}';
  assert.equal(out.toString(), `${transcript.subarray(0, cut).toString()}data: ${error}\r\n\r\n`);
  assert.deepEqual(seen.finish, []);
  const empty = await drain(
    geminiPassthrough.tapStream(pieces(new Uint8Array(), 1), recorder().tap, context),
  );
  assert.equal(empty.toString(), `data: ${error}\r\n\r\n`);
});

test("an upstream error frame is the stream's own end: nothing is added", async () => {
  const upstream = Buffer.from(
    'data: {"candidates":[{"content":{"parts":[{"text":"Hi"}],"role":"model"},"index":0}],"modelVersion":"gemini-2.5-flash","responseId":"x"}\r\n\r\n' +
      'data: {"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}\r\n\r\n',
  );
  const { tap, seen } = recorder();
  const out = await drain(geminiPassthrough.tapStream(pieces(upstream, 30), tap, context));
  assert.ok(out.equals(upstream));
  assert.deepEqual(seen, { firstBytes: 1, usage: [], finish: [], models: ['gemini-2.5-flash'] });
});

test('a client that stops reading still gets the usage seen so far reported', async () => {
  const { tap, seen } = recorder();
  const stream = geminiPassthrough.tapStream(
    pieces(transcript, transcript.indexOf('data:', 10)),
    tap,
    context,
  );
  for await (const _ of stream) break;
  assert.deepEqual(seen.usage, [{ inputTokens: 12, outputTokens: 48, reasoningTokens: 48 }]);
  assert.deepEqual(seen.finish, []);
});

test('tapJson reads a whole reply (and a JSON-array stream body)', () => {
  const { tap, seen } = recorder();
  geminiPassthrough.tapJson(
    {
      candidates: [
        { content: { parts: [{ text: 'Hi' }], role: 'model' }, finishReason: 'MAX_TOKENS', index: 0 },
      ],
      usageMetadata: {
        promptTokenCount: 29,
        candidatesTokenCount: 15,
        totalTokenCount: 937,
        thoughtsTokenCount: 893,
        toolUsePromptTokenCount: 3,
      },
      modelVersion: 'gemini-3-pro-preview',
      responseId: 'r',
    },
    tap,
  );
  assert.deepEqual(seen, {
    firstBytes: 0,
    usage: [{ inputTokens: 32, outputTokens: 908, reasoningTokens: 893 }],
    finish: ['MAX_TOKENS'],
    models: ['gemini-3-pro-preview'],
  });
  const blocked = recorder();
  geminiPassthrough.tapJson(
    [
      {
        promptFeedback: { blockReason: 'PROHIBITED_CONTENT' },
        usageMetadata: { promptTokenCount: 5, totalTokenCount: 5 },
      },
    ],
    blocked.tap,
  );
  assert.deepEqual(blocked.seen.finish, ['PROHIBITED_CONTENT']);
  assert.deepEqual(blocked.seen.usage, [{ inputTokens: 5, outputTokens: 0 }]);
});
