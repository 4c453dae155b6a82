import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Message } from '../../core/canonical.ts';
import { buildAnthropicMessagesBody } from './build-body.ts';
import { testContext, testRequest, user } from './test-helpers.ts';

describe('buildAnthropicMessagesBody: prompt', () => {
  it('builds the minimal body with the model max_tokens', () => {
    const context = testContext();
    const body = buildAnthropicMessagesBody(testRequest([user('Hi')]), context);
    assert.deepEqual(body, {
      max_tokens: 64_000,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
    });
    assert.deepEqual(context.warnings.items, []);
  });

  it('sends a single system message as a string', () => {
    const body = buildAnthropicMessagesBody(
      testRequest([{ role: 'system', content: [{ type: 'text', text: 'Be brief.' }] }, user('Hi')]),
      testContext(),
    );
    assert.deepEqual(body, {
      max_tokens: 64_000,
      system: 'Be brief.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
    });
  });

  it('merges several system and developer messages into system blocks, in order', () => {
    const context = testContext();
    const body = buildAnthropicMessagesBody(
      testRequest([
        { role: 'system', content: [{ type: 'text', text: 'You are a weather bot.' }] },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
        user('Weather?'),
        {
          role: 'system',
          content: [
            { type: 'text', text: 'Keep it short.' },
            { type: 'text', text: '' },
          ],
        },
      ]),
      context,
    );
    assert.deepEqual(body, {
      max_tokens: 64_000,
      system: [
        { type: 'text', text: 'You are a weather bot.' },
        { type: 'text', text: 'Answer in French.' },
        { type: 'text', text: 'Keep it short.' },
      ],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Weather?' }] }],
    });
    assert.deepEqual(context.warnings.items, [
      'messages: a system message after the conversation start was moved to the top-level system prompt',
    ]);
  });

  it('merges same-role turns and puts tool results first, in call order, in one user turn', () => {
    const context = testContext();
    const messages: Message[] = [
      user('Weather in Paris, and the time?'),
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking both.' },
          { type: 'tool-call', id: 'call.1', name: 'get_weather', arguments: '{"city":"Paris"}' },
          { type: 'tool-call', id: 'call_2', name: 'get_time', arguments: '' },
        ],
      },
      {
        role: 'tool',
        content: [{ type: 'tool-result', toolCallId: 'call_2', content: [{ type: 'text', text: '12:00' }] }],
      },
      { role: 'user', content: [{ type: 'text', text: 'Also, thanks!' }] },
      {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            toolCallId: 'call.1',
            content: [{ type: 'text', text: 'unknown city' }],
            isError: true,
          },
        ],
      },
      { role: 'assistant', content: [{ type: 'text', text: 'Paris is' }] },
      { role: 'assistant', content: [{ type: 'text', text: '' }] },
      user('And tomorrow?'),
      { role: 'user', content: [{ type: 'text', text: 'In Celsius.' }], name: 'alice' },
    ];
    const body = buildAnthropicMessagesBody(testRequest(messages), context);
    assert.deepEqual(body.messages, [
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris, and the time?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking both.' },
          { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'call_2', name: 'get_time', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: 'unknown city', is_error: true },
          { type: 'tool_result', tool_use_id: 'call_2', content: '12:00' },
          { type: 'text', text: 'Also, thanks!' },
        ],
      },
      { role: 'assistant', content: [{ type: 'text', text: 'Paris is' }] },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'And tomorrow?' },
          { type: 'text', text: 'In Celsius.' },
        ],
      },
    ]);
    assert.deepEqual(context.warnings.items, ['messages.name: Anthropic has no per-message name; ignored']);
  });

  it('trims trailing whitespace from a final assistant prefill', () => {
    const body = buildAnthropicMessagesBody(
      testRequest([
        user('Count to three.'),
        { role: 'assistant', content: [{ type: 'text', text: 'One, two, ' }] },
      ]),
      testContext(),
    );
    assert.deepEqual(body.messages, [
      { role: 'user', content: [{ type: 'text', text: 'Count to three.' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'One, two,' }] },
    ]);
  });

  it('sends tool-call arguments that are not a JSON object as {} with a warning', () => {
    const context = testContext();
    const body = buildAnthropicMessagesBody(
      testRequest([
        user('go'),
        {
          role: 'assistant',
          content: [{ type: 'tool-call', id: 'toolu_1', name: 'run', arguments: '{"broken' }],
        },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'toolu_1', content: [] }] },
      ]),
      context,
    );
    assert.deepEqual(body.messages.slice(1), [
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'run', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1' }] },
    ]);
    assert.deepEqual(context.warnings.items, [
      'tool-call: arguments of run are not a JSON object; sent as {}',
    ]);
  });
});

describe('buildAnthropicMessagesBody: images and files', () => {
  it('converts base64, URL and data-URL images, files, and images inside tool results', () => {
    const context = testContext();
    const body = buildAnthropicMessagesBody(
      testRequest([
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare these.' },
            { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } },
            { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.jpg' }, detail: 'high' },
            { type: 'image', source: { kind: 'url', url: 'data:image/webp;base64,UklGRg==' } },
            { type: 'file', filename: 'report.pdf', mediaType: 'application/pdf', data: 'JVBERi0xLjQ=' },
            { type: 'file', mediaType: 'text/plain', data: Buffer.from('plain notes').toString('base64') },
            { type: 'file', mediaType: 'application/zip', data: 'UEsDBA==' },
            { type: 'file', fileId: 'file_abc' },
          ],
        },
        {
          role: 'assistant',
          content: [{ type: 'tool-call', id: 'toolu_9', name: 'screenshot', arguments: '{}' }],
        },
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: 'toolu_9',
              content: [
                { type: 'text', text: 'Here it is' },
                { type: 'image', source: { kind: 'base64', mediaType: 'image/jpeg', data: '/9j/4AAQ' } },
              ],
            },
          ],
        },
      ]),
      context,
    );
    assert.deepEqual(body.messages, [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Compare these.' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
          { type: 'image', source: { type: 'base64', media_type: 'image/webp', data: 'UklGRg==' } },
          {
            type: 'document',
            source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0xLjQ=' },
            title: 'report.pdf',
          },
          { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'plain notes' } },
        ],
      },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_9', name: 'screenshot', input: {} }] },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 'toolu_9',
            content: [
              { type: 'text', text: 'Here it is' },
              { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQ' } },
            ],
          },
        ],
      },
    ]);
    assert.deepEqual(context.warnings.items, [
      'image.detail: Anthropic has no image detail setting; ignored',
      'file: application/zip files are not supported by Anthropic; the file was dropped',
      'file: file ids need the Anthropic Files API (beta); the file was dropped',
    ]);
  });
});
