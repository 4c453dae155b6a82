// An Anthropic Messages SSE stream → canonical StreamEvents. One handler per Anthropic event type.
import type { CanonicalRequest } from '../../core/canonical.ts';
import { GatewayError } from '../../core/errors.ts';
import type { StreamEvent } from '../../core/stream-events.ts';
import { parseSse } from '../../transport/sse.ts';
import { ANTHROPIC_PROTOCOL } from './convert-content.ts';
import { jsonToolName } from './json-tool.ts';
import { anthropicBodyError, anthropicStreamError } from './map-error.ts';
import { finishReasonWithJsonTool } from './map-finish-reason.ts';
import { mapAnthropicUsage, mergeAnthropicUsage } from './map-usage.ts';
import type { AnthropicUsage } from './wire-types.ts';

/** `json`: the forced JSON-output tool, streamed as text. `skip`: blocks with no canonical home. */
type BlockKind = 'text' | 'reasoning' | 'tool' | 'json' | 'skip';

interface BlockState {
  kind: BlockKind;
  /** canonical index, given when the block's first event is emitted */
  index?: number;
  sawInput: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: wire payloads are read defensively field by field
type Payload = Record<string, any>;

export interface AnthropicStreamOptions {
  provider?: string;
}

export class AnthropicStreamParser {
  done = false;
  private readonly blocks = new Map<number, BlockState>();
  private nextIndex = 0;
  private started = false;
  private usage: AnthropicUsage = {};
  private stopReason: string | undefined;
  private sawRealToolCall = false;
  private readonly jsonTool: string | undefined;
  private readonly provider: string | undefined;

  constructor(jsonTool: string | undefined, provider?: string) {
    this.jsonTool = jsonTool;
    this.provider = provider;
  }

  handle(type: string, payload: Payload): StreamEvent[] {
    switch (type) {
      case 'message_start':
        return this.onMessageStart(payload);
      case 'content_block_start':
        return this.onBlockStart(payload);
      case 'content_block_delta':
        return this.onBlockDelta(payload);
      case 'content_block_stop':
        return this.onBlockStop(payload);
      case 'message_delta':
        return this.onMessageDelta(payload);
      case 'message_stop':
        return this.onMessageStop();
      case 'error':
        return this.fail(anthropicStreamError(payload, this.provider));
      default:
        // ping and event types newer than this parser
        return [];
    }
  }

  /** The stream ended without `message_stop` or `error`. */
  broken(reason: string): StreamEvent[] {
    return this.fail(new GatewayError('upstream_stream_broken', reason, { provider: this.provider }));
  }

  private onMessageStart(payload: Payload): StreamEvent[] {
    const message = payload.message ?? {};
    this.started = true;
    this.usage = mergeAnthropicUsage({}, message.usage);
    return [{ type: 'response-start', id: String(message.id ?? ''), model: String(message.model ?? '') }];
  }

  private onBlockStart(payload: Payload): StreamEvent[] {
    const block: Payload = payload.content_block ?? {};
    const state: BlockState = { kind: 'skip', sawInput: false };
    this.blocks.set(payload.index, state);
    if (block.type === 'text') {
      state.kind = 'text';
      return block.text ? [{ type: 'text-delta', index: this.indexOf(state), delta: block.text }] : [];
    }
    if (block.type === 'thinking') {
      state.kind = 'reasoning';
      const events: StreamEvent[] = [];
      if (block.thinking)
        events.push({ type: 'reasoning-delta', index: this.indexOf(state), delta: block.thinking });
      if (block.signature) {
        events.push({
          type: 'reasoning-signature',
          index: this.indexOf(state),
          signature: block.signature,
          signatureProtocol: ANTHROPIC_PROTOCOL,
        });
      }
      return events;
    }
    if (block.type === 'redacted_thinking') {
      state.kind = 'reasoning';
      return [
        {
          type: 'reasoning-signature',
          index: this.indexOf(state),
          signature: '',
          redactedData: block.data,
          signatureProtocol: ANTHROPIC_PROTOCOL,
        },
      ];
    }
    if (block.type === 'tool_use') {
      if (block.name === this.jsonTool) {
        state.kind = 'json';
        return [];
      }
      state.kind = 'tool';
      this.sawRealToolCall = true;
      return [{ type: 'tool-call-start', index: this.indexOf(state), id: block.id, name: block.name }];
    }
    return [];
  }

  private onBlockDelta(payload: Payload): StreamEvent[] {
    const state = this.blocks.get(payload.index);
    const delta: Payload = payload.delta ?? {};
    if (!state) return [];
    if (delta.type === 'text_delta' && state.kind === 'text' && delta.text) {
      return [{ type: 'text-delta', index: this.indexOf(state), delta: delta.text }];
    }
    if (delta.type === 'thinking_delta' && state.kind === 'reasoning' && delta.thinking) {
      return [{ type: 'reasoning-delta', index: this.indexOf(state), delta: delta.thinking }];
    }
    if (delta.type === 'signature_delta' && state.kind === 'reasoning') {
      return [
        {
          type: 'reasoning-signature',
          index: this.indexOf(state),
          signature: delta.signature,
          signatureProtocol: ANTHROPIC_PROTOCOL,
        },
      ];
    }
    if (delta.type === 'input_json_delta' && delta.partial_json) {
      state.sawInput = true;
      if (state.kind === 'tool') {
        return [{ type: 'tool-call-delta', index: this.indexOf(state), argumentsDelta: delta.partial_json }];
      }
      if (state.kind === 'json')
        return [{ type: 'text-delta', index: this.indexOf(state), delta: delta.partial_json }];
    }
    // citations_delta and deltas of skipped blocks have no canonical event
    return [];
  }

  private onBlockStop(payload: Payload): StreamEvent[] {
    const state = this.blocks.get(payload.index);
    if (!state) return [];
    const events: StreamEvent[] = [];
    // a tool called without arguments streams only "" → its input is {}
    if (state.kind === 'tool' && !state.sawInput) {
      events.push({ type: 'tool-call-delta', index: this.indexOf(state), argumentsDelta: '{}' });
    }
    if (state.kind === 'json' && !state.sawInput) {
      events.push({ type: 'text-delta', index: this.indexOf(state), delta: '{}' });
    }
    if (state.index !== undefined) events.push({ type: 'block-end', index: state.index });
    return events;
  }

  private onMessageDelta(payload: Payload): StreamEvent[] {
    if (payload.delta?.stop_reason) this.stopReason = payload.delta.stop_reason;
    this.usage = mergeAnthropicUsage(this.usage, payload.usage);
    return [];
  }

  private onMessageStop(): StreamEvent[] {
    this.done = true;
    const jsonToolOnly = this.jsonTool !== undefined && !this.sawRealToolCall;
    const end: StreamEvent = {
      type: 'response-end',
      finishReason: finishReasonWithJsonTool(this.stopReason, jsonToolOnly),
      usage: mapAnthropicUsage(this.usage),
    };
    if (this.stopReason !== undefined) end.rawFinishReason = this.stopReason;
    return [end];
  }

  /** Ends the stream with an error; usage seen so far goes first so partial usage is still recorded. */
  fail(error: GatewayError): StreamEvent[] {
    this.done = true;
    const events: StreamEvent[] = [];
    if (this.started) events.push({ type: 'usage', usage: mapAnthropicUsage(this.usage) });
    events.push({ type: 'error', error });
    return events;
  }

  private indexOf(state: BlockState): number {
    state.index ??= this.nextIndex++;
    return state.index;
  }
}

/** Reads the body, turning a read failure into a recorded value so the stream can end with an event. */
async function* readBody(
  body: AsyncIterable<Uint8Array>,
  failed: { error?: unknown },
): AsyncGenerator<Uint8Array> {
  try {
    yield* body;
  } catch (error) {
    failed.error = error;
  }
}

export async function* parseAnthropicStream(
  body: AsyncIterable<Uint8Array>,
  request: CanonicalRequest,
  options: AnthropicStreamOptions = {},
): AsyncGenerator<StreamEvent> {
  const parser = new AnthropicStreamParser(jsonToolName(request), options.provider);
  const failed: { error?: unknown } = {};
  for await (const message of parseSse(readBody(body, failed))) {
    let payload: Payload;
    try {
      payload = JSON.parse(message.data);
    } catch {
      yield* parser.broken('Anthropic sent a stream event that is not JSON');
      return;
    }
    yield* parser.handle(message.event ?? String(payload?.type), payload ?? {});
    if (parser.done) return;
  }
  if (failed.error !== undefined) {
    const failure = anthropicBodyError(failed.error, options.provider);
    if (!failure) throw failed.error;
    yield* parser.fail(failure);
    return;
  }
  yield* parser.broken('Anthropic stream ended before message_stop');
}
