import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BuildContext } from '../../core/adapters.ts';
import type { CanonicalRequest, CanonicalResponse, Message } from '../../core/canonical.ts';
import { collectResponse } from '../../routing/collect-response.ts';
import { buildGeminiBody, buildRequest } from './build-request.ts';
import { parseResponse } from './parse-response.ts';
import { parseStream } from './parse-stream.ts';
import { buildContext, bytes, fixture, request } from './test-helpers.ts';
import type { GeminiPart } from './wire-types.ts';

async function body(overrides: Partial<CanonicalRequest>, context: BuildContext = buildContext()) {
  return { body: await buildGeminiBody(request(overrides), context), warnings: context.warnings.items };
}

const user = (text: string): Message => ({ role: 'user', content: [{ type: 'text', text }] });

describe('gemini buildRequest: URL and headers', () => {
  it('generateContent with the key only in x-goog-api-key', async () => {
    const upstream = await buildRequest(request({ messages: [user('hi')] }), buildContext());
    assert.deepEqual(upstream, {
      method: 'POST',
      url: 'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': 'test-key-123' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
    });
  });

  it('streaming uses streamGenerateContent?alt=sse and never puts the key in the URL', async () => {
    const upstream = await buildRequest(request({ messages: [user('hi')], stream: true }), buildContext());
    assert.equal(
      upstream.url,
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
    );
    assert.ok(!upstream.url.includes('test-key-123'));
  });
});

describe('gemini buildRequest: messages', () => {
  it('merges system/developer into systemInstruction and consecutive same-role turns', async () => {
    const { body: out, warnings } = await body({
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
        user('Hi'),
        { role: 'user', name: 'ann', content: [{ type: 'text', text: 'Are you there?' }] },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Oui.' }] },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: '' },
            { type: 'text', text: 'Bonjour.' },
          ],
        },
        user('Merci'),
      ],
    });
    assert.deepEqual(out, {
      systemInstruction: { parts: [{ text: 'Be brief.' }, { text: 'Answer in French.' }] },
      contents: [
        { role: 'user', parts: [{ text: 'Hi' }, { text: 'Are you there?' }] },
        { role: 'model', parts: [{ text: 'Oui.' }, { text: 'Bonjour.' }] },
        { role: 'user', parts: [{ text: 'Merci' }] },
      ],
    });
    assert.deepEqual(warnings, ['message name: not supported by Gemini, ignored']);
  });

  it('tool calls and results: args parsed, signature kept, names looked up, responses are objects', async () => {
    const { body: out, warnings } = await body({
      messages: [
        user('Weather in Paris and Lyon?'),
        {
          role: 'assistant',
          content: [
            {
              type: 'tool-call',
              id: 'call_a',
              name: 'get_weather',
              arguments: '{"city":"Paris"}',
              signature: 'sig-1',
            },
            { type: 'tool-call', id: 'call_b', name: 'get_time', arguments: '' },
          ],
        },
        {
          role: 'tool',
          content: [
            { type: 'tool-result', toolCallId: 'call_a', content: [{ type: 'text', text: '{"temp":18}' }] },
          ],
        },
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: 'call_b',
              toolName: 'get_time',
              content: [{ type: 'text', text: '10:42' }],
            },
          ],
        },
        {
          role: 'user',
          content: [
            {
              type: 'tool-result',
              toolCallId: 'call_zzz',
              isError: true,
              content: [{ type: 'text', text: 'timeout' }],
            },
            { type: 'text', text: 'Thanks' },
          ],
        },
      ],
    });
    assert.deepEqual(out.contents, [
      { role: 'user', parts: [{ text: 'Weather in Paris and Lyon?' }] },
      {
        role: 'model',
        parts: [
          { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'sig-1' },
          { functionCall: { name: 'get_time', args: {} } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'get_weather', response: { temp: 18 } } },
          { functionResponse: { name: 'get_time', response: { result: '10:42' } } },
          { functionResponse: { name: 'call_zzz', response: { error: 'timeout' } } },
          { text: 'Thanks' },
        ],
      },
    ]);
    assert.deepEqual(warnings, [
      'tool result: no matching tool call to name it; the call id is used as the name',
    ]);
  });

  it('invalid tool-call arguments become {} with a warning', async () => {
    const { body: out, warnings } = await body({
      messages: [
        { role: 'assistant', content: [{ type: 'tool-call', id: 'c', name: 'f', arguments: '[1,2]' }] },
      ],
    });
    assert.deepEqual(out.contents, [{ role: 'model', parts: [{ functionCall: { name: 'f', args: {} } }] }]);
    assert.deepEqual(warnings, ['tool call arguments: not a JSON object, sent to Gemini as {}']);
  });

  it('reasoning goes back as a thought part only when Gemini signed it', async () => {
    const { body: out } = await body({
      messages: [
        user('q'),
        {
          role: 'assistant',
          content: [
            {
              type: 'reasoning',
              text: 'Anthropic thinking',
              signature: 'ant-sig',
              signatureProtocol: 'anthropic-messages',
            },
            { type: 'reasoning', text: 'Gemini thought', signature: 'gem-sig', signatureProtocol: 'gemini' },
            { type: 'reasoning', text: 'unsigned' },
            { type: 'text', text: 'answer' },
          ],
        },
      ],
    });
    assert.deepEqual(out.contents[1], {
      role: 'model',
      parts: [{ text: 'Gemini thought', thought: true, thoughtSignature: 'gem-sig' }, { text: 'answer' }],
    });
  });

  it("a text part's signature (an empty Gemini reasoning part) is folded onto the text after it", async () => {
    const textSignature = (signature: string, signatureProtocol = 'gemini') =>
      ({ type: 'reasoning', text: '', signature, signatureProtocol }) as const;
    const { body: out } = await body({
      messages: [
        { role: 'user', content: [textSignature('user-sig'), { type: 'text', text: 'q' }] },
        {
          role: 'assistant',
          content: [
            textSignature('sig-a'),
            { type: 'text', text: 'A' },
            { type: 'text', text: 'B' },
            textSignature('ant-sig', 'anthropic-messages'),
            { type: 'reasoning', text: '' },
            { type: 'text', text: 'C' },
            textSignature('sig-b'),
            { type: 'tool-call', id: 'c1', name: 'f', arguments: '{}', signature: 'call-sig' },
            textSignature('sig-c'),
            { type: 'reasoning', text: 'Gemini thought', signature: 'gem-sig', signatureProtocol: 'gemini' },
            textSignature('sig-d'),
          ],
        },
      ],
    });
    assert.deepEqual(out.contents, [
      { role: 'user', parts: [{ text: 'q' }] },
      {
        role: 'model',
        parts: [
          { text: 'A', thoughtSignature: 'sig-a' },
          { text: 'B' },
          { text: 'C' },
          // no text part right after: the signature goes out where it stood, as Gemini streams it
          { text: '', thoughtSignature: 'sig-b' },
          { functionCall: { name: 'f', args: {} }, thoughtSignature: 'call-sig' },
          { text: '', thoughtSignature: 'sig-c' },
          { text: 'Gemini thought', thought: true, thoughtSignature: 'gem-sig' },
          { text: '', thoughtSignature: 'sig-d' },
        ],
      },
    ]);
  });

  it('images: base64, data URL, gs:// and Files API as fileData, http fetched once, detail warned', async () => {
    const fetched: string[] = [];
    const context = buildContext({
      fetchImage: async (url) => {
        fetched.push(url);
        return { mediaType: 'image/webp', data: 'V0VCUA==' };
      },
    });
    const { body: out, warnings } = await body(
      {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0=' } },
              {
                type: 'image',
                source: { kind: 'url', url: 'data:image/jpeg;base64,/9j/4AA=' },
                detail: 'high',
              },
              { type: 'image', source: { kind: 'url', url: 'gs://bucket/cat.png' } },
              {
                type: 'image',
                source: { kind: 'url', url: 'https://generativelanguage.googleapis.com/v1beta/files/abc123' },
              },
              { type: 'image', source: { kind: 'url', url: 'https://example.com/dog.webp' } },
              { type: 'image', source: { kind: 'url', url: 'https://example.com/dog.webp' } },
            ],
          },
        ],
      },
      context,
    );
    assert.deepEqual(out.contents, [
      {
        role: 'user',
        parts: [
          { inlineData: { mimeType: 'image/png', data: 'iVBORw0=' } },
          { inlineData: { mimeType: 'image/jpeg', data: '/9j/4AA=' } },
          { fileData: { mimeType: 'image/png', fileUri: 'gs://bucket/cat.png' } },
          {
            fileData: {
              mimeType: 'image/jpeg',
              fileUri: 'https://generativelanguage.googleapis.com/v1beta/files/abc123',
            },
          },
          { inlineData: { mimeType: 'image/webp', data: 'V0VCUA==' } },
          { inlineData: { mimeType: 'image/webp', data: 'V0VCUA==' } },
        ],
      },
    ]);
    assert.deepEqual(fetched, ['https://example.com/dog.webp']);
    assert.deepEqual(warnings, ['image detail: not supported by Gemini, ignored']);
  });

  it('an http image without a fetcher is omitted with a warning', async () => {
    const { body: out, warnings } = await body({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', source: { kind: 'url', url: 'https://example.com/x.png' } },
          ],
        },
      ],
    });
    assert.deepEqual(out.contents, [{ role: 'user', parts: [{ text: 'What is this?' }] }]);
    assert.deepEqual(warnings, [
      'image url: Gemini only reads inline images or gs:// / Files API URIs; image omitted',
    ]);
  });

  it('files: inline data, Gemini file ids as fileData, foreign ids omitted with a warning', async () => {
    const { body: out, warnings } = await body({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'file', filename: 'report.pdf', data: 'JVBERi0=' },
            { type: 'file', fileId: 'files/xyz', mediaType: 'application/pdf' },
            { type: 'file', fileId: 'file-openai-1' },
          ],
        },
      ],
    });
    assert.deepEqual(out.contents[0].parts, [
      { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0=' } },
      {
        fileData: {
          mimeType: 'application/pdf',
          fileUri: 'https://generativelanguage.googleapis.com/v1beta/files/xyz',
        },
      },
    ]);
    assert.deepEqual(warnings, ['file id: not a Gemini Files API or gs:// reference; file omitted']);
  });

  it('images inside tool results follow the functionResponse in the same turn', async () => {
    const { body: out } = await body({
      messages: [
        {
          role: 'assistant',
          content: [{ type: 'tool-call', id: 'c1', name: 'screenshot', arguments: '{}' }],
        },
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: 'c1',
              content: [
                { type: 'text', text: 'captured' },
                { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AAAA' } },
              ],
            },
          ],
        },
      ],
    });
    assert.deepEqual(out.contents[1], {
      role: 'user',
      parts: [
        { functionResponse: { name: 'screenshot', response: { result: 'captured' } } },
        { inlineData: { mimeType: 'image/png', data: 'AAAA' } },
      ],
    });
  });
});

describe("gemini: a text part's thoughtSignature goes back as Gemini sent it", () => {
  const question = user('What is the capital of Australia?');

  async function historyOf(content: CanonicalResponse['content']) {
    const { body: out } = await body({ messages: [question, { role: 'assistant', content }] });
    return out.contents[1];
  }

  it("a reply in the real shape → canonical → history: the model turn is the reply's parts, exactly", async () => {
    const reply = JSON.parse(fixture('response-signed-text.json'));
    const parsed = parseResponse(reply, request());
    assert.deepEqual(await historyOf(parsed.content), reply.candidates[0].content);
  });

  it('thoughts, unsigned and signed text parts come back as they were', async () => {
    const reply = JSON.parse(fixture('response-text.json'));
    const parsed = parseResponse(reply, request());
    assert.deepEqual(await historyOf(parsed.content), reply.candidates[0].content);
  });

  it('a stream in the real shape → collected message → history: the text, then {text: "", thoughtSignature}', async () => {
    const sse = fixture('stream-signed-text.sse');
    let collected: CanonicalResponse | undefined;
    const events = collectResponse(parseStream(bytes(sse), request({ stream: true })), (response) => {
      collected = response;
    });
    for await (const _ of events);
    assert.ok(collected);
    const streamed: GeminiPart[] = sse
      .split('\r\n\r\n')
      .filter((frame) => frame.startsWith('data: '))
      .flatMap((frame) => JSON.parse(frame.slice('data: '.length)).candidates[0].content.parts);
    const signed = streamed.at(-1)!;
    assert.deepEqual(Object.keys(signed), ['text', 'thoughtSignature']);
    // the streamed text parts join into one; the closing signed part comes back as it was sent
    const text = streamed
      .slice(0, -1)
      .map((part) => part.text)
      .join('');
    assert.deepEqual(await historyOf(collected.content), { role: 'model', parts: [{ text }, signed] });
  });
});
