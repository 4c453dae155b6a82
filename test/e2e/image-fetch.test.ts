import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import OpenAI from 'openai';
import { type FakeServer, startFakeServer } from '../fakes/fake-server.ts';
import { geminiJsonReply } from '../fakes/gemini.ts';
import { startTestGateway, type TestGateway } from '../helpers/gateway.ts';

// The image server is on loopback, which the fetcher refuses unless this (test/self-hosted) flag is set.
process.env.SWITCHYARD_IMAGE_FETCH_ALLOW_PRIVATE = '1';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const images = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'image/png' });
  response.end(PNG);
});
let gemini: FakeServer;
let gateway: TestGateway;

before(async () => {
  await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
  gemini = await startFakeServer();
  gateway = await startTestGateway({ env: { GEMINI_API_KEY: 'g-key', GEMINI_BASE_URL: gemini.url } });
});
after(async () => {
  await gateway.close();
  await gemini.close();
  images.close();
});

test('an image URL is fetched and inlined for a provider that needs bytes (Gemini)', async () => {
  gemini.enqueue(geminiJsonReply({ parts: [{ text: 'a pixel' }] } as never));
  const { port } = images.address() as AddressInfo;
  const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'c', maxRetries: 0 });
  const completion = await client.chat.completions.create({
    model: 'gemini/gemini-2.5-flash',
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: `http://127.0.0.1:${port}/pixel.png` } },
        ],
      },
    ],
  });
  assert.equal(completion.choices[0].message.content, 'a pixel');
  const body = gemini.requests[0].json as { contents: Array<{ parts: unknown[] }> };
  assert.deepEqual(body.contents[0].parts[1], {
    inlineData: { mimeType: 'image/png', data: PNG.toString('base64') },
  });
});
