// Fakes for AWS Bedrock Converse: real binary event-stream frames (via @smithy/eventstream-codec),
// Converse JSON replies, HTTP errors, and a SigV4 check of a recorded request.
import { EventStreamCodec, type MessageHeaders } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { AwsV4Signer } from 'aws4fetch';
import type { RecordedRequest, ScriptedReply } from './fake-server.ts';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

export const EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';

/** A decoded ConverseStream event, in the shape of the protocol fixtures: `:event-type` + JSON payload. */
export interface ConverseStreamEvent {
  'event-type': string;
  payload: Record<string, unknown>;
}

export interface FrameOptions {
  /** Bedrock adds a random-length padding field `p` to every payload; false leaves it out */
  padding?: string | false;
}

const DEFAULT_PADDING = 'abcdefghijklmnopqrstuvwxyz';

function stringHeaders(values: Record<string, string>): MessageHeaders {
  const headers: MessageHeaders = {};
  for (const [name, value] of Object.entries(values)) headers[name] = { type: 'string', value };
  return headers;
}

/** One `:message-type event` frame, as Bedrock sends it. */
export function encodeEventFrame(
  eventType: string,
  payload: Record<string, unknown>,
  options: FrameOptions = {},
): Uint8Array {
  const padding = options.padding === undefined ? DEFAULT_PADDING : options.padding;
  const body = padding === false ? payload : { ...payload, p: padding };
  return codec.encode({
    headers: stringHeaders({
      ':event-type': eventType,
      ':content-type': 'application/json',
      ':message-type': 'event',
    }),
    body: fromUtf8(JSON.stringify(body)),
  });
}

/** An exception frame (`throttlingException`, `modelStreamErrorException`, …) with `{message}`. */
export function encodeExceptionFrame(exceptionType: string, message: string): Uint8Array {
  return codec.encode({
    headers: stringHeaders({
      ':exception-type': exceptionType,
      ':content-type': 'application/json',
      ':message-type': 'exception',
    }),
    body: fromUtf8(JSON.stringify({ message })),
  });
}

/** A `:message-type error` frame (code and message in headers, empty body). */
export function encodeErrorFrame(errorCode: string, errorMessage: string): Uint8Array {
  return codec.encode({
    headers: stringHeaders({
      ':message-type': 'error',
      ':error-code': errorCode,
      ':error-message': errorMessage,
    }),
    body: new Uint8Array(0),
  });
}

/** One frame per event. */
export function encodeConverseStream(
  events: ConverseStreamEvent[],
  options: FrameOptions = {},
): Uint8Array[] {
  return events.map((event) => encodeEventFrame(event['event-type'], event.payload, options));
}

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** A ConverseStream reply for the fake server: each frame written as one chunk (unless `chunks` is set). */
export function converseStreamReply(
  frames: Uint8Array[],
  options: Omit<ScriptedReply, 'chunks' | 'body'> = {},
): ScriptedReply {
  return {
    ...options,
    headers: { 'content-type': EVENT_STREAM_CONTENT_TYPE, ...options.headers },
    chunks: frames,
  };
}

export interface ConverseResponseInput {
  content: Array<Record<string, unknown>>;
  stopReason?: string;
  usage?: {
    inputTokens: number;
    outputTokens: number;
    cacheReadInputTokens?: number;
    cacheWriteInputTokens?: number;
  };
  latencyMs?: number;
}

/** A Converse JSON reply body. */
export function converseResponse(input: ConverseResponseInput): Record<string, unknown> {
  const usage = input.usage ?? { inputTokens: 10, outputTokens: 5 };
  const total =
    usage.inputTokens +
    usage.outputTokens +
    (usage.cacheReadInputTokens ?? 0) +
    (usage.cacheWriteInputTokens ?? 0);
  return {
    metrics: { latencyMs: input.latencyMs ?? 321 },
    output: { message: { role: 'assistant', content: input.content } },
    stopReason: input.stopReason ?? 'end_turn',
    usage: { ...usage, totalTokens: total },
  };
}

export function converseJsonReply(input: ConverseResponseInput): ScriptedReply {
  return { status: 200, headers: { 'x-amzn-requestid': 'fake-request-id' }, body: converseResponse(input) };
}

/** An HTTP error as Bedrock sends it: `{message}` plus the `x-amzn-errortype` header. */
export function bedrockErrorReply(
  status: number,
  errorType: string,
  message: string,
  headers: Record<string, string> = {},
): ScriptedReply {
  return {
    status,
    headers: {
      'x-amzn-errortype': `${errorType}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
      ...headers,
    },
    body: { message },
  };
}

export interface SigV4Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SigV4Check {
  valid: boolean;
  reason?: string;
  /** authorization recomputed from the recorded request */
  expected?: string;
  received?: string;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=[0-9a-f]{64}$/;

/**
 * Recomputes the SigV4 signature of a request the fake server recorded (same method, raw path, signed
 * headers, body and x-amz-date; region and service from the credential scope) and compares it.
 */
export async function verifySigV4(
  request: RecordedRequest,
  credentials: SigV4Credentials,
): Promise<SigV4Check> {
  const received = single(request.headers.authorization);
  const amzDate = single(request.headers['x-amz-date']);
  if (!received || !amzDate) return { valid: false, reason: 'authorization or x-amz-date missing', received };
  const match = AUTHORIZATION.exec(received);
  if (!match) return { valid: false, reason: 'authorization is not AWS4-HMAC-SHA256', received };
  const [, accessKeyId, , region, service, signedHeaders] = match;
  if (accessKeyId !== credentials.accessKeyId)
    return { valid: false, reason: 'wrong access key id', received };
  if (
    credentials.sessionToken &&
    single(request.headers['x-amz-security-token']) !== credentials.sessionToken
  ) {
    return { valid: false, reason: 'x-amz-security-token missing or wrong', received };
  }
  const headers: Record<string, string> = {};
  for (const name of signedHeaders.split(';')) {
    if (name === 'host' || name === 'x-amz-date' || name === 'x-amz-security-token') continue;
    headers[name] = single(request.headers[name]) ?? '';
  }
  const signer = new AwsV4Signer({
    method: request.method,
    url: `http://${single(request.headers.host)}${request.url}`,
    headers,
    body: request.body,
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    sessionToken: credentials.sessionToken,
    service,
    region,
    datetime: amzDate,
    allHeaders: true,
  });
  const expected = (await signer.sign()).headers.get('authorization') ?? '';
  return expected === received
    ? { valid: true, expected, received }
    : { valid: false, reason: 'signature mismatch', expected, received };
}
