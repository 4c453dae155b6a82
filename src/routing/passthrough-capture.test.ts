import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PassthroughCapture, resyncAfter, separatorAfter } from './passthrough-capture.ts';

describe('passthrough capture', () => {
  test('keeps chunks and knows how the bytes sent end', async () => {
    const capture = new PassthroughCapture();
    capture.push(new TextEncoder().encode('data: {"a":1}\n\n'));
    capture.push('data: {"b"');
    assert.equal(capture.tail(), '{"b"');
    const parts: string[] = [];
    for await (const bytes of capture.bytes()) parts.push(new TextDecoder().decode(bytes));
    assert.deepEqual(parts, ['data: {"a":1}\n\n', 'data: {"b"']);
  });

  test('a half frame: Anthropic streams are resynchronised with a ping, others cannot be', () => {
    assert.equal(resyncAfter('anthropic-messages', '1}\n\n'), '');
    assert.equal(resyncAfter('anthropic-messages', '"te'), '\nevent: ping\n\n');
    assert.equal(resyncAfter('anthropic-messages', 'lta\n'), 'event: ping\n\n');
    assert.equal(resyncAfter('gemini', '"te'), undefined);
    assert.equal(resyncAfter('gemini', '}\r\n\r\n'), '');
    assert.equal(separatorAfter('gemini', '"te'), '\r\n\r\n');
    assert.equal(separatorAfter('openai-chat', '"te'), '\n\n');
    assert.equal(separatorAfter('openai-chat', '}\n\n'), '');
  });
});
