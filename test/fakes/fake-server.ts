// A scriptable local HTTP server that stands in for an LLM provider in tests.
// Each provider fake builds replies in that provider's real wire format and queues them here.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** path with query string */
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** parsed JSON body, or undefined when not JSON */
  json: unknown;
  /** true when the client went away before the reply finished */
  aborted: boolean;
}

/** One scripted reply. Chunks are written one by one, `delayMs` apart. */
export interface ScriptedReply {
  status?: number;
  headers?: Record<string, string>;
  /** a full body (JSON-encoded when not a string/Buffer) */
  body?: unknown;
  /** streamed body pieces, written in order */
  chunks?: Array<string | Uint8Array>;
  /** wait before the headers are sent */
  headerDelayMs?: number;
  /** wait between chunks */
  delayMs?: number;
  /** destroy the socket after this many chunks (a mid-stream death) */
  dieAfterChunks?: number;
  /** send headers and first chunks, then never finish */
  hangAfterChunks?: number;
}

export type ReplyFactory = (request: RecordedRequest) => ScriptedReply;

export interface FakeServer {
  url: string;
  requests: RecordedRequest[];
  /** replies used in order; when empty, `fallback` answers */
  enqueue(...replies: Array<ScriptedReply | ReplyFactory>): void;
  setFallback(reply: ScriptedReply | ReplyFactory): void;
  reset(): void;
  close(): Promise<void>;
}

export async function startFakeServer(
  fallback: ScriptedReply | ReplyFactory = { status: 500 },
): Promise<FakeServer> {
  const queue: Array<ScriptedReply | ReplyFactory> = [];
  const requests: RecordedRequest[] = [];
  let defaultReply = fallback;
  const sockets = new Set<import('node:net').Socket>();

  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      body,
      json: tryJson(body),
      aborted: false,
    };
    requests.push(recorded);
    res.on('close', () => {
      if (!res.writableFinished) recorded.aborted = true;
    });
    const next = queue.shift() ?? defaultReply;
    const reply = typeof next === 'function' ? next(recorded) : next;
    await play(reply, res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (...replies) => queue.push(...replies),
    setFallback: (reply) => {
      defaultReply = reply;
    },
    reset: () => {
      queue.length = 0;
      requests.length = 0;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function play(reply: ScriptedReply, res: ServerResponse): Promise<void> {
  if (reply.headerDelayMs) await sleep(reply.headerDelayMs);
  if (res.destroyed) return;
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.chunks) {
    headers['content-type'] ??= 'text/event-stream';
    res.writeHead(reply.status ?? 200, headers);
    res.flushHeaders();
    for (let i = 0; i < reply.chunks.length; i++) {
      if (reply.dieAfterChunks !== undefined && i >= reply.dieAfterChunks) {
        res.socket?.destroy();
        return;
      }
      if (reply.hangAfterChunks !== undefined && i >= reply.hangAfterChunks) return;
      if (res.destroyed) return;
      res.write(reply.chunks[i]);
      if (reply.delayMs) await sleep(reply.delayMs);
    }
    if (reply.dieAfterChunks !== undefined && reply.dieAfterChunks >= reply.chunks.length) {
      res.socket?.destroy();
      return;
    }
    res.end();
    return;
  }
  const isRaw = typeof reply.body === 'string' || reply.body instanceof Uint8Array;
  const payload =
    reply.body === undefined ? '' : isRaw ? (reply.body as string | Uint8Array) : JSON.stringify(reply.body);
  if (!isRaw && reply.body !== undefined) headers['content-type'] ??= 'application/json';
  res.writeHead(reply.status ?? 200, headers);
  res.end(payload);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', () => resolve(Buffer.concat(parts).toString('utf8')));
  });
}

function tryJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Formats SSE frames the way providers send them. */
export function sse(events: Array<{ event?: string; data: unknown }>): string[] {
  return events.map(({ event, data }) => {
    const text = typeof data === 'string' ? data : JSON.stringify(data);
    return event === undefined ? `data: ${text}\n\n` : `event: ${event}\ndata: ${text}\n\n`;
  });
}
