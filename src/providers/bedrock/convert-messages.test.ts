import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type BuildContext, Warnings } from '../../core/adapters.ts';
import type { CanonicalRequest, Message } from '../../core/canonical.ts';
import { buildConverseBody } from './build-request.ts';

const CLAUDE = 'anthropic.claude-3-5-sonnet-20240620-v1:0';
const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

async function convert(messages: Message[], fetchImage?: BuildContext['fetchImage']) {
  const warnings = new Warnings();
  const request: CanonicalRequest = { model: CLAUDE, messages, stream: false, extra: {} };
  const body = await buildConverseBody(request, CLAUDE, { warnings, fetchImage });
  return { body, warnings: warnings.items };
}

const text = (value: string) => ({ type: 'text' as const, text: value });

describe('messages → Converse', () => {
  it('hoists system and developer messages, in order, into system blocks', async () => {
    const { body, warnings } = await convert([
      { role: 'system', content: [text('You are terse.')] },
      { role: 'user', content: [text('Hi')] },
      { role: 'developer', content: [text('Answer in French.'), text('No emoji.')] },
      { role: 'assistant', content: [text('Salut')] },
    ]);
    assert.deepEqual(body, {
      system: [{ text: 'You are terse.' }, { text: 'Answer in French.' }, { text: 'No emoji.' }],
      messages: [
        { role: 'user', content: [{ text: 'Hi' }] },
        { role: 'assistant', content: [{ text: 'Salut' }] },
      ],
    });
    assert.deepEqual(warnings, []);
  });

  it('merges consecutive same-role turns so roles alternate, and drops blank text', async () => {
    const { body } = await convert([
      { role: 'user', content: [text('one')] },
      { role: 'user', content: [text('two'), text('   ')] },
      { role: 'assistant', content: [text('a')] },
      { role: 'assistant', content: [text('b')] },
      { role: 'user', content: [text('three')] },
    ]);
    assert.deepEqual(body, {
      messages: [
        { role: 'user', content: [{ text: 'one' }, { text: 'two' }] },
        { role: 'assistant', content: [{ text: 'a' }, { text: 'b' }] },
        { role: 'user', content: [{ text: 'three' }] },
      ],
    });
  });

  it('puts a placeholder user turn first when the history starts with the assistant', async () => {
    const { body, warnings } = await convert([
      { role: 'assistant', content: [text('How can I help?')] },
      { role: 'user', content: [text('Tell me a joke')] },
    ]);
    assert.deepEqual(body, {
      messages: [
        { role: 'user', content: [{ text: '.' }] },
        { role: 'assistant', content: [{ text: 'How can I help?' }] },
        { role: 'user', content: [{ text: 'Tell me a joke' }] },
      ],
    });
    assert.deepEqual(warnings, [
      'messages: Bedrock requires the conversation to start with a user turn; a placeholder was added',
    ]);
  });

  it('sends base64 and data-URL images as bytes with the format name', async () => {
    const { body, warnings } = await convert([
      {
        role: 'user',
        content: [
          text('Compare'),
          { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: PNG } },
          {
            type: 'image',
            source: { kind: 'url', url: 'data:image/jpeg;base64,/9j/4AAQSkZJRg==' },
            detail: 'high',
          },
        ],
      },
    ]);
    assert.deepEqual(body, {
      messages: [
        {
          role: 'user',
          content: [
            { text: 'Compare' },
            { image: { format: 'png', source: { bytes: PNG } } },
            { image: { format: 'jpeg', source: { bytes: '/9j/4AAQSkZJRg==' } } },
          ],
        },
      ],
    });
    assert.deepEqual(warnings, ['image.detail: Bedrock has no image detail setting; ignored']);
  });

  it('fetches URL images through context.fetchImage', async () => {
    const fetched: string[] = [];
    const { body } = await convert(
      [
        {
          role: 'user',
          content: [{ type: 'image', source: { kind: 'url', url: 'https://example.com/cat.webp' } }],
        },
      ],
      async (url) => {
        fetched.push(url);
        return { mediaType: 'image/webp', data: 'UklGRg==' };
      },
    );
    assert.deepEqual(fetched, ['https://example.com/cat.webp']);
    assert.deepEqual(body, {
      messages: [{ role: 'user', content: [{ image: { format: 'webp', source: { bytes: 'UklGRg==' } } }] }],
    });
  });

  it('drops URL images with a warning when nothing can fetch them, and unsupported formats', async () => {
    const { body, warnings } = await convert([
      {
        role: 'user',
        content: [
          text('What is this?'),
          { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.png' } },
          { type: 'image', source: { kind: 'base64', mediaType: 'image/tiff', data: 'SUkqAA==' } },
        ],
      },
    ]);
    assert.deepEqual(body, { messages: [{ role: 'user', content: [{ text: 'What is this?' }] }] });
    assert.deepEqual(warnings, [
      'image: Bedrock needs inline image bytes and no image fetcher is configured; URL image dropped',
      'image: media type image/tiff is not accepted by Bedrock (png, jpeg, gif, webp); image dropped',
    ]);
  });

  it('sends files as documents with a Bedrock-safe unique name', async () => {
    const { body } = await convert([
      {
        role: 'user',
        content: [
          { type: 'file', filename: 'Q3_report (final).pdf', mediaType: 'application/pdf', data: 'JVBERi0x' },
          { type: 'file', filename: 'Q3_report (final).pdf', mediaType: 'application/pdf', data: 'JVBERi0y' },
          { type: 'file', mediaType: 'text/csv', data: 'YSxi' },
        ],
      },
    ]);
    assert.deepEqual(body, {
      messages: [
        {
          role: 'user',
          content: [
            { document: { format: 'pdf', name: 'Q3-report (final)', source: { bytes: 'JVBERi0x' } } },
            { document: { format: 'pdf', name: 'Q3-report (final)-2', source: { bytes: 'JVBERi0y' } } },
            { document: { format: 'csv', name: 'document-3', source: { bytes: 'YSxi' } } },
          ],
        },
      ],
    });
  });

  it('turns tool calls into toolUse and groups tool results into one user turn', async () => {
    const { body } = await convert([
      { role: 'user', content: [text('Weather in Oslo and Lima?')] },
      {
        role: 'assistant',
        content: [
          text('Checking.'),
          { type: 'tool-call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Oslo"}' },
          { type: 'tool-call', id: 'call.2', name: 'get_weather', arguments: '' },
        ],
      },
      {
        role: 'tool',
        content: [{ type: 'tool-result', toolCallId: 'call_1', content: [text('{"temp":4}')] }],
      },
      {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            toolCallId: 'call.2',
            isError: true,
            content: [
              text('station offline'),
              { type: 'image', source: { kind: 'base64', mediaType: 'image/gif', data: 'R0lG' } },
            ],
          },
        ],
      },
      { role: 'user', content: [text('And tomorrow?')] },
    ]);
    assert.deepEqual(body.messages, [
      { role: 'user', content: [{ text: 'Weather in Oslo and Lima?' }] },
      {
        role: 'assistant',
        content: [
          { text: 'Checking.' },
          { toolUse: { toolUseId: 'call_1', name: 'get_weather', input: { city: 'Oslo' } } },
          { toolUse: { toolUseId: 'call_2', name: 'get_weather', input: {} } },
        ],
      },
      {
        role: 'user',
        content: [
          { toolResult: { toolUseId: 'call_1', content: [{ text: '{"temp":4}' }], status: 'success' } },
          {
            toolResult: {
              toolUseId: 'call_2',
              content: [{ text: 'station offline' }, { image: { format: 'gif', source: { bytes: 'R0lG' } } }],
              status: 'error',
            },
          },
          { text: 'And tomorrow?' },
        ],
      },
    ]);
  });

  it('round-trips Bedrock reasoning with its signature and redacted content; drops foreign or unsigned reasoning', async () => {
    const { body, warnings } = await convert([
      { role: 'user', content: [text('Is 91 prime?')] },
      {
        role: 'assistant',
        content: [
          {
            type: 'reasoning',
            text: '91 = 7 × 13',
            signature: 'c2lnLTE=',
            signatureProtocol: 'bedrock-converse',
          },
          {
            type: 'reasoning',
            text: '',
            redactedData: 'cmVkYWN0ZWQ=',
            signatureProtocol: 'bedrock-converse',
          },
          { type: 'reasoning', text: 'from elsewhere', signature: 'Z2VtaW5p', signatureProtocol: 'gemini' },
          { type: 'reasoning', text: 'unsigned thoughts' },
          text('No.'),
        ],
      },
      { role: 'user', content: [text('Why?')] },
    ]);
    assert.deepEqual(body.messages[1], {
      role: 'assistant',
      content: [
        { reasoningContent: { reasoningText: { text: '91 = 7 × 13', signature: 'c2lnLTE=' } } },
        { reasoningContent: { redactedContent: 'cmVkYWN0ZWQ=' } },
        { text: 'No.' },
      ],
    });
    assert.deepEqual(warnings, [
      'reasoning: earlier reasoning without a Bedrock signature cannot be sent back; dropped',
    ]);
  });

  it('warns about names and about parts a role cannot carry', async () => {
    const { body, warnings } = await convert([
      {
        role: 'system',
        content: [
          text('sys'),
          { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: PNG } },
        ],
      },
      { role: 'user', name: 'alice', content: [text('hello')] },
    ]);
    assert.deepEqual(body, {
      system: [{ text: 'sys' }],
      messages: [{ role: 'user', content: [{ text: 'hello' }] }],
    });
    assert.deepEqual(warnings, [
      'system: image parts are not allowed in the Bedrock system prompt; dropped',
      'messages.name: Bedrock has no participant names; ignored',
    ]);
  });
});
