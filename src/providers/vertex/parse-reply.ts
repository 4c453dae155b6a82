// Vertex replies come in two protocols: Gemini for Google models, Anthropic Messages for Claude models.
// The adapter's parse functions get no target, so the reply's own shape says which one it is.
import type { HeaderMap, Target } from '../../core/adapters.ts';
import type { CanonicalRequest, CanonicalResponse } from '../../core/canonical.ts';
import { GatewayError } from '../../core/errors.ts';
import type { StreamEvent } from '../../core/stream-events.ts';
import { parseAnthropicError, parseAnthropicResponse, parseAnthropicStream } from '../anthropic/index.ts';
import {
  errorFromGoogleBody,
  parseGeminiResponse,
  parseGeminiStream,
  readGoogleError,
} from '../gemini/index.ts';

function isAnthropicMessage(body: unknown): boolean {
  return typeof body === 'object' && body !== null && (body as { type?: unknown }).type === 'message';
}

export function parseResponse(body: unknown, request: CanonicalRequest): CanonicalResponse {
  return isAnthropicMessage(body)
    ? parseAnthropicResponse(body, request)
    : parseGeminiResponse(body, request);
}

/**
 * Anthropic streams open with an `event:` line; Gemini's frames are bare `data:` lines. The first
 * bytes are looked at, then replayed to the chosen parser.
 */
export async function* parseStream(
  body: AsyncIterable<Uint8Array>,
  request: CanonicalRequest,
): AsyncGenerator<StreamEvent> {
  const iterator = body[Symbol.asyncIterator]();
  const seen: Uint8Array[] = [];
  const decoder = new TextDecoder();
  let head = '';
  let finished = false;
  try {
    while (head.trimStart().length < 6) {
      const next = await iterator.next();
      if (next.done) {
        finished = true;
        break;
      }
      seen.push(next.value);
      head += decoder.decode(next.value, { stream: true });
    }
  } catch (error) {
    // the connection failed before the first bytes could say which protocol this is
    if (isAbort(error)) throw error;
    yield { type: 'error', error: brokenBeforeStart(error) };
    return;
  }
  const replay = replayThenRest(seen, iterator, finished);
  if (head.trimStart().startsWith('event:')) yield* parseAnthropicStream(replay, request);
  else yield* parseGeminiStream(replay, request);
}

function isAbort(error: unknown): boolean {
  const { name, code } = (error ?? {}) as { name?: string; code?: string };
  return name === 'AbortError' || code === 'UND_ERR_ABORTED' || code === 'ABORT_ERR';
}

function brokenBeforeStart(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  if ((error as { code?: string } | undefined)?.code === 'UND_ERR_BODY_TIMEOUT') {
    return new GatewayError('upstream_timeout', 'Vertex AI stream stalled', { cause: error });
  }
  return new GatewayError('upstream_stream_broken', 'Vertex AI connection failed mid-stream', {
    cause: error,
  });
}

async function* replayThenRest(
  seen: Uint8Array[],
  iterator: AsyncIterator<Uint8Array>,
  finished: boolean,
): AsyncGenerator<Uint8Array> {
  yield* seen;
  if (finished) return;
  while (true) {
    const next = await iterator.next();
    if (next.done) return;
    yield next.value;
  }
}

/** Claude errors from rawPredict are Anthropic-shaped (`{type:'error', error:{type}}`); the rest are Google's. */
export function parseError(status: number, body: string, headers: HeaderMap, target: Target): GatewayError {
  if (isAnthropicErrorBody(body)) return parseAnthropicError(status, body, headers, target.provider.id);
  return errorFromGoogleBody(readGoogleError(body), status, headers, target.provider.id, 'Vertex AI');
}

function isAnthropicErrorBody(body: string): boolean {
  try {
    const parsed = JSON.parse(body) as { type?: unknown; error?: { type?: unknown } };
    return parsed?.type === 'error' && typeof parsed.error?.type === 'string';
  } catch {
    return false;
  }
}
