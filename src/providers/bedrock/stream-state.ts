import type { CanonicalRequest, Usage } from '../../core/canonical.ts';
import { GatewayError } from '../../core/errors.ts';
import type { StreamEvent } from '../../core/stream-events.ts';
import { BEDROCK_PROTOCOL } from './convert-content.ts';
import { jsonToolName } from './convert-tools.ts';
import type { EventStreamMessage } from './event-stream-decoder.ts';
import { streamExceptionError } from './map-error.ts';
import { finishWithJsonTool, mapFinishReason } from './map-finish-reason.ts';
import { mapUsage } from './map-usage.ts';
import { newResponseId } from './response-id.ts';
import type {
  BedrockContentBlockDeltaEvent,
  BedrockContentBlockStartEvent,
  BedrockContentBlockStopEvent,
  BedrockMessageStopEvent,
  BedrockMetadataEvent,
} from './wire-types.ts';

/** `json` = the forced JSON-output tool, whose input is streamed to the client as text. */
type BlockKind = 'text' | 'reasoning' | 'tool' | 'json';

interface Block {
  index: number;
  kind: BlockKind;
  open: boolean;
}

/**
 * One ConverseStream being turned into canonical events: a handler per `:event-type`.
 * Bedrock block indexes are renumbered in the order blocks start; text and reasoning blocks start
 * implicitly with their first delta. `response-end` waits for both `messageStop` and `metadata`
 * (Bedrock sends them in that order, but either order is accepted).
 */
export class ConverseStreamState {
  done = false;
  private readonly jsonTool: string | undefined;
  private readonly blocks = new Map<number, Block>();
  private nextIndex = 0;
  private started = false;
  private stopReason: string | undefined;
  private stopped = false;
  private usage: Usage | undefined;
  private otherToolCalls = false;
  private readonly model: string;
  private out: StreamEvent[] = [];

  constructor(request: CanonicalRequest) {
    this.jsonTool = jsonToolName(request);
    this.model = request.model;
  }

  /** Canonical events for one decoded message. */
  handle(message: EventStreamMessage): StreamEvent[] {
    this.out = [];
    if (this.done) return this.out;
    if (message.messageType === 'exception') {
      this.fail(streamExceptionError(message.exceptionType ?? 'unknownException', message.payload));
    } else if (message.messageType === 'error') {
      const detail = message.errorMessage ?? message.errorCode ?? 'unknown error';
      this.fail(
        new GatewayError('upstream_error', `Bedrock stream error: ${detail}`, {
          upstreamCode: message.errorCode,
        }),
      );
    } else {
      this.onEvent(message.eventType, message.payload);
    }
    return this.out;
  }

  /** `messageStop` came: the answer is complete even if `metadata` (usage) never does. */
  get stoppedByModel(): boolean {
    return this.stopped;
  }

  /** Events once the body has ended: the finish if `messageStop` came, else a broken-stream error. */
  finishAtEnd(): StreamEvent[] {
    this.out = [];
    if (this.done) return this.out;
    if (this.stopped) this.finish();
    else this.fail(new GatewayError('upstream_stream_broken', 'Bedrock stream ended before messageStop'));
    return this.out;
  }

  private onEvent(eventType: string | undefined, payload: string): void {
    const handler =
      eventType !== undefined && Object.hasOwn(this.handlers, eventType)
        ? this.handlers[eventType]
        : undefined;
    if (!handler) return; // unknown events are skipped, like unknown JSON keys
    let data: unknown;
    try {
      data = JSON.parse(payload);
    } catch {
      this.fail(new GatewayError('upstream_error', `Bedrock sent a ${eventType} event that is not JSON`));
      return;
    }
    (handler as (data: unknown) => void)(data ?? {});
  }

  private readonly handlers: Record<string, (data: never) => void> = {
    messageStart: () => this.ensureStarted(),
    contentBlockStart: (data: BedrockContentBlockStartEvent) => this.onBlockStart(data),
    contentBlockDelta: (data: BedrockContentBlockDeltaEvent) => this.onBlockDelta(data),
    contentBlockStop: (data: BedrockContentBlockStopEvent) => this.closeBlock(data.contentBlockIndex),
    messageStop: (data: BedrockMessageStopEvent) => this.onMessageStop(data),
    metadata: (data: BedrockMetadataEvent) => this.onMetadata(data),
  };

  private ensureStarted(): void {
    if (this.started) return;
    this.started = true;
    this.out.push({ type: 'response-start', id: newResponseId(), model: this.model });
  }

  private onBlockStart(data: BedrockContentBlockStartEvent): void {
    this.ensureStarted();
    const toolUse = data.start?.toolUse;
    if (!toolUse) return;
    if (toolUse.name === this.jsonTool) {
      this.openBlock(data.contentBlockIndex, 'json');
      return;
    }
    this.otherToolCalls = true;
    const block = this.openBlock(data.contentBlockIndex, 'tool');
    this.out.push({ type: 'tool-call-start', index: block.index, id: toolUse.toolUseId, name: toolUse.name });
  }

  private onBlockDelta(data: BedrockContentBlockDeltaEvent): void {
    this.ensureStarted();
    const delta = data.delta ?? {};
    const at = data.contentBlockIndex;
    if (delta.text !== undefined) {
      if (delta.text !== '')
        this.out.push({ type: 'text-delta', index: this.blockFor(at, 'text').index, delta: delta.text });
    } else if (delta.toolUse?.input) {
      this.onToolInput(at, delta.toolUse.input);
    } else if (delta.reasoningContent) {
      this.onReasoning(at, delta.reasoningContent);
    }
  }

  private onToolInput(at: number, input: string): void {
    const block = this.blocks.get(at);
    if (block?.kind === 'json') this.out.push({ type: 'text-delta', index: block.index, delta: input });
    else if (block?.kind === 'tool')
      this.out.push({ type: 'tool-call-delta', index: block.index, argumentsDelta: input });
  }

  private onReasoning(
    at: number,
    reasoning: NonNullable<BedrockContentBlockDeltaEvent['delta']>['reasoningContent'],
  ): void {
    const index = this.blockFor(at, 'reasoning').index;
    if (reasoning?.text !== undefined)
      this.out.push({ type: 'reasoning-delta', index, delta: reasoning.text });
    if (reasoning?.signature !== undefined) {
      this.out.push({
        type: 'reasoning-signature',
        index,
        signature: reasoning.signature,
        signatureProtocol: BEDROCK_PROTOCOL,
      });
    }
    if (reasoning?.redactedContent !== undefined) {
      this.out.push({
        type: 'reasoning-signature',
        index,
        signature: '',
        redactedData: reasoning.redactedContent,
        signatureProtocol: BEDROCK_PROTOCOL,
      });
    }
  }

  private onMessageStop(data: BedrockMessageStopEvent): void {
    this.ensureStarted();
    for (const at of this.blocks.keys()) this.closeBlock(at);
    this.stopped = true;
    this.stopReason = data.stopReason;
    if (this.usage) this.finish();
  }

  private onMetadata(data: BedrockMetadataEvent): void {
    this.usage = mapUsage(data.usage);
    if (this.stopped) this.finish();
  }

  /** The open block at a Bedrock index, opening one (with the next canonical index) when needed. */
  private blockFor(at: number, kind: BlockKind): Block {
    const block = this.blocks.get(at);
    if (block?.open && block.kind === kind) return block;
    if (block?.open) this.closeBlock(at);
    return this.openBlock(at, kind);
  }

  private openBlock(at: number, kind: BlockKind): Block {
    const block: Block = { index: this.nextIndex++, kind, open: true };
    this.blocks.set(at, block);
    return block;
  }

  private closeBlock(at: number): void {
    const block = this.blocks.get(at);
    if (!block?.open) return;
    block.open = false;
    this.out.push({ type: 'block-end', index: block.index });
  }

  private finish(): void {
    const finishReason = this.jsonTool
      ? finishWithJsonTool(this.stopReason, this.otherToolCalls)
      : mapFinishReason(this.stopReason);
    const end: StreamEvent = { type: 'response-end', finishReason };
    if (this.stopReason !== undefined) end.rawFinishReason = this.stopReason;
    if (this.usage) end.usage = this.usage;
    this.out.push(end);
    this.done = true;
  }

  private fail(error: GatewayError): void {
    this.out.push({ type: 'error', error });
    this.done = true;
  }
}
