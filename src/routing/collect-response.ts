import type { CanonicalResponse, ReasoningPart, TextPart, ToolCallPart } from '../core/canonical.ts';
import type { StreamEvent } from '../core/stream-events.ts';

type Block = TextPart | ReasoningPart | ToolCallPart;

/**
 * Rebuilds the whole response from stream events as they pass (for stored responses and payload
 * logging); events are passed on unchanged and nothing waits for the end.
 */
export async function* collectResponse(
  events: AsyncIterable<StreamEvent>,
  onComplete: (response: CanonicalResponse) => void,
): AsyncGenerator<StreamEvent> {
  const blocks = new Map<number, Block>();
  let head = { id: '', model: '', created: undefined as number | undefined };
  let usage: CanonicalResponse['usage'] = { inputTokens: 0, outputTokens: 0 };
  for await (const event of events) {
    switch (event.type) {
      case 'response-start':
        head = { id: event.id, model: event.model, created: event.created };
        break;
      case 'text-delta': {
        const block = blocks.get(event.index);
        if (block?.type === 'text') block.text += event.delta;
        else blocks.set(event.index, { type: 'text', text: event.delta });
        break;
      }
      case 'reasoning-delta': {
        const block = blocks.get(event.index);
        if (block?.type === 'reasoning') block.text += event.delta;
        else blocks.set(event.index, { type: 'reasoning', text: event.delta });
        break;
      }
      case 'reasoning-signature': {
        const block = blocks.get(event.index);
        const part: ReasoningPart = block?.type === 'reasoning' ? block : { type: 'reasoning', text: '' };
        part.signature = event.signature;
        if (event.redactedData) part.redactedData = event.redactedData;
        if (event.signatureProtocol) part.signatureProtocol = event.signatureProtocol;
        blocks.set(event.index, part);
        break;
      }
      case 'tool-call-start':
        blocks.set(event.index, {
          type: 'tool-call',
          id: event.id,
          name: event.name,
          arguments: '',
          ...(event.signature && { signature: event.signature }),
        });
        break;
      case 'tool-call-delta': {
        const block = blocks.get(event.index);
        if (block?.type === 'tool-call') block.arguments += event.argumentsDelta;
        break;
      }
      case 'usage':
        usage = event.usage;
        break;
      case 'response-end':
        onComplete({
          id: head.id,
          model: head.model,
          created: head.created,
          content: [...blocks.entries()].sort(([a], [b]) => a - b).map(([, block]) => block),
          finishReason: event.finishReason,
          rawFinishReason: event.rawFinishReason,
          usage: event.usage ?? usage,
        });
        break;
      default:
        break;
    }
    yield event;
  }
}
