// Canonical StreamEvents → Anthropic Messages SSE frames, in the order the Anthropic SDKs expect:
// message_start, ping, (content_block_start, content_block_delta*, content_block_stop)*, message_delta,
// message_stop — or an `error` event, after which nothing follows.
import type { EncodeContext } from '../../core/adapters.ts';
import type { Usage } from '../../core/canonical.ts';
import { GatewayError, isGatewayError } from '../../core/errors.ts';
import type { StreamEvent } from '../../core/stream-events.ts';
import { sseFrame } from '../../transport/sse.ts';
import { errorBody } from './encode-error.ts';
import { messageId } from './encode-response.ts';
import { isForeign, wrapCallSignature, wrapToken } from './foreign-signature.ts';
import { mapStopReason } from './map-stop-reason.ts';
import { encodeUsage } from './map-usage.ts';

type BlockKind = 'text' | 'thinking' | 'redacted_thinking' | 'tool_use';

interface Block {
  /** Anthropic index: blocks are numbered in the order they start */
  index: number;
  kind: BlockKind;
  open: boolean;
}

type Payload = { type: string } & Record<string, unknown>;

function frame(payload: Payload): string {
  return sseFrame(JSON.stringify(payload), payload.type);
}

/** One stream's state: one handler per event type, each returning the frames to send. */
export class AnthropicStreamEncoder {
  finished = false;
  private started = false;
  private nextIndex = 0;
  /** canonical block index → Anthropic block */
  private readonly blocks = new Map<number, Block>();
  private usage: Usage | undefined;
  private readonly context: EncodeContext;

  constructor(context: EncodeContext) {
    this.context = context;
  }

  handle(event: StreamEvent): string[] {
    if (this.finished) return [];
    switch (event.type) {
      case 'response-start':
        return this.start(event.id, event.model);
      case 'text-delta':
        return this.delta(event.index, 'text', { type: 'text_delta', text: event.delta });
      case 'reasoning-delta':
        return this.delta(event.index, 'thinking', { type: 'thinking_delta', thinking: event.delta });
      case 'reasoning-signature':
        return this.signature(event.index, wrapForeign(event));
      case 'tool-call-start':
        return this.toolStart(event.index, event.id, event.name, event.signature);
      case 'tool-call-delta':
        return this.delta(event.index, 'tool_use', {
          type: 'input_json_delta',
          partial_json: event.argumentsDelta,
        });
      case 'block-end':
        return this.blockEnd(event.index);
      case 'usage':
        this.usage = event.usage;
        return [];
      case 'response-end':
        return this.end(event.finishReason, event.rawFinishReason, event.usage);
      case 'error':
        return this.fail(event.error);
    }
  }

  /** Ends the stream with an Anthropic `error` event (no message_stop follows). */
  fail(error: unknown): string[] {
    if (this.finished) return [];
    this.finished = true;
    return [frame({ ...errorBody(asGatewayError(error)) })];
  }

  private start(id: string | undefined, model: string | undefined): string[] {
    if (this.started) return [];
    this.started = true;
    const message = {
      id: messageId(id, this.context.requestId),
      type: 'message',
      role: 'assistant',
      model: model || this.context.requestedModel,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      // Usage is not known yet; message_delta carries the real numbers.
      usage: encodeUsage(undefined),
    };
    return [frame({ type: 'message_start', message }), frame({ type: 'ping' })];
  }

  private delta(canonicalIndex: number, kind: BlockKind, delta: Payload): string[] {
    const frames = this.ensureBlock(canonicalIndex, kind);
    const block = this.blocks.get(canonicalIndex)!;
    frames.push(frame({ type: 'content_block_delta', index: block.index, delta }));
    return frames;
  }

  private signature(canonicalIndex: number, { signature, redactedData }: SignatureEvent): string[] {
    const current = this.blocks.get(canonicalIndex);
    if (redactedData !== undefined && !current?.open) {
      return this.ensureBlock(canonicalIndex, 'redacted_thinking', {
        type: 'redacted_thinking',
        data: redactedData,
      });
    }
    if (signature === '') return this.ensureBlock(canonicalIndex, 'thinking');
    return this.delta(canonicalIndex, 'thinking', { type: 'signature_delta', signature });
  }

  private toolStart(canonicalIndex: number, id: string, name: string, signature?: string): string[] {
    const frames = signature ? this.callSignatureBlock(id, signature) : [];
    frames.push(...this.ensureBlock(canonicalIndex, 'tool_use', { type: 'tool_use', id, name, input: {} }));
    return frames;
  }

  /** A call's own signature (Gemini) rides in an empty thinking block of its own, just before the call. */
  private callSignatureBlock(callId: string, signature: string): string[] {
    const frames = this.started ? [] : this.start(undefined, undefined);
    const index = this.nextIndex++;
    const wrapped = wrapCallSignature(callId, signature);
    frames.push(
      frame({ type: 'content_block_start', index, content_block: emptyBlock('thinking') }),
      frame({ type: 'content_block_delta', index, delta: { type: 'signature_delta', signature: wrapped } }),
      frame({ type: 'content_block_stop', index }),
    );
    return frames;
  }

  /** Opens the block for this canonical index unless it is already open with the same kind. */
  private ensureBlock(canonicalIndex: number, kind: BlockKind, contentBlock?: Payload): string[] {
    const frames = this.started ? [] : this.start(undefined, undefined);
    const current = this.blocks.get(canonicalIndex);
    if (current?.open && current.kind === kind) return frames;
    if (current?.open) frames.push(...this.blockEnd(canonicalIndex));
    const block: Block = { index: this.nextIndex++, kind, open: true };
    this.blocks.set(canonicalIndex, block);
    const content_block = contentBlock ?? emptyBlock(kind);
    frames.push(frame({ type: 'content_block_start', index: block.index, content_block }));
    return frames;
  }

  private blockEnd(canonicalIndex: number): string[] {
    const block = this.blocks.get(canonicalIndex);
    if (!block?.open) return [];
    block.open = false;
    return [frame({ type: 'content_block_stop', index: block.index })];
  }

  private end(
    reason: Parameters<typeof mapStopReason>[0],
    raw: string | undefined,
    usage: Usage | undefined,
  ): string[] {
    const frames = this.started ? [] : this.start(undefined, undefined);
    const open = [...this.blocks.entries()]
      .filter(([, b]) => b.open)
      .sort(([, a], [, b]) => a.index - b.index);
    for (const [canonicalIndex] of open) frames.push(...this.blockEnd(canonicalIndex));
    frames.push(
      frame({
        type: 'message_delta',
        delta: { stop_reason: mapStopReason(reason, raw), stop_sequence: null },
        usage: encodeUsage(usage ?? this.usage),
      }),
      frame({ type: 'message_stop' }),
    );
    this.finished = true;
    return frames;
  }
}

type SignatureEvent = { signature: string; redactedData?: string; signatureProtocol?: string };

/** Tokens another protocol issued go out wrapped, so they can find their way back (foreign-signature.ts). */
function wrapForeign(event: SignatureEvent): SignatureEvent {
  const protocol = event.signatureProtocol;
  if (!isForeign(protocol)) return event;
  if (event.redactedData !== undefined) {
    return { signature: '', redactedData: wrapToken({ protocol, redactedData: event.redactedData }) };
  }
  return { signature: event.signature && wrapToken({ protocol, signature: event.signature }) };
}

function emptyBlock(kind: BlockKind): Payload {
  switch (kind) {
    case 'text':
      return { type: 'text', text: '' };
    case 'thinking':
      return { type: 'thinking', thinking: '', signature: '' };
    case 'redacted_thinking':
      return { type: 'redacted_thinking', data: '' };
    case 'tool_use':
      // A delta without its tool-call-start: the provider broke the contract; keep the arguments anyway.
      return { type: 'tool_use', id: '', name: '', input: {} };
  }
}

function asGatewayError(error: unknown): GatewayError {
  if (isGatewayError(error)) return error;
  return new GatewayError('upstream_stream_broken', 'The response stream failed', { cause: error });
}

export async function* encodeStream(
  events: AsyncIterable<StreamEvent>,
  context: EncodeContext,
): AsyncGenerator<string> {
  const encoder = new AnthropicStreamEncoder(context);
  const iterator = events[Symbol.asyncIterator]();
  let exhausted = false;
  try {
    while (!encoder.finished) {
      let result: IteratorResult<StreamEvent>;
      try {
        result = await iterator.next();
      } catch (error) {
        exhausted = true;
        yield* encoder.fail(error);
        return;
      }
      if (result.done) {
        exhausted = true;
        const broken = new GatewayError(
          'upstream_stream_broken',
          'The upstream stream ended before the response was complete',
        );
        yield* encoder.fail(broken);
        return;
      }
      yield* encoder.handle(result.value);
    }
  } finally {
    // Stopped early (response-end seen, or the client went away): let the upstream clean up.
    if (!exhausted) await iterator.return?.()?.catch(() => undefined);
  }
}
