// Gemini streamGenerateContent?alt=sse → canonical stream events.
// Every SSE `data:` frame is a whole GenerateContentResponse holding only the new parts. A text (or
// thought) block continues across chunks until another kind of part starts or a text part carries a
// thoughtSignature (that signature gets a reasoning block of its own, see onText). Function calls usually
// arrive whole (start + one delta with all arguments + end); Vertex may stream them as partialArgs.
// usageMetadata is cumulative (the last one wins); finishReason arrives on the last chunk; the stream
// ends without a terminator, so an end without finishReason is a broken stream.
import type { CanonicalRequest, Usage } from '../../core/canonical.ts';
import { GatewayError } from '../../core/errors.ts';
import type { StreamEvent } from '../../core/stream-events.ts';
import { parseSse } from '../../transport/sse.ts';
import { errorFromGoogleBody } from './map-error.ts';
import { mapFinishReason } from './map-finish-reason.ts';
import { mapUsage } from './map-usage.ts';
import { createdSeconds, type ParseOptions } from './parse-response.ts';
import { PartialArgsWriter } from './partial-args.ts';
import { newToolCallId } from './tool-call-id.ts';
import type { GeminiFunctionCall, GeminiGenerateContentResponse, GeminiPart } from './wire-types.ts';

type BlockKind = 'text' | 'reasoning' | 'tool';

class GeminiStreamState {
  private readonly model: string;
  private readonly newId: () => string;
  private started = false;
  private nextIndex = 0;
  private open: { kind: BlockKind; index: number } | undefined;
  /** arguments of a function call Vertex is streaming by partialArgs */
  private args: PartialArgsWriter | undefined;
  private hasToolCalls = false;
  private finishReason: string | undefined;
  private blocked = false;
  private usage: Usage | undefined;

  constructor(model: string, newId: () => string) {
    this.model = model;
    this.newId = newId;
  }

  *onChunk(chunk: GeminiGenerateContentResponse): Generator<StreamEvent> {
    if (!this.started) {
      this.started = true;
      const created = createdSeconds(chunk.createTime);
      const start: StreamEvent = {
        type: 'response-start',
        id: chunk.responseId ?? '',
        model: chunk.modelVersion ?? this.model,
      };
      yield created === undefined ? start : { ...start, created };
    }
    this.usage = mapUsage(chunk.usageMetadata) ?? this.usage;
    const candidate = chunk.candidates?.find((item) => (item.index ?? 0) === 0);
    for (const part of candidate?.content?.parts ?? []) yield* this.onPart(part);
    if (candidate?.finishReason) this.finishReason = candidate.finishReason;
    else if (!candidate && chunk.promptFeedback?.blockReason) {
      this.finishReason = chunk.promptFeedback.blockReason;
      this.blocked = true;
    }
  }

  *finish(): Generator<StreamEvent> {
    if (this.finishReason === undefined) {
      if (this.usage) yield { type: 'usage', usage: this.usage };
      yield { type: 'error', error: brokenStream('Gemini stream ended without a finishReason') };
      return;
    }
    yield* this.closeOpen();
    if (this.usage) yield { type: 'usage', usage: this.usage };
    yield {
      type: 'response-end',
      finishReason: this.blocked ? 'content-filter' : mapFinishReason(this.finishReason, this.hasToolCalls),
      rawFinishReason: this.finishReason,
      usage: this.usage,
    };
  }

  private *onPart(part: GeminiPart): Generator<StreamEvent> {
    if (part.functionCall) yield* this.onFunctionCall(part.functionCall, part.thoughtSignature);
    else if (part.thought && typeof part.text === 'string') yield* this.onThought(part);
    else if (typeof part.text === 'string') yield* this.onText(part.text, part.thoughtSignature);
  }

  /**
   * A signature on a plain text part goes in a reasoning block of its own holding only the signature,
   * just before the text (as parse-response.ts puts it); text after it starts a new text block.
   */
  private *onText(text: string, signature: string | undefined): Generator<StreamEvent> {
    if (signature) {
      yield* this.closeOpen();
      const index = this.nextIndex++;
      yield { type: 'reasoning-signature', index, signature, signatureProtocol: 'gemini' };
      yield { type: 'block-end', index };
    }
    if (text === '') return;
    const index = yield* this.ensureBlock('text');
    yield { type: 'text-delta', index, delta: text };
  }

  private *onThought(part: GeminiPart): Generator<StreamEvent> {
    const index = yield* this.ensureBlock('reasoning');
    if (part.text) yield { type: 'reasoning-delta', index, delta: part.text };
    if (part.thoughtSignature) {
      yield {
        type: 'reasoning-signature',
        index,
        signature: part.thoughtSignature,
        signatureProtocol: 'gemini',
      };
    }
  }

  private *onFunctionCall(call: GeminiFunctionCall, signature: string | undefined): Generator<StreamEvent> {
    if (call.name === undefined) {
      // continuation or end marker (`functionCall: {}`) of a call streamed by partialArgs
      if (this.args && this.open) yield* this.continueCall(call, this.args, this.open.index);
      return;
    }
    yield* this.closeOpen();
    const index = this.nextIndex++;
    this.hasToolCalls = true;
    const start: StreamEvent = {
      type: 'tool-call-start',
      index,
      id: call.id ?? this.newId(),
      name: call.name,
    };
    yield signature ? { ...start, signature } : start;
    if (call.willContinue === true || call.partialArgs) {
      this.open = { kind: 'tool', index };
      this.args = new PartialArgsWriter();
      yield* this.continueCall(call, this.args, index);
      return;
    }
    yield { type: 'tool-call-delta', index, argumentsDelta: JSON.stringify(call.args ?? {}) };
    yield { type: 'block-end', index };
  }

  private *continueCall(
    call: GeminiFunctionCall,
    args: PartialArgsWriter,
    index: number,
  ): Generator<StreamEvent> {
    const partial = call.partialArgs ?? [];
    const argumentsDelta = args.write(partial);
    if (argumentsDelta) yield { type: 'tool-call-delta', index, argumentsDelta };
    if (call.willContinue !== true && partial.every((arg) => arg.willContinue !== true))
      yield* this.closeOpen();
  }

  private *ensureBlock(kind: BlockKind): Generator<StreamEvent, number> {
    if (this.open?.kind === kind) return this.open.index;
    yield* this.closeOpen();
    this.open = { kind, index: this.nextIndex++ };
    return this.open.index;
  }

  private *closeOpen(): Generator<StreamEvent> {
    if (!this.open) return;
    const { index } = this.open;
    if (this.args) {
      const argumentsDelta = this.args.finish();
      this.args = undefined;
      if (argumentsDelta) yield { type: 'tool-call-delta', index, argumentsDelta };
    }
    this.open = undefined;
    yield { type: 'block-end', index };
  }
}

export async function* parseStream(
  body: AsyncIterable<Uint8Array>,
  request: CanonicalRequest,
  options: ParseOptions = {},
): AsyncGenerator<StreamEvent> {
  const state = new GeminiStreamState(request.model, options.newId ?? newToolCallId);
  try {
    for await (const message of parseSse(body)) {
      if (message.data.trim() === '') continue;
      let chunk: GeminiGenerateContentResponse;
      try {
        chunk = JSON.parse(message.data) as GeminiGenerateContentResponse;
      } catch {
        yield { type: 'error', error: brokenStream('Gemini sent a stream chunk that is not JSON') };
        return;
      }
      if (chunk.error) {
        yield { type: 'error', error: errorFromGoogleBody(chunk.error, chunk.error.code ?? 500) };
        return;
      }
      yield* state.onChunk(chunk);
    }
  } catch (error) {
    if (isAbort(error)) throw error;
    yield { type: 'error', error: interrupted(error) };
    return;
  }
  yield* state.finish();
}

function brokenStream(message: string, cause?: unknown): GatewayError {
  return new GatewayError('upstream_stream_broken', message, { cause });
}

/** An abort was started by the caller (client gone, timeout); it sees it as it is. */
function isAbort(error: unknown): boolean {
  const { name, code } = (error ?? {}) as { name?: string; code?: string };
  return name === 'AbortError' || code === 'UND_ERR_ABORTED' || code === 'ABORT_ERR';
}

function interrupted(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  if ((error as { code?: string } | undefined)?.code === 'UND_ERR_BODY_TIMEOUT') {
    return new GatewayError('upstream_timeout', 'Gemini stream stalled', { cause: error });
  }
  return brokenStream('Gemini connection failed mid-stream', error);
}
