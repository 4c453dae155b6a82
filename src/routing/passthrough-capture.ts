// For a passthrough stream (the upstream's bytes go to the client as they are), what is needed to fail
// over mid-stream without slowing the stream down: the chunks already sent are only kept (no copy, no
// parsing); when the upstream dies they are parsed once, by the dead deployment's own stream parser,
// into the canonical events the client has seen. The continuation is then encoded by the ingress codec,
// replaying those events first (their frames dropped) so it carries the same ids and block numbers.
//
// A chunk may end inside an SSE frame (a codec that forwards raw bytes: Gemini's). What follows must not
// merge with that half frame. For Anthropic Messages the line is ended and the half frame is turned into
// a `ping` event (an `event:` line overrides the type; SDKs skip pings without parsing them) so the
// stream can go on; Anthropic passthrough only gets here from a codec that forwards raw bytes, since with
// a caller that can fail over it forwards whole events (ingress/anthropic-messages/passthrough-by-event.ts).
// Other protocols have no such escape: the stream ends with their error event after a blank line.
import type { ProviderAdapter } from '../core/adapters.ts';
import type { CanonicalRequest } from '../core/canonical.ts';
import type { WireProtocol } from '../core/protocols.ts';
import type { StreamEvent } from '../core/stream-events.ts';

/** beyond this, the stream is not kept and cannot be continued (it ends with an error if it dies) */
const MAX_CAPTURE = 8 * 1024 * 1024;

export class PassthroughCapture {
  private readonly chunks: Array<Uint8Array | string> = [];
  private size = 0;
  overflowed = false;

  push(chunk: Uint8Array | string): void {
    if (this.overflowed) return;
    this.size += chunk.length;
    if (this.size > MAX_CAPTURE) {
      this.overflowed = true;
      this.chunks.length = 0;
      return;
    }
    this.chunks.push(chunk);
  }

  /** The last few characters sent. */
  tail(): string {
    let tail = '';
    for (let i = this.chunks.length - 1; i >= 0 && tail.length < 4; i--) {
      const chunk = this.chunks[i];
      const text =
        typeof chunk === 'string' ? chunk.slice(-4) : Buffer.from(chunk.subarray(-4)).toString('latin1');
      tail = text + tail;
    }
    return tail.slice(-4);
  }

  async *bytes(): AsyncGenerator<Uint8Array> {
    const encoder = new TextEncoder();
    for (const chunk of this.chunks) yield typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
  }
}

export function endsOnFrameBoundary(tail: string): boolean {
  return tail === '' || tail.endsWith('\n\n') || tail.endsWith('\r\r') || tail.endsWith('\r\n\r\n');
}

/** What to write before new frames after `tail`; undefined when the half frame cannot be neutralised. */
export function resyncAfter(protocol: WireProtocol, tail: string): string | undefined {
  if (endsOnFrameBoundary(tail)) return '';
  if (protocol !== 'anthropic-messages') return undefined;
  const lineEnded = tail.endsWith('\n') || tail.endsWith('\r');
  return `${lineEnded ? '' : '\n'}event: ping\n\n`;
}

/** Separates an error frame from a half-written one (the half frame then fails to parse on its own). */
export function separatorAfter(protocol: WireProtocol, tail: string): string {
  if (endsOnFrameBoundary(tail)) return '';
  return protocol === 'gemini' ? '\r\n\r\n' : '\n\n';
}

/** The canonical events the client has received, recovered from the bytes it was sent. */
export async function recoverEvents(
  adapter: ProviderAdapter,
  capture: PassthroughCapture,
  request: CanonicalRequest,
): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of adapter.parseStream(capture.bytes(), request)) {
    if (event.type === 'error' || event.type === 'response-end') break;
    if (event.type !== 'usage') events.push(event);
  }
  return events;
}
