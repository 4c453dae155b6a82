import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CanonicalRequest } from '../../core/canonical.ts';
import { GatewayError } from '../../core/errors.ts';
import { decodeCountTokensRequest, decodeGenerateContentRequest } from './decode-request.ts';

const GENERATE = { path: '/v1beta/models/gemini-2.5-flash:generateContent' };
const STREAM = { path: '/v1beta/models/gemini-2.5-flash:streamGenerateContent' };

function decode(body: unknown, info = GENERATE): CanonicalRequest {
  return decodeGenerateContentRequest(body, info);
}

function rejects(body: unknown, message: RegExp, info = GENERATE): void {
  assert.throws(
    () => decode(body, info),
    (error: unknown) =>
      error instanceof GatewayError && error.code === 'invalid_request' && message.test(error.message),
  );
}

test('text turn: model from the path, stream from the method', () => {
  const body = { contents: [{ role: 'user', parts: [{ text: 'Hello' }] }] };
  assert.deepEqual(decode(body), {
    model: 'gemini-2.5-flash',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
    stream: false,
    extra: {},
  });
  assert.equal(decode(body, STREAM).stream, true);
});

test('systemInstruction becomes a system message; role defaults to user; snake_case accepted', () => {
  const body = {
    system_instruction: { parts: [{ text: 'Be brief.' }, { text: 'Be kind.' }] },
    contents: [{ parts: [{ text: 'Hi' }] }, { role: 'model', parts: [{ text: 'Hello!' }] }],
    generation_config: { max_output_tokens: 100, stop_sequences: ['END'] },
  };
  assert.deepEqual(decode(body), {
    model: 'gemini-2.5-flash',
    messages: [
      {
        role: 'system',
        content: [
          { type: 'text', text: 'Be brief.' },
          { type: 'text', text: 'Be kind.' },
        ],
      },
      { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Hello!' }] },
    ],
    maxOutputTokens: 100,
    stop: ['END'],
    stream: false,
    extra: {},
  });
});

test('inlineData and fileData become image or file parts', () => {
  const body = {
    contents: [
      {
        role: 'user',
        parts: [
          { text: 'What is this?' },
          { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
          { inline_data: { mime_type: 'application/pdf', data: 'JVBERi0=' } },
          { fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/cat.jpg' } },
          {
            fileData: {
              mimeType: 'video/mp4',
              fileUri: 'https://generativelanguage.googleapis.com/v1beta/files/abc',
            },
          },
        ],
      },
    ],
  };
  assert.deepEqual(decode(body).messages, [
    {
      role: 'user',
      content: [
        { type: 'text', text: 'What is this?' },
        { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } },
        { type: 'file', mediaType: 'application/pdf', data: 'JVBERi0=' },
        { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.jpg' } },
        {
          type: 'file',
          fileId: 'https://generativelanguage.googleapis.com/v1beta/files/abc',
          mediaType: 'video/mp4',
        },
      ],
    },
  ]);
});

test('function calls get deterministic ids; responses answer them by name, in order', () => {
  const body = {
    contents: [
      { role: 'user', parts: [{ text: 'Weather in SF and Paris, and the time?' }] },
      {
        role: 'model',
        parts: [
          { text: 'Checking.' },
          { functionCall: { name: 'weather', args: { city: 'SF' } }, thoughtSignature: 'sig-1' },
          { functionCall: { name: 'weather', args: { city: 'Paris' } } },
          { functionCall: { name: 'time', args: {} } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'time', response: { output: '12:00' } } },
          { functionResponse: { name: 'weather', response: { temperature: 18 } } },
          { functionResponse: { name: 'weather', response: { error: 'no station' } } },
          { text: 'Thanks' },
        ],
      },
    ],
  };
  assert.deepEqual(decode(body).messages, [
    { role: 'user', content: [{ type: 'text', text: 'Weather in SF and Paris, and the time?' }] },
    {
      role: 'assistant',
      content: [
        { type: 'text', text: 'Checking.' },
        {
          type: 'tool-call',
          id: 'call_1_0',
          name: 'weather',
          arguments: '{"city":"SF"}',
          signature: 'sig-1',
        },
        { type: 'tool-call', id: 'call_1_1', name: 'weather', arguments: '{"city":"Paris"}' },
        { type: 'tool-call', id: 'call_1_2', name: 'time', arguments: '{}' },
      ],
    },
    {
      role: 'tool',
      content: [
        {
          type: 'tool-result',
          toolCallId: 'call_1_2',
          toolName: 'time',
          content: [{ type: 'text', text: '{"output":"12:00"}' }],
        },
      ],
    },
    {
      role: 'tool',
      content: [
        {
          type: 'tool-result',
          toolCallId: 'call_1_0',
          toolName: 'weather',
          content: [{ type: 'text', text: '{"temperature":18}' }],
        },
      ],
    },
    {
      role: 'tool',
      content: [
        {
          type: 'tool-result',
          toolCallId: 'call_1_1',
          toolName: 'weather',
          content: [{ type: 'text', text: '{"error":"no station"}' }],
          isError: true,
        },
      ],
    },
    { role: 'user', content: [{ type: 'text', text: 'Thanks' }] },
  ]);
});

test('ids sent by the client (Vertex, newer models) are kept and matched', () => {
  const body = {
    contents: [
      { role: 'user', parts: [{ text: 'go' }] },
      {
        role: 'model',
        parts: [
          { functionCall: { id: 'a1', name: 'f', args: { n: 1 } } },
          { functionCall: { id: 'a2', name: 'f', args: { n: 2 } } },
        ],
      },
      {
        role: 'function',
        parts: [
          { functionResponse: { id: 'a2', name: 'f', response: { r: 2 } } },
          { functionResponse: { name: 'f', response: { r: 1 } } },
          { functionResponse: { name: 'g', response: { orphan: true } } },
        ],
      },
    ],
  };
  const messages = decode(body).messages;
  assert.deepEqual(
    messages.flatMap((m) =>
      m.content.map((p) =>
        p.type === 'tool-call' ? p.id : p.type === 'tool-result' ? p.toolCallId : p.type,
      ),
    ),
    ['text', 'a1', 'a2', 'a2', 'a1', 'call_2_r2'],
  );
});

test('thought parts become reasoning with a gemini signature; a signature on text rides before it', () => {
  const body = {
    contents: [
      { role: 'user', parts: [{ text: 'Count the rs' }] },
      {
        role: 'model',
        parts: [
          { text: 'Let me count...', thought: true },
          { text: 'There are 3.', thoughtSignature: 'sig-text' },
          { text: '', thoughtSignature: 'sig-empty' },
        ],
      },
    ],
  };
  assert.deepEqual(decode(body).messages[1], {
    role: 'assistant',
    content: [
      { type: 'reasoning', text: 'Let me count...' },
      { type: 'reasoning', text: '', signature: 'sig-text', signatureProtocol: 'gemini' },
      { type: 'text', text: 'There are 3.' },
      { type: 'reasoning', text: '', signature: 'sig-empty', signatureProtocol: 'gemini' },
      { type: 'text', text: '' },
    ],
  });
});

test('tools, tool config and generation settings', () => {
  const body = {
    contents: [{ role: 'user', parts: [{ text: 'x' }] }],
    tools: [
      {
        functionDeclarations: [
          {
            name: 'weather',
            description: 'Get the weather',
            parameters: {
              type: 'OBJECT',
              properties: {
                location: { type: 'STRING', description: 'City' },
                days: { type: 'INTEGER', nullable: true },
                units: { type: 'STRING', enum: ['C', 'F'] },
                tags: { type: 'ARRAY', items: { type: 'STRING' } },
              },
              required: ['location'],
            },
          },
          { name: 'lookup', parametersJsonSchema: { type: 'object', additionalProperties: false } },
          { name: 'ping' },
        ],
      },
      { googleSearch: {} },
      { code_execution: {} },
    ],
    toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['weather'] } },
    generationConfig: {
      temperature: 0.5,
      topP: 0.9,
      topK: 40,
      maxOutputTokens: 256,
      stopSequences: ['STOP'],
      seed: 7,
      candidateCount: 2,
      presencePenalty: 0.1,
      frequencyPenalty: 0.2,
      responseLogprobs: true,
    },
    safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
    cachedContent: 'cachedContents/abc',
    model: 'models/ignored',
  };
  const request = decode(body);
  assert.deepEqual(request, {
    model: 'gemini-2.5-flash',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }],
    tools: [
      {
        name: 'weather',
        description: 'Get the weather',
        parameters: {
          type: 'object',
          properties: {
            location: { type: 'string', description: 'City' },
            days: { type: ['integer', 'null'] },
            units: { type: 'string', enum: ['C', 'F'] },
            tags: { type: 'array', items: { type: 'string' } },
          },
          required: ['location'],
        },
      },
      { name: 'lookup', parameters: { type: 'object', additionalProperties: false } },
      { name: 'ping' },
    ],
    toolChoice: { type: 'tool', name: 'weather' },
    temperature: 0.5,
    topP: 0.9,
    topK: 40,
    maxOutputTokens: 256,
    stop: ['STOP'],
    seed: 7,
    n: 2,
    presencePenalty: 0.1,
    frequencyPenalty: 0.2,
    stream: false,
    extra: {
      safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
      cachedContent: 'cachedContents/abc',
      tools: [{ googleSearch: {} }, { codeExecution: {} }],
      generationConfig: { responseLogprobs: true },
    },
  });
});

test('tool config modes; several allowed names keep the whole config for Gemini targets', () => {
  const choice = (functionCallingConfig: unknown) =>
    decode({ contents: [{ parts: [{ text: 'x' }] }], toolConfig: { functionCallingConfig } });
  assert.deepEqual(choice({ mode: 'AUTO' }).toolChoice, { type: 'auto' });
  assert.deepEqual(choice({ mode: 'NONE' }).toolChoice, { type: 'none' });
  assert.deepEqual(choice({ mode: 'ANY' }).toolChoice, { type: 'required' });
  const several = choice({ mode: 'ANY', allowedFunctionNames: ['a', 'b'] });
  assert.deepEqual(several.toolChoice, { type: 'required' });
  assert.deepEqual(several.extra, {
    toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['a', 'b'] } },
  });
  assert.throws(() => choice({ mode: 'SOMETIMES' }), /mode must be AUTO, ANY, NONE or VALIDATED/);
});

test('thinkingConfig maps onto reasoning settings', () => {
  const reasoning = (thinkingConfig: unknown) =>
    decode({ contents: [{ parts: [{ text: 'x' }] }], generationConfig: { thinkingConfig } }).reasoning;
  assert.deepEqual(reasoning({ thinkingBudget: 1024, includeThoughts: true }), {
    budgetTokens: 1024,
    includeThoughts: true,
  });
  assert.deepEqual(reasoning({ thinkingBudget: 0 }), { effort: 'none' });
  assert.equal(reasoning({ thinkingBudget: -1 }), undefined);
  assert.deepEqual(reasoning({ thinkingLevel: 'high', includeThoughts: false }), {
    effort: 'high',
    includeThoughts: false,
  });
  assert.deepEqual(reasoning({ thinking_level: 'LOW' }), { effort: 'low' });
  assert.throws(() => reasoning({ thinkingLevel: 'EXTREME' }), /thinkingLevel must be/);
});

test('JSON mode and schemas map onto response formats', () => {
  const format = (generationConfig: Record<string, unknown>) =>
    decode({ contents: [{ parts: [{ text: 'x' }] }], generationConfig });
  assert.deepEqual(format({ responseMimeType: 'application/json' }).responseFormat, { type: 'json' });
  assert.deepEqual(
    format({
      responseMimeType: 'application/json',
      responseSchema: {
        type: 'OBJECT',
        properties: { city: { type: 'STRING' } },
        required: ['city'],
        propertyOrdering: ['city'],
      },
    }).responseFormat,
    {
      type: 'json-schema',
      name: 'response',
      schema: {
        type: 'object',
        properties: { city: { type: 'string' } },
        required: ['city'],
        propertyOrdering: ['city'],
      },
    },
  );
  const jsonSchema = { type: 'object', properties: { n: { type: 'number' } }, additionalProperties: false };
  assert.deepEqual(
    format({ responseMimeType: 'application/json', responseJsonSchema: jsonSchema }).responseFormat,
    {
      type: 'json-schema',
      name: 'response',
      schema: jsonSchema,
    },
  );
  const enumMode = format({
    responseMimeType: 'text/x.enum',
    responseSchema: { type: 'STRING', enum: ['a'] },
  });
  assert.equal(enumMode.responseFormat, undefined);
  assert.deepEqual(enumMode.extra, {
    generationConfig: { responseMimeType: 'text/x.enum', responseSchema: { type: 'STRING', enum: ['a'] } },
  });
});

test('rejects malformed requests with clear messages', () => {
  rejects({}, /contents is required/);
  rejects({ contents: [] }, /contents must not be empty/);
  rejects({ contents: 'hi' }, /contents must be an array/);
  rejects({ contents: [{ role: 'user', parts: [] }] }, /contents\[0\]\.parts must be a non-empty array/);
  rejects(
    { contents: [{ role: 'assistant', parts: [{ text: 'x' }] }] },
    /contents\[0\]\.role must be "user" or "model"/,
  );
  rejects({ contents: [{ parts: [{}] }] }, /contents\[0\]\.parts\[0\] must hold one of text, inlineData/);
  rejects({ contents: [{ parts: [{ text: 5 }] }] }, /contents\[0\]\.parts\[0\]\.text must be a string/);
  rejects({ contents: [{ parts: [{ inlineData: { data: 'x' } }] }] }, /inlineData\.mimeType is required/);
  rejects({ contents: [{ parts: [{ functionCall: { args: {} } }] }] }, /functionCall\.name is required/);
  rejects(
    { contents: [{ parts: [{ functionResponse: { name: 'f', response: 'ok' } }] }] },
    /functionResponse\.response must be an object/,
  );
  rejects(
    { contents: [{ parts: [{ text: 'x' }] }], generationConfig: { temperature: 'hot' } },
    /temperature must be a number/,
  );
  rejects([], /body must be a JSON object/);
  rejects({ contents: [{ parts: [{ text: 'x' }] }] }, /Method countTokens is not generateContent/, {
    path: '/v1beta/models/m:countTokens',
  });
});

test('countTokens accepts contents or a whole generateContentRequest', () => {
  const path = '/v1beta/models/gemini-2.0-flash:countTokens';
  assert.deepEqual(decodeCountTokensRequest({ contents: [{ parts: [{ text: 'count me' }] }] }, path), {
    model: 'gemini-2.0-flash',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'count me' }] }],
    stream: false,
    extra: {},
  });
  const wrapped = {
    generateContentRequest: {
      model: 'models/gemini-2.0-flash',
      systemInstruction: { parts: [{ text: 'sys' }] },
      contents: [{ role: 'user', parts: [{ text: 'count me' }] }],
      tools: [{ functionDeclarations: [{ name: 'f' }] }],
    },
  };
  assert.deepEqual(decodeCountTokensRequest(wrapped, path), {
    model: 'gemini-2.0-flash',
    messages: [
      { role: 'system', content: [{ type: 'text', text: 'sys' }] },
      { role: 'user', content: [{ type: 'text', text: 'count me' }] },
    ],
    tools: [{ name: 'f' }],
    stream: false,
    extra: {},
  });
});
