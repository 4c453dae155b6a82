import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crc32 } from 'node:zlib';
import {
  concatBytes,
  encodeErrorFrame,
  encodeEventFrame,
  encodeExceptionFrame,
} from '../../../test/fakes/bedrock.ts';
import {
  decodeEventStream,
  decodeFrame,
  type EventStreamMessage,
  FrameBuffer,
} from './event-stream-decoder.ts';

/** A frame assembled by hand from the spec (string headers only), independent of the codec. */
function handFrame(headers: Record<string, string>, payload: string): Uint8Array {
  const headerBytes: number[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const nameBytes = Buffer.from(name, 'utf8');
    const valueBytes = Buffer.from(value, 'utf8');
    headerBytes.push(
      nameBytes.length,
      ...nameBytes,
      7,
      valueBytes.length >> 8,
      valueBytes.length & 0xff,
      ...valueBytes,
    );
  }
  const body = Buffer.from(payload, 'utf8');
  const total = 16 + headerBytes.length + body.length;
  const frame = Buffer.alloc(total);
  frame.writeUInt32BE(total, 0);
  frame.writeUInt32BE(headerBytes.length, 4);
  frame.writeUInt32BE(crc32(frame.subarray(0, 8)), 8);
  Buffer.from(headerBytes).copy(frame, 12);
  body.copy(frame, 12 + headerBytes.length);
  frame.writeUInt32BE(crc32(frame.subarray(0, total - 4)), total - 4);
  return new Uint8Array(frame);
}

async function* chunksOf(...chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

async function decodeAll(chunks: AsyncIterable<Uint8Array>): Promise<EventStreamMessage[]> {
  const out: EventStreamMessage[] = [];
  for await (const message of decodeEventStream(chunks)) out.push(message);
  return out;
}

const DELTA = { contentBlockIndex: 0, delta: { text: 'Hello' } };

describe('decodeFrame', () => {
  it('reads a frame assembled by hand from the event-stream spec', () => {
    const frame = handFrame(
      { ':event-type': 'contentBlockDelta', ':content-type': 'application/json', ':message-type': 'event' },
      '{"contentBlockIndex":0,"delta":{"text":"Hello"},"p":"abcdefghijkl"}',
    );
    assert.equal(frame.length, 170);
    assert.deepEqual(decodeFrame(frame), {
      messageType: 'event',
      eventType: 'contentBlockDelta',
      payload: '{"contentBlockIndex":0,"delta":{"text":"Hello"},"p":"abcdefghijkl"}',
    });
  });

  it('the fake encoder writes the same bytes as the hand-assembled frame', () => {
    assert.deepEqual(
      encodeEventFrame('contentBlockDelta', DELTA, { padding: 'abcdefghijkl' }),
      handFrame(
        { ':event-type': 'contentBlockDelta', ':content-type': 'application/json', ':message-type': 'event' },
        '{"contentBlockIndex":0,"delta":{"text":"Hello"},"p":"abcdefghijkl"}',
      ),
    );
  });

  it('reads exception and error frames', () => {
    assert.deepEqual(decodeFrame(encodeExceptionFrame('throttlingException', 'Slow down')), {
      messageType: 'exception',
      exceptionType: 'throttlingException',
      payload: '{"message":"Slow down"}',
    });
    assert.deepEqual(decodeFrame(encodeErrorFrame('InternalFailure', 'bad things')), {
      messageType: 'error',
      errorCode: 'InternalFailure',
      errorMessage: 'bad things',
      payload: '',
    });
  });

  it('rejects a frame whose CRC does not match', () => {
    const frame = encodeEventFrame('contentBlockDelta', DELTA);
    frame[frame.length - 10] ^= 0xff;
    assert.throws(() => decodeFrame(frame), /checksum/);
  });
});

describe('decodeEventStream buffering', () => {
  const frames = [
    encodeEventFrame('messageStart', { role: 'assistant' }),
    encodeEventFrame('contentBlockDelta', DELTA),
    encodeEventFrame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: ' — wörld ✓' } }),
    encodeEventFrame('contentBlockStop', { contentBlockIndex: 0 }),
  ];
  const all = concatBytes(frames);
  let expected: EventStreamMessage[];

  it('decodes frames fed one per chunk', async () => {
    expected = await decodeAll(chunksOf(...frames));
    assert.deepEqual(
      expected.map((message) => [message.eventType, JSON.parse(message.payload)]),
      [
        ['messageStart', { role: 'assistant', p: 'abcdefghijklmnopqrstuvwxyz' }],
        ['contentBlockDelta', { ...DELTA, p: 'abcdefghijklmnopqrstuvwxyz' }],
        [
          'contentBlockDelta',
          { contentBlockIndex: 0, delta: { text: ' — wörld ✓' }, p: 'abcdefghijklmnopqrstuvwxyz' },
        ],
        ['contentBlockStop', { contentBlockIndex: 0, p: 'abcdefghijklmnopqrstuvwxyz' }],
      ],
    );
  });

  it('gives the same messages when split at every byte offset', async () => {
    for (let k = 0; k <= all.length; k++) {
      assert.deepEqual(await decodeAll(chunksOf(all.slice(0, k), all.slice(k))), expected, `split at ${k}`);
    }
  });

  it('gives the same messages fed one byte at a time, and all packed in one chunk', async () => {
    const bytes = Array.from(all, (byte) => Uint8Array.of(byte));
    assert.deepEqual(await decodeAll(chunksOf(...bytes)), expected);
    assert.deepEqual(await decodeAll(chunksOf(all)), expected);
  });

  it('throws when the body ends inside a frame', async () => {
    await assert.rejects(
      decodeAll(chunksOf(all.slice(0, all.length - 5))),
      /ended inside a frame \(\d+ bytes left\)/,
    );
  });

  it('throws on an impossible frame length', async () => {
    await assert.rejects(
      decodeAll(chunksOf(Uint8Array.of(0, 0, 0, 3, 0, 0, 0, 0))),
      /impossible length \(3 bytes\)/,
    );
  });

  it('FrameBuffer keeps a partial frame pending until it is complete', () => {
    const buffer = new FrameBuffer();
    buffer.push(frames[0].slice(0, 3));
    assert.deepEqual([...buffer.frames()], []);
    buffer.push(frames[0].slice(3));
    buffer.push(frames[1].slice(0, 20));
    assert.deepEqual([...buffer.frames()], [frames[0]]);
    assert.equal(buffer.pending, 20);
  });
});
