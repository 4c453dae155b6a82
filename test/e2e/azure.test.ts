import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI, { AzureOpenAI } from 'openai';
import { type FakeServer, startFakeServer } from '../fakes/fake-server.ts';
import { openAICompletion, openAITextStreamChunks } from '../fakes/openai.ts';
import { startTestGateway, type TestGateway } from '../helpers/gateway.ts';

describe('Azure OpenAI: provider out and Azure-style paths in', () => {
  let azure: FakeServer;
  let gateway: TestGateway;

  before(async () => {
    azure = await startFakeServer();
    gateway = await startTestGateway({
      env: { AZURE_OPENAI_API_KEY: 'azure-secret-key', AZURE_OPENAI_ENDPOINT: `${azure.url}/` },
      config: { models: [{ id: 'gpt-4o', deployments: [{ provider: 'azure', model: 'prod-gpt4o' }] }] },
    });
  });
  after(async () => {
    await gateway.close();
    await azure.close();
  });

  test('OpenAI SDK → Azure deployment URL, api-key header, api-version appended', async () => {
    azure.enqueue(openAICompletion({ content: 'from azure', model: 'gpt-4o-2024-11-20' }));
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'client', maxRetries: 0 });
    const completion = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'x' }],
    });
    assert.equal(completion.choices[0].message.content, 'from azure');
    const sent = azure.requests.at(-1)!;
    assert.equal(sent.url, '/openai/deployments/prod-gpt4o/chat/completions?api-version=2024-10-21');
    assert.equal(sent.headers['api-key'], 'azure-secret-key');
    assert.equal(sent.headers.authorization, undefined);
  });

  test('Azure prompt_filter_results chunks (empty choices) stream through', async () => {
    const chunks = openAITextStreamChunks({ pieces: ['ok'], includeUsage: true });
    const filter = `data: ${JSON.stringify({ choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: [{ prompt_index: 0, content_filter_results: {} }] })}\n\n`;
    azure.enqueue({ chunks: [filter, ...chunks] });
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'client', maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model: 'azure/prod-gpt4o',
      stream: true,
      messages: [{ role: 'user', content: 'x' }],
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    assert.equal(text, 'ok');
  });

  test('an AzureOpenAI SDK client can point at Switchyard (/openai/deployments/{deployment}/chat/completions)', async () => {
    azure.enqueue(openAICompletion({ content: 'via azure path' }));
    const client = new AzureOpenAI({
      endpoint: gateway.url,
      apiKey: 'client-azure-key',
      apiVersion: '2024-10-21',
      deployment: 'gpt-4o',
      maxRetries: 0,
    });
    const completion = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'x' }],
    });
    assert.equal(completion.choices[0].message.content, 'via azure path');
    assert.equal(
      azure.requests.at(-1)!.url,
      '/openai/deployments/prod-gpt4o/chat/completions?api-version=2024-10-21',
    );
    assert.equal(azure.requests.at(-1)!.headers['api-key'], 'azure-secret-key');
  });
});
