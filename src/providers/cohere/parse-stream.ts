// Cohere v2 typed SSE events → canonical stream events.
import type { CanonicalRequest, Usage } from '../../core/canonical.ts';
import { GatewayError } from '../../core/errors.ts';
import type { StreamEvent } from '../../core/stream-events.ts';
import { parseSse } from '../../transport/sse.ts';
import { mapFinishReason } from './map-finish-reason.ts';
import { mapUsage } from './map-usage.ts';
import type { CohereV2StreamEvent } from './wire-types.ts';

type Block = { index: number; kind: 'text' | 'reasoning' };
type ToolBlock = { index: number; hasArguments: boolean };

/**
 * One handler per Cohere event type. Blocks are numbered in the order they start: content blocks
 * (text or thinking), the tool plan (as a text block), and each tool call (Cohere's `index` counts
 * tool calls only, so it is mapped to a block index).
 */
class CohereStreamState {
  ended = false;
  private started = false;
  private nextIndex = 0;
  private readonly model: string;
  private readonly content = new Map<number, Block>();
  private readonly tools = new Map<number, ToolBlock>();
  private toolPlan: number | undefined;

  constructor(model: string) {
    this.model = model;
  }

  *onEvent(event: CohereV2StreamEvent, eventName: string): Generator<StreamEvent> {
    if (this.ended) return;
    const type = event.type ?? eventName;
    if (!this.started) yield* this.start(type === 'message-start' ? (event.id ?? '') : '');
    switch (type) {
      case 'content-start':
        return yield* this.onContentStart(event);
      case 'content-delta':
        return yield* this.onContentDelta(event);
      case 'content-end':
        return yield* this.closeContent(event.index ?? 0);
      case 'tool-plan-delta':
        return yield* this.onToolPlanDelta(event);
      case 'tool-call-start':
        return yield* this.onToolCallStart(event);
      case 'tool-call-delta':
        return yield* this.onToolCallDelta(event);
      case 'tool-call-end':
        return yield* this.closeTool(event.index ?? 0);
      case 'message-end':
        return yield* this.onMessageEnd(event);
      // message-start is handled above; citation-start/end and unknown events carry nothing canonical.
    }
  }

  private *start(id: string): Generator<StreamEvent> {
    this.started = true;
    yield { type: 'response-start', id, model: this.model };
  }

  private *onContentStart(event: CohereV2StreamEvent): Generator<StreamEvent> {
    yield* this.closeToolPlan();
    const content = event.delta?.message?.content;
    const block: Block = {
      index: this.nextIndex++,
      kind: content?.type === 'thinking' ? 'reasoning' : 'text',
    };
    this.content.set(event.index ?? 0, block);
    const initial = block.kind === 'reasoning' ? content?.thinking : content?.text;
    if (initial) yield this.delta(block, initial);
  }

  private *onContentDelta(event: CohereV2StreamEvent): Generator<StreamEvent> {
    const content = event.delta?.message?.content;
    const key = event.index ?? 0;
    let block = this.content.get(key);
    if (!block) {
      // A delta without its content-start: open the block it implies.
      block = { index: this.nextIndex++, kind: content?.thinking !== undefined ? 'reasoning' : 'text' };
      this.content.set(key, block);
    }
    const text = block.kind === 'reasoning' ? content?.thinking : content?.text;
    if (text) yield this.delta(block, text);
  }

  private delta(block: Block, text: string): StreamEvent {
    return block.kind === 'reasoning'
      ? { type: 'reasoning-delta', index: block.index, delta: text }
      : { type: 'text-delta', index: block.index, delta: text };
  }

  private *onToolPlanDelta(event: CohereV2StreamEvent): Generator<StreamEvent> {
    const text = event.delta?.message?.tool_plan;
    if (!text) return;
    this.toolPlan ??= this.nextIndex++;
    yield { type: 'text-delta', index: this.toolPlan, delta: text };
  }

  private *onToolCallStart(event: CohereV2StreamEvent): Generator<StreamEvent> {
    yield* this.closeToolPlan();
    const call = event.delta?.message?.tool_calls;
    const tool: ToolBlock = { index: this.nextIndex++, hasArguments: false };
    this.tools.set(event.index ?? this.tools.size, tool);
    yield {
      type: 'tool-call-start',
      index: tool.index,
      id: call?.id ?? '',
      name: call?.function?.name ?? '',
    };
    yield* this.toolArguments(tool, call?.function?.arguments);
  }

  private *onToolCallDelta(event: CohereV2StreamEvent): Generator<StreamEvent> {
    const tool = this.tools.get(event.index ?? 0);
    if (tool) yield* this.toolArguments(tool, event.delta?.message?.tool_calls?.function?.arguments);
  }

  private *toolArguments(tool: ToolBlock, text: string | undefined): Generator<StreamEvent> {
    if (!text) return;
    tool.hasArguments = true;
    yield { type: 'tool-call-delta', index: tool.index, argumentsDelta: text };
  }

  private *onMessageEnd(event: CohereV2StreamEvent): Generator<StreamEvent> {
    yield* this.closeAll();
    this.ended = true;
    const raw = event.delta?.finish_reason;
    const usage: Usage | undefined = mapUsage(event.delta?.usage);
    if (usage) yield { type: 'usage', usage };
    const end: StreamEvent = { type: 'response-end', finishReason: mapFinishReason(raw) };
    if (raw !== undefined) end.rawFinishReason = raw;
    if (usage) end.usage = usage;
    yield end;
  }

  private *closeContent(key: number): Generator<StreamEvent> {
    const block = this.content.get(key);
    if (!block) return;
    this.content.delete(key);
    yield { type: 'block-end', index: block.index };
  }

  private *closeToolPlan(): Generator<StreamEvent> {
    if (this.toolPlan === undefined) return;
    yield { type: 'block-end', index: this.toolPlan };
    this.toolPlan = undefined;
  }

  private *closeTool(key: number): Generator<StreamEvent> {
    const tool = this.tools.get(key);
    if (!tool) return;
    this.tools.delete(key);
    // A call without arguments (Cohere sends "") still gets valid JSON.
    if (!tool.hasArguments) yield { type: 'tool-call-delta', index: tool.index, argumentsDelta: '{}' };
    yield { type: 'block-end', index: tool.index };
  }

  private *closeAll(): Generator<StreamEvent> {
    yield* this.closeToolPlan();
    for (const key of [...this.content.keys()]) yield* this.closeContent(key);
    for (const key of [...this.tools.keys()]) yield* this.closeTool(key);
  }
}

export async function* parseStream(
  body: AsyncIterable<Uint8Array>,
  request: CanonicalRequest,
): AsyncGenerator<StreamEvent> {
  const state = new CohereStreamState(request.model);
  try {
    for await (const message of parseSse(body)) {
      let event: CohereV2StreamEvent;
      try {
        event = JSON.parse(message.data) as CohereV2StreamEvent;
      } catch {
        yield { type: 'error', error: broken('Cohere sent a stream event that is not JSON') };
        return;
      }
      yield* state.onEvent(event, message.event ?? '');
    }
  } catch (error) {
    // After message-end the reply is complete; a connection that fails afterwards changes nothing.
    if (!state.ended) yield { type: 'error', error: streamFailure(error) };
    return;
  }
  if (!state.ended) yield { type: 'error', error: broken('Cohere stream ended before message-end') };
}

function broken(message: string, cause?: unknown): GatewayError {
  return new GatewayError('upstream_stream_broken', message, { provider: 'cohere', cause });
}

function streamFailure(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  if ((error as { name?: string } | undefined)?.name === 'AbortError') {
    return new GatewayError('client_closed', 'Request aborted', { provider: 'cohere', cause: error });
  }
  return broken('Cohere connection failed mid-stream', error);
}
