import type { IncomingMessage } from 'node:http';
import { GatewayError } from '../core/errors.ts';

/** Reads the request body up to `limit` bytes; a larger body is refused with a 413 before it is buffered. */
export function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    request.on('data', (part: Buffer) => {
      size += part.length;
      if (size > limit) {
        request.removeAllListeners('data');
        request.resume();
        reject(tooLarge(limit));
        return;
      }
      parts.push(part);
    });
    request.on('end', () => resolve(parts.length === 1 ? parts[0] : Buffer.concat(parts, size)));
    request.on('error', (error) =>
      reject(new GatewayError('client_closed', 'Request body was not received', { cause: error })),
    );
  });
}

function tooLarge(limit: number): GatewayError {
  return new GatewayError('body_too_large', `Request body is larger than the limit of ${limit} bytes`);
}

export function parseJsonBody(buffer: Buffer): Record<string, unknown> {
  if (buffer.length === 0)
    throw new GatewayError('invalid_json', 'Request body is empty; a JSON object is required');
  let value: unknown;
  try {
    value = JSON.parse(buffer.toString('utf8'));
  } catch (error) {
    throw new GatewayError('invalid_json', `Request body is not valid JSON: ${(error as Error).message}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new GatewayError('invalid_json', 'Request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}
