import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../../core/errors.ts';
import codec from './index.ts';

const decode = (body: unknown) =>
  codec.decodeRequest(body, {
    requestId: 'req_1',
    headers: {},
    path: '/v1/messages',
    query: new URLSearchParams(),
  });

function assertInvalid(body: unknown, param: string, message: string): void {
  assert.throws(
    () => decode(body),
    (error: unknown) => {
      assert.ok(error instanceof GatewayError);
      assert.equal(error.code, 'invalid_request');
      assert.equal(error.status, 400);
      assert.equal(error.param, param);
      assert.equal(error.message, message);
      return true;
    },
  );
}

const minimal = { model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }] };

describe('anthropic-messages decodeRequest validation', () => {
  it('rejects missing or malformed required fields with the parameter named', () => {
    assertInvalid([], 'body', 'body: must be a JSON object');
    assertInvalid({ ...minimal, model: undefined }, 'model', 'model: field required');
    assertInvalid({ ...minimal, model: '' }, 'model', 'model: must be a non-empty string');
    assertInvalid({ ...minimal, max_tokens: undefined }, 'max_tokens', 'max_tokens: field required');
    assertInvalid({ ...minimal, max_tokens: 1.5 }, 'max_tokens', 'max_tokens: must be an integer');
    assertInvalid(
      { ...minimal, max_tokens: 0 },
      'max_tokens',
      'max_tokens: must be greater than or equal to 1',
    );
    assertInvalid({ ...minimal, messages: undefined }, 'messages', 'messages: field required');
    assertInvalid({ ...minimal, messages: [] }, 'messages', 'messages: at least one message is required');
    assertInvalid({ ...minimal, messages: {} }, 'messages', 'messages: must be an array');
    assertInvalid({ ...minimal, temperature: 'hot' }, 'temperature', 'temperature: must be a number');
    assertInvalid({ ...minimal, stream: 'yes' }, 'stream', 'stream: must be a boolean');
    assertInvalid(
      { ...minimal, stop_sequences: ['a', 1] },
      'stop_sequences.1',
      'stop_sequences.1: must be a string',
    );
  });

  it('rejects bad roles and bad content blocks', () => {
    const withMessages = (messages: unknown) => ({ ...minimal, messages });
    assertInvalid(
      withMessages([{ role: 'system', content: 'x' }]),
      'messages.0.role',
      "messages.0.role: must be 'user' or 'assistant'",
    );
    assertInvalid(
      withMessages([{ role: 'user' }]),
      'messages.0.content',
      'messages.0.content: field required',
    );
    assertInvalid(
      withMessages([{ role: 'user', content: [{ type: 'text' }] }]),
      'messages.0.content.0.text',
      'messages.0.content.0.text: must be a string',
    );
    assertInvalid(
      withMessages([{ role: 'user', content: ['hi'] }]),
      'messages.0.content.0',
      'messages.0.content.0: must be an object',
    );
    assertInvalid(
      withMessages([{ role: 'user', content: [{ text: 'hi' }] }]),
      'messages.0.content.0.type',
      'messages.0.content.0.type: field required',
    );
    assertInvalid(
      withMessages([{ role: 'user', content: [{ type: 'image', source: { type: 'ftp' } }] }]),
      'messages.0.content.0.source.type',
      "messages.0.content.0.source.type: must be one of 'base64', 'url', 'file'",
    );
    assertInvalid(
      withMessages([{ role: 'assistant', content: [{ type: 'tool_result', tool_use_id: 't' }] }]),
      'messages.0.content.0.type',
      "messages.0.content.0.type: 'tool_result' blocks are only allowed in user messages",
    );
    assertInvalid(
      withMessages([{ role: 'user', content: [{ type: 'tool_use', id: 't', name: 'f', input: {} }] }]),
      'messages.0.content.0.type',
      "messages.0.content.0.type: 'tool_use' blocks are only allowed in assistant messages",
    );
    assertInvalid(
      withMessages([{ role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'f', input: '{}' }] }]),
      'messages.0.content.0.input',
      'messages.0.content.0.input: must be an object',
    );
    assertInvalid(
      withMessages([{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: 5 }] }]),
      'messages.0.content.0.content',
      'messages.0.content.0.content: must be a string or an array of content blocks',
    );
  });

  it('rejects bad tools, tool_choice, thinking and system', () => {
    assertInvalid(
      { ...minimal, tools: [{ name: 'f' }] },
      'tools.0.input_schema',
      'tools.0.input_schema: field required',
    );
    assertInvalid(
      { ...minimal, tool_choice: { type: 'required' } },
      'tool_choice.type',
      "tool_choice.type: must be one of 'auto', 'any', 'tool', 'none'",
    );
    assertInvalid(
      { ...minimal, tool_choice: { type: 'tool' } },
      'tool_choice.name',
      'tool_choice.name: field required',
    );
    assertInvalid(
      { ...minimal, thinking: { type: 'enabled' } },
      'thinking.budget_tokens',
      'thinking.budget_tokens: field required',
    );
    assertInvalid(
      { ...minimal, thinking: { type: 'on' } },
      'thinking.type',
      "thinking.type: must be one of 'enabled', 'disabled', 'adaptive'",
    );
    assertInvalid(
      { ...minimal, system: [{ type: 'image' }] },
      'system.0.type',
      "system.0.type: must be 'text'",
    );
    assertInvalid(
      { ...minimal, metadata: { user_id: 7 } },
      'metadata.user_id',
      'metadata.user_id: must be a string',
    );
  });
});
