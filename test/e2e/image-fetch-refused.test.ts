import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import OpenAI from 'openai';
import { type FakeServer, startFakeServer } from '../fakes/fake-server.ts';
import { startTestGateway, type TestGateway } from '../helpers/gateway.ts';

let gemini: FakeServer;
let gateway: TestGateway;

before(async () => {
  delete process.env.SWITCHYARD_IMAGE_FETCH_ALLOW_PRIVATE;
  gemini = await startFakeServer();
  gateway = await startTestGateway({ env: { GEMINI_API_KEY: 'g-key', GEMINI_BASE_URL: gemini.url } });
});
after(async () => {
  await gateway.close();
  await gemini.close();
});

for (const url of [
  'http://169.254.169.254/latest/meta-data/iam.png',
  'http://127.0.0.1:9/x.png',
  'http://10.0.0.8/x.png',
]) {
  test(`an image URL on a metadata, loopback or private address is refused before any upstream call: ${url}`, async () => {
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'c', maxRetries: 0 });
    const error = await client.chat.completions
      .create({
        model: 'gemini/gemini-2.5-flash',
        messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url } }] }],
      })
      .catch((caught: unknown) => caught);
    assert.ok(error instanceof OpenAI.BadRequestError, String(error));
    assert.equal(gemini.requests.length, 0);
  });
}
