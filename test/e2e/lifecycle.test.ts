import assert from 'node:assert/strict';
import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import { test } from 'node:test';
import { startGateway } from '../../src/server/lifecycle.ts';
import { createLogger } from '../../src/server/logger.ts';
import { createRuntime } from '../../src/server/runtime.ts';
import { startFakeServer } from '../fakes/fake-server.ts';
import { openAITextStreamChunks } from '../fakes/openai.ts';
import { jsonOf, startTestGateway } from '../helpers/gateway.ts';
import { spawnGateway } from '../helpers/spawn-gateway.ts';

test('/health answers alive and /ready answers able to serve', async () => {
  const gateway = await startTestGateway();
  try {
    const health = await fetch(`${gateway.url}/health`);
    assert.deepEqual([health.status, await health.json()], [200, { status: 'ok' }]);
    const ready = await fetch(`${gateway.url}/ready`);
    assert.equal(ready.status, 200);
    assert.equal((await jsonOf(ready)).status, 'ready');
    const missing = await fetch(`${gateway.url}/v1/nothing-here`);
    assert.equal(missing.status, 404);
    assert.equal((await jsonOf(missing)).error.code, 'not_found');
    // paths are read with URL semantics: a query is ignored, dot segments resolve
    for (const path of ['/health?verbose=1', '/v1/../health', '/./health']) {
      assert.deepEqual([path, await rawStatus(gateway.url, path)], [path, 200]);
    }
    assert.equal(
      await rawStatus(gateway.url, '/v1/models/bad%E0%A4%A'),
      400,
      'a malformed escape is a bad request',
    );
    const wrongMethod = await fetch(`${gateway.url}/v1/chat/completions`);
    assert.equal(wrongMethod.status, 405);
  } finally {
    await gateway.close();
  }
});

test('without a gateway key it refuses to listen on a non-loopback address', async () => {
  const runtime = createRuntime({
    env: { HOST: '0.0.0.0', PORT: '0' },
    config: {},
    logger: createLogger('silent'),
  });
  await assert.rejects(
    startGateway(runtime),
    /Refusing to listen on 0\.0\.0\.0 without SWITCHYARD_MASTER_KEY/,
  );
});

test('SIGTERM: stops accepting, lets an in-flight stream finish, then exits 0', async () => {
  const upstream = await startFakeServer();
  upstream.enqueue({
    chunks: openAITextStreamChunks({ pieces: ['a', 'b', 'c', 'd', 'e'], includeUsage: true }),
    delayMs: 80,
  });
  const { child, url } = await spawnGateway('src/cli/main.ts', `${upstream.url}/v1`);
  try {
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'x' }] }),
    });
    const reader = response.body!.getReader();
    await reader.read();
    child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await assert.rejects(fetch(`${url}/health`), 'new connections are refused once shutdown began');
    let text = '';
    const decoder = new TextDecoder();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    assert.match(text, /"content":"e"/);
    assert.match(text, /data: \[DONE\]\n\n$/);
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 0);
  } finally {
    child.kill('SIGKILL');
    await upstream.close();
  }
});

/** Sends the path exactly as written (fetch would normalise it first). */
function rawStatus(base: string, path: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${base}/`, { path }, (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    request.on('error', reject);
    request.end();
  });
}
