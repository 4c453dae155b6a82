import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { CanonicalRequest } from '../../core/canonical.ts';
import { GatewayError } from '../../core/errors.ts';
import { mapFinishReason } from './map-finish-reason.ts';
import { parseResponse } from './parse-response.ts';

const request: CanonicalRequest = { model: 'command-a', messages: [], stream: false, extra: {} };

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'));
}

test('tool-call response: tool plan as text, calls with raw arguments, actual tokens and cache', () => {
  assert.deepEqual(parseResponse(fixture('response-tool-call.json'), request), {
    id: 'c5d7e9f1-3a5b-4c7d-9e1f-2a4b6c8d0e2f',
    model: 'command-a',
    content: [
      { type: 'text', text: 'I will look up the forecast for Lyon and the local time there.' },
      { type: 'tool-call', id: 'forecast_h7j3k9l1m5n2', name: 'forecast', arguments: '{"city":"Lyon"}' },
      { type: 'tool-call', id: 'localTime_q4r8s2t6u0v3', name: 'localTime', arguments: '{}' },
    ],
    finishReason: 'tool-calls',
    rawFinishReason: 'TOOL_CALL',
    usage: { inputTokens: 1433, outputTokens: 86, cacheReadTokens: 1024 },
  });
});

test('text response with thinking', () => {
  assert.deepEqual(parseResponse(fixture('response-text.json'), request), {
    id: 'e1f3a5b7-9c1d-4e3f-8a5b-7c9d1e3f5a7b',
    model: 'command-a',
    content: [
      { type: 'reasoning', text: 'The user wants a short greeting.' },
      { type: 'text', text: 'Hello there!' },
    ],
    finishReason: 'stop',
    rawFinishReason: 'COMPLETE',
    usage: { inputTokens: 498, outputTokens: 17 },
  });
});

test('billed units are the fallback when tokens are missing; empty arguments become {}', () => {
  const response = parseResponse(
    {
      id: 'r1',
      message: {
        role: 'assistant',
        tool_calls: [{ id: 't1', type: 'function', function: { name: 'now', arguments: '' } }],
      },
      finish_reason: 'MAX_TOKENS',
      usage: { billed_units: { input_tokens: 12, output_tokens: 3 } },
    },
    request,
  );
  assert.deepEqual(response.content, [{ type: 'tool-call', id: 't1', name: 'now', arguments: '{}' }]);
  assert.equal(response.finishReason, 'length');
  assert.deepEqual(response.usage, { inputTokens: 12, outputTokens: 3 });
});

test('a reply that is not an object is an upstream error', () => {
  assert.throws(
    () => parseResponse('nope', request),
    (error: unknown) => error instanceof GatewayError,
  );
});

test('finish reasons', () => {
  assert.deepEqual(
    [
      'COMPLETE',
      'STOP_SEQUENCE',
      'MAX_TOKENS',
      'TOOL_CALL',
      'ERROR',
      'TIMEOUT',
      'SOMETHING_NEW',
      undefined,
    ].map(mapFinishReason),
    ['stop', 'stop', 'length', 'tool-calls', 'error', 'error', 'other', 'other'],
  );
});
