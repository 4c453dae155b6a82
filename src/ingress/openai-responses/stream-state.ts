import type { EncodeContext } from '../../core/adapters.ts';
import type { FinishReason, Usage } from '../../core/canonical.ts';
import { GatewayError } from '../../core/errors.ts';
import type { StreamEvent } from '../../core/stream-events.ts';
import { sseFrame } from '../../transport/sse.ts';
import type { Json } from './json.ts';
import {
  callSignatureItem,
  functionCallItem,
  itemId,
  messageItem,
  outputText,
  reasoningItem,
  responseId,
  summaryText,
} from './output-items.ts';
import { type ResponseFields, responseError, responseObject, statusFor } from './response-object.ts';

type ItemKind = 'message' | 'function_call' | 'reasoning';

/** One output item being streamed, keyed by the canonical block index. */
interface OpenItem {
  kind: ItemKind;
  outputIndex: number;
  id: string;
  /** message text, reasoning summary text, or function-call arguments so far */
  text: string;
  callId?: string;
  name?: string;
  summaryOpen?: boolean;
  token?: { signature?: string; redactedData?: string; signatureProtocol?: string };
}

const PREFIX: Record<ItemKind, 'msg' | 'fc' | 'rs'> = {
  message: 'msg',
  function_call: 'fc',
  reasoning: 'rs',
};

/**
 * Canonical stream events → Responses API SSE frames. One handler per event type; each call
 * returns the frames it produced. `finished` turns true after the terminal event.
 */
export class ResponsesStreamState {
  finished = false;
  private frames: string[] = [];
  private sequence = 0;
  private id = '';
  private model: string;
  private createdAt = 0;
  private readonly open = new Map<number, OpenItem>();
  private readonly output: Json[] = [];
  private usage?: Usage;

  private readonly context: EncodeContext;

  constructor(context: EncodeContext) {
    this.context = context;
    this.model = context.requestedModel;
  }

  handle(event: StreamEvent): string[] {
    if (event.type === 'response-start') this.start(event.id, event.model, event.created);
    else this.start();
    switch (event.type) {
      case 'text-delta':
        this.onTextDelta(event.index, event.delta);
        break;
      case 'reasoning-delta':
        this.onReasoningDelta(event.index, event.delta);
        break;
      case 'reasoning-signature':
        this.item(event.index, 'reasoning').token = {
          signature: event.signature || undefined,
          redactedData: event.redactedData,
          signatureProtocol: event.signatureProtocol,
        };
        break;
      case 'tool-call-start':
        this.onToolCallStart(event.index, event.id, event.name, event.signature);
        break;
      case 'tool-call-delta':
        this.onToolCallDelta(event.index, event.argumentsDelta);
        break;
      case 'block-end':
        this.close(event.index);
        break;
      case 'usage':
        this.usage = event.usage;
        break;
      case 'response-end':
        this.onEnd(event.finishReason, event.rawFinishReason, event.usage);
        break;
      case 'error':
        this.emitFailure(event.error);
        break;
    }
    return this.flush();
  }

  /** Ends the stream with `error` + `response.failed` (plus any frames still pending). */
  fail(error: GatewayError): string[] {
    this.emitFailure(error);
    return this.flush();
  }

  /** `error` then `response.failed`, whose output keeps what was streamed (open items as incomplete). */
  private emitFailure(error: GatewayError): void {
    this.start();
    for (const item of this.open.values()) this.output[item.outputIndex] = this.snapshot(item, 'incomplete');
    this.open.clear();
    const failure = responseError(error);
    this.emit('error', {
      code: failure.code,
      message: error.message,
      param: error.param ?? null,
      error: { type: error.type, code: failure.code, message: error.message, param: error.param ?? null },
    });
    this.emit('response.failed', { response: this.response({ status: 'failed', error: failure }) });
    this.finished = true;
  }

  private start(id?: string, model?: string, created?: number): void {
    if (this.id) return;
    this.id = responseId(id, this.context.requestId);
    if (model) this.model = model;
    this.createdAt = created ?? Math.floor(Date.now() / 1000);
    const response = this.response({ status: 'in_progress' });
    this.emit('response.created', { response });
    this.emit('response.in_progress', { response });
  }

  private onTextDelta(index: number, delta: string): void {
    const item = this.item(index, 'message');
    item.text += delta;
    this.emit('response.output_text.delta', {
      item_id: item.id,
      output_index: item.outputIndex,
      content_index: 0,
      delta,
      logprobs: [],
    });
  }

  private onReasoningDelta(index: number, delta: string): void {
    const item = this.item(index, 'reasoning');
    if (delta === '') return;
    const where = { item_id: item.id, output_index: item.outputIndex, summary_index: 0 };
    if (!item.summaryOpen) {
      item.summaryOpen = true;
      this.emit('response.reasoning_summary_part.added', { ...where, part: summaryText('') });
    }
    item.text += delta;
    this.emit('response.reasoning_summary_text.delta', { ...where, delta });
  }

  private onToolCallStart(index: number, callId: string, name: string, signature?: string): void {
    if (this.open.has(index)) throw broken(`block ${index} started twice`);
    if (signature) this.callSignature(callId, signature);
    this.item(index, 'function_call', { callId, name });
  }

  /** The reasoning item that carries a function call's own signature, whole, just before the call. */
  private callSignature(callId: string, signature: string): void {
    const outputIndex = this.output.length;
    const done = callSignatureItem(callId, signature);
    this.output.push(done);
    this.emit('response.output_item.added', {
      output_index: outputIndex,
      item: { id: done.id, type: 'reasoning', summary: [] },
    });
    this.emit('response.output_item.done', { output_index: outputIndex, item: done });
  }

  private onToolCallDelta(index: number, delta: string): void {
    const item = this.open.get(index);
    if (item?.kind !== 'function_call')
      throw broken(`arguments for block ${index}, which is not an open tool call`);
    item.text += delta;
    this.emit('response.function_call_arguments.delta', {
      item_id: item.id,
      output_index: item.outputIndex,
      delta,
    });
  }

  private onEnd(finishReason: FinishReason, rawFinishReason?: string, usage?: Usage): void {
    for (const index of [...this.open.keys()].sort((a, b) => a - b)) this.close(index);
    if (usage) this.usage = usage;
    const { status, incompleteReason } = statusFor(finishReason);
    if (status === 'failed') {
      this.emitFailure(
        new GatewayError(
          'upstream_error',
          `The model failed to complete the response (${rawFinishReason ?? 'error'})`,
        ),
      );
      return;
    }
    const type = status === 'incomplete' ? 'response.incomplete' : 'response.completed';
    const costUsd = this.usage ? this.context.costUsd?.() : undefined;
    this.emit(type, { response: this.response({ status, incompleteReason, usage: this.usage, costUsd }) });
    this.finished = true;
  }

  /** The open item for a block, opened (output_item.added, content_part.added) on first sight. */
  private item(index: number, kind: ItemKind, call?: { callId: string; name: string }): OpenItem {
    const existing = this.open.get(index);
    if (existing) {
      if (existing.kind !== kind) throw broken(`block ${index} is a ${existing.kind}, not a ${kind}`);
      return existing;
    }
    const outputIndex = this.output.length;
    const item: OpenItem = {
      kind,
      outputIndex,
      id: itemId(PREFIX[kind], this.id, outputIndex),
      text: '',
      ...call,
    };
    this.open.set(index, item);
    this.output.push(this.snapshot(item, 'in_progress'));
    this.emit('response.output_item.added', {
      output_index: outputIndex,
      item: this.snapshot(item, 'in_progress'),
    });
    if (kind === 'message') {
      this.emit('response.content_part.added', { ...this.contentWhere(item), part: outputText('') });
    }
    return item;
  }

  private close(index: number): void {
    const item = this.open.get(index);
    if (!item) return;
    this.open.delete(index);
    if (item.kind === 'message') {
      this.emit('response.output_text.done', { ...this.contentWhere(item), text: item.text, logprobs: [] });
      this.emit('response.content_part.done', { ...this.contentWhere(item), part: outputText(item.text) });
    } else if (item.kind === 'function_call') {
      this.emit('response.function_call_arguments.done', {
        item_id: item.id,
        output_index: item.outputIndex,
        arguments: item.text,
      });
    } else if (item.summaryOpen) {
      const where = { item_id: item.id, output_index: item.outputIndex, summary_index: 0 };
      this.emit('response.reasoning_summary_text.done', { ...where, text: item.text });
      this.emit('response.reasoning_summary_part.done', { ...where, part: summaryText(item.text) });
    }
    const done = this.snapshot(item, 'completed');
    this.output[item.outputIndex] = done;
    this.emit('response.output_item.done', { output_index: item.outputIndex, item: done });
  }

  private snapshot(item: OpenItem, status: 'in_progress' | 'completed' | 'incomplete'): Json {
    const started = status !== 'in_progress';
    if (item.kind === 'message') return messageItem(item.id, started ? item.text : undefined, status);
    if (item.kind === 'function_call') {
      const call = { id: item.callId ?? '', name: item.name ?? '', arguments: started ? item.text : '' };
      return functionCallItem(item.id, call, status);
    }
    return reasoningItem(item.id, { text: item.text, ...(started ? item.token : {}) }, started);
  }

  private contentWhere(item: OpenItem): Json {
    return { item_id: item.id, output_index: item.outputIndex, content_index: 0 };
  }

  private response(
    fields: Pick<ResponseFields, 'status' | 'error' | 'incompleteReason' | 'usage' | 'costUsd'>,
  ): Json {
    const output = fields.status === 'in_progress' ? [] : [...this.output];
    const all: ResponseFields = {
      id: this.id,
      createdAt: this.createdAt,
      model: this.model,
      output,
      ...fields,
    };
    return responseObject(all, this.context.request);
  }

  private emit(type: string, payload: Json): void {
    const data = JSON.stringify({ type, sequence_number: this.sequence++, ...payload });
    this.frames.push(sseFrame(data, type));
  }

  private flush(): string[] {
    const frames = this.frames;
    this.frames = [];
    return frames;
  }
}

function broken(message: string): GatewayError {
  return new GatewayError('upstream_stream_broken', `Malformed upstream stream: ${message}`);
}
