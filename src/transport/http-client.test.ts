import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { GatewayError } from '../core/errors.ts';
import { Cancellation } from './cancellation.ts';
import { sendUpstream } from './http-client.ts';

type Route = (req: IncomingMessage, res: ServerResponse) => void;
const routes = new Map<string, Route>();
let server: Server;
let origin: string;

before(async () => {
  server = createServer((req, res) => {
    const route = routes.get(req.url!.split('?')[0]);
    if (route) route(req, res);
    else res.writeHead(404).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.closeAllConnections();
  server.close();
});

function post(path: string, cancellation?: Cancellation) {
  return sendUpstream(
    { method: 'POST', url: `${origin}${path}`, headers: { 'content-type': 'application/json' }, body: '{}' },
    { cancellation, provider: 'fake', headersTimeoutMs: 2000, bodyTimeoutMs: 2000 },
  );
}

test('a JSON reply: status, headers parsed on demand, the body in one buffer', async () => {
  routes.set('/json', (req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.writeHead(201, { 'content-type': 'application/json', 'x-echo': body });
      res.end('{"ok":true}');
    });
  });
  const reply = await post('/json?x=1');
  assert.equal(reply.status, 201);
  assert.equal(reply.headers['content-type'], 'application/json');
  assert.equal(reply.headers['x-echo'], '{}');
  assert.deepEqual(reply.headers['set-cookie'], ['a=1', 'b=2']);
  assert.deepEqual(await reply.body.json(), { ok: true });
});

test('a streamed body arrives whole and in order, chunk by chunk', async () => {
  routes.set('/stream', async (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (let i = 0; i < 5; i++) {
      res.write(`data: ${i}\n\n`);
      await sleep(5);
    }
    res.end();
  });
  const reply = await post('/stream');
  const chunks: string[] = [];
  for await (const chunk of reply.body) chunks.push(Buffer.from(chunk).toString());
  assert.ok(chunks.length > 1, 'delivered as it came, not buffered to the end');
  assert.equal(chunks.join(''), [0, 1, 2, 3, 4].map((i) => `data: ${i}\n\n`).join(''));
});

test('an unread body pauses the upstream socket instead of buffering it all in memory', async () => {
  const total = 64 * 1024 * 1024;
  let finished = false;
  routes.set('/big', (_req, res) => {
    res.writeHead(200, { 'content-length': String(total) });
    const block = Buffer.alloc(1024 * 1024, 97);
    let sent = 0;
    const pump = () => {
      while (sent < total) {
        sent += block.length;
        if (!res.write(block)) return void res.once('drain', pump);
      }
      res.end(() => (finished = true));
    };
    pump();
  });
  const reply = await post('/big');
  await sleep(400);
  assert.equal(finished, false, 'the upstream could not finish while nobody read');
  let received = 0;
  for await (const chunk of reply.body) received += chunk.byteLength;
  assert.equal(received, total);
});

test('a reader that stops early aborts the upstream request', async () => {
  const closed = Promise.withResolvers<boolean>();
  routes.set('/endless', (_req, res) => {
    res.writeHead(200);
    const timer = setInterval(() => res.write('data: x\n\n'), 5);
    res.on('close', () => {
      clearInterval(timer);
      closed.resolve(res.writableFinished);
    });
  });
  const reply = await post('/endless');
  for await (const _chunk of reply.body) break;
  assert.equal(await closed.promise, false, 'the connection was cut before the upstream finished');
});

test('an upstream that dies mid-body: what arrived is read, then the error', async () => {
  routes.set('/dies', (req, res) => {
    res.writeHead(200, { 'content-length': '1000' });
    res.write('partial');
    setTimeout(() => req.socket.destroy(), 20);
  });
  const reply = await post('/dies');
  const seen: string[] = [];
  await assert.rejects(async () => {
    for await (const chunk of reply.body) seen.push(Buffer.from(chunk).toString());
  });
  assert.equal(seen.join(''), 'partial');
});

test('a cancellation before the headers rejects as client_closed; after them it ends the body with the reason', async () => {
  routes.set('/slow', (_req, res) => {
    setTimeout(() => {
      res.writeHead(200);
      res.write('first');
    }, 100);
    res.on('close', () => undefined);
  });
  const early = new Cancellation();
  const pending = post('/slow', early);
  setTimeout(() => early.cancel(), 20);
  const error = await pending.catch((caught: unknown) => caught);
  assert.ok(error instanceof GatewayError);
  assert.equal(error.code, 'client_closed');

  const already = new Cancellation();
  already.cancel();
  const refused = await post('/slow', already).catch((caught: unknown) => caught);
  assert.ok(refused instanceof GatewayError);
  assert.equal(refused.code, 'client_closed');

  const late = new Cancellation();
  const reply = await post('/slow', late);
  const reason = new Error('client went away');
  await assert.rejects(async () => {
    for await (const _chunk of reply.body) late.cancel(reason);
  }, reason);
});

test('no answer before the first-byte deadline is an upstream_timeout', async () => {
  routes.set('/hang', () => undefined);
  const error = await sendUpstream(
    { method: 'POST', url: `${origin}/hang`, headers: {}, body: '{}' },
    { headersTimeoutMs: 100, provider: 'fake' },
  ).catch((caught: unknown) => caught);
  assert.ok(error instanceof GatewayError);
  assert.equal(error.code, 'upstream_timeout');
});

test('a path that is not plain ASCII is sent the way URL normalises it', async () => {
  let seenPath = '';
  routes.set('/deployments/my%20model/chat', (req, res) => {
    seenPath = req.url!;
    res.end('{}');
  });
  const reply = await sendUpstream({
    method: 'POST',
    url: `${origin}/deployments/my model/chat?api-version=1`,
    headers: {},
    body: '{}',
  });
  assert.equal(reply.status, 200);
  await reply.body.text();
  assert.equal(seenPath, '/deployments/my%20model/chat?api-version=1');
});
