import type { EncodeContext } from '../../core/adapters.ts';
import type { FinishReason, Usage } from '../../core/canonical.ts';
import { GatewayError, isGatewayError } from '../../core/errors.ts';
import type { StreamEvent } from '../../core/stream-events.ts';
import { encodeGeminiError } from './encode-error.ts';
import { functionCallPart, geminiSignature } from './encode-parts.ts';
import { toGeminiFinishReason } from './map-finish-reason.ts';
import { toUsageMetadata } from './usage-metadata.ts';
import type { GeminiErrorBody, GeminiGenerateContentResponse, GeminiPart } from './wire-types.ts';

export type GeminiStreamChunk = GeminiGenerateContentResponse | GeminiErrorBody;

type Block =
  | { kind: 'text' }
  | { kind: 'reasoning'; hasText: boolean; signature?: string }
  | { kind: 'tool'; name: string; args: string; signature?: string };

/**
 * Canonical stream events → Gemini stream chunks. Text and thought deltas go out as they come; a tool call
 * goes out whole when its block ends (Gemini never splits a functionCall); finishReason and usageMetadata
 * ride on a last chunk; an error (or a stream that stops without finishing) ends with a Google error body.
 */
class ChunkEncoder {
  private id: string;
  private model: string;
  private usage?: Usage;
  private readonly blocks = new Map<number, Block>();
  done = false;

  constructor(context: EncodeContext) {
    this.id = context.requestId;
    this.model = context.requestedModel;
  }

  handle(event: StreamEvent): GeminiStreamChunk[] {
    switch (event.type) {
      case 'response-start':
        if (event.id) this.id = event.id;
        if (event.model) this.model = event.model;
        return [];
      case 'text-delta':
        this.blocks.set(event.index, { kind: 'text' });
        return event.delta === '' ? [] : [this.chunk([{ text: event.delta }])];
      case 'reasoning-delta':
        return this.onReasoningDelta(event.index, event.delta);
      case 'reasoning-signature':
        this.reasoningBlock(event.index).signature = geminiSignature(event);
        return [];
      case 'tool-call-start':
        this.blocks.set(event.index, {
          kind: 'tool',
          name: event.name,
          args: '',
          signature: event.signature,
        });
        return [];
      case 'tool-call-delta':
        return this.onToolDelta(event.index, event.argumentsDelta);
      case 'block-end':
        return this.closeBlock(event.index);
      case 'usage':
        this.usage = event.usage;
        return [];
      case 'response-end':
        return this.finish(event.finishReason, event.rawFinishReason, event.usage);
      case 'error':
        return [this.fail(event.error)];
    }
  }

  private onReasoningDelta(index: number, delta: string): GeminiStreamChunk[] {
    if (delta === '') return [];
    this.reasoningBlock(index).hasText = true;
    return [this.chunk([{ text: delta, thought: true }])];
  }

  private onToolDelta(index: number, delta: string): GeminiStreamChunk[] {
    const block = this.blocks.get(index);
    if (block?.kind === 'tool') block.args += delta;
    return [];
  }

  private reasoningBlock(index: number): Extract<Block, { kind: 'reasoning' }> {
    const block = this.blocks.get(index);
    if (block?.kind === 'reasoning') return block;
    const fresh: Block = { kind: 'reasoning', hasText: false };
    this.blocks.set(index, fresh);
    return fresh;
  }

  private closeBlock(index: number): GeminiStreamChunk[] {
    const block = this.blocks.get(index);
    this.blocks.delete(index);
    if (block?.kind === 'tool')
      return [this.chunk([functionCallPart(block.name, block.args, block.signature)])];
    if (block?.kind === 'reasoning' && block.signature) {
      const part: GeminiPart = block.hasText
        ? { text: '', thought: true, thoughtSignature: block.signature }
        : { text: '', thoughtSignature: block.signature };
      return [this.chunk([part])];
    }
    return [];
  }

  private finish(reason: FinishReason, raw?: string, usage?: Usage): GeminiStreamChunk[] {
    const open = [...this.blocks.keys()].flatMap((index) => this.closeBlock(index));
    const finalUsage = usage ?? this.usage;
    this.done = true;
    const last: GeminiGenerateContentResponse = {
      candidates: [
        {
          content: { parts: [{ text: '' }], role: 'model' },
          finishReason: toGeminiFinishReason(reason, raw),
          index: 0,
        },
      ],
      ...(finalUsage ? { usageMetadata: toUsageMetadata(finalUsage) } : {}),
      modelVersion: this.model,
      responseId: this.id,
    };
    return [...open, last];
  }

  fail(error: unknown): GeminiErrorBody {
    this.done = true;
    const gatewayError = isGatewayError(error)
      ? error
      : new GatewayError('upstream_stream_broken', 'The response stream failed before the model finished');
    return encodeGeminiError(gatewayError).body;
  }

  private chunk(parts: GeminiPart[]): GeminiGenerateContentResponse {
    return {
      candidates: [{ content: { parts, role: 'model' }, index: 0 }],
      modelVersion: this.model,
      responseId: this.id,
    };
  }
}

/** Yields the Gemini chunks for a canonical stream; always ends with a finish chunk or an error body. */
export async function* geminiStreamChunks(
  events: AsyncIterable<StreamEvent>,
  context: EncodeContext,
): AsyncGenerator<GeminiStreamChunk> {
  const encoder = new ChunkEncoder(context);
  try {
    for await (const event of events) {
      yield* encoder.handle(event);
      if (encoder.done) return;
    }
  } catch (error) {
    yield encoder.fail(error);
    return;
  }
  yield encoder.fail(
    new GatewayError('upstream_stream_broken', 'The response stream ended before the model finished'),
  );
}
