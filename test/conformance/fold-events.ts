// Folds a canonical event stream into what it says, checking the stream contract on the way:
// one response-start first; blocks numbered 0, 1, 2… in the order they start; no delta after its block
// ended; every block ended exactly once before the end; the stream ends with exactly one response-end or
// one error event, and nothing after it.
import assert from 'node:assert/strict';
import type { FinishReason, Usage } from '../../src/core/canonical.ts';
import type { GatewayError } from '../../src/core/errors.ts';
import type { StreamEvent } from '../../src/core/stream-events.ts';

export interface FoldedToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface FoldedStream {
  text: string;
  reasoning: string;
  toolCalls: FoldedToolCall[];
  finishReason?: FinishReason;
  usage?: Usage;
  error?: GatewayError;
}

type BlockKind = 'text' | 'reasoning' | 'tool';

export function foldEvents(events: StreamEvent[]): FoldedStream {
  assert.ok(events.length > 0, 'the stream produced no events');
  const last = events.at(-1)!;
  assert.ok(last.type === 'response-end' || last.type === 'error', `the stream ended with ${last.type}`);
  const folded: FoldedStream = { text: '', reasoning: '', toolCalls: [] };
  const kinds = new Map<number, BlockKind>();
  const ended = new Set<number>();
  const tools = new Map<number, FoldedToolCall>();
  const open = (index: number, kind: BlockKind) => {
    const known = kinds.get(index);
    if (known === undefined) {
      assert.equal(index, kinds.size, `block ${index} started out of order`);
      kinds.set(index, kind);
    } else assert.equal(known, kind, `block ${index} changed kind`);
    assert.ok(!ended.has(index), `a delta for block ${index} came after its block-end`);
  };
  events.forEach((event, position) => {
    const terminal = event.type === 'response-end' || event.type === 'error';
    if (terminal) assert.equal(position, events.length - 1, `${event.type} is not the last event`);
    if (position === 0 && event.type !== 'error') assert.equal(event.type, 'response-start');
    else assert.notEqual(event.type, 'response-start', 'a second response-start');
    switch (event.type) {
      case 'text-delta':
        open(event.index, 'text');
        folded.text += event.delta;
        break;
      case 'reasoning-delta':
        open(event.index, 'reasoning');
        folded.reasoning += event.delta;
        break;
      case 'reasoning-signature':
        open(event.index, 'reasoning');
        break;
      case 'tool-call-start': {
        assert.ok(!kinds.has(event.index), `tool call started on a used block ${event.index}`);
        open(event.index, 'tool');
        const call = { id: event.id, name: event.name, arguments: '' };
        tools.set(event.index, call);
        folded.toolCalls.push(call);
        break;
      }
      case 'tool-call-delta': {
        open(event.index, 'tool');
        const call = tools.get(event.index);
        assert.ok(call, `arguments for block ${event.index} before its tool-call-start`);
        call.arguments += event.argumentsDelta;
        break;
      }
      case 'block-end':
        assert.ok(kinds.has(event.index), `block-end for unknown block ${event.index}`);
        assert.ok(!ended.has(event.index), `block ${event.index} ended twice`);
        ended.add(event.index);
        break;
      case 'usage':
        folded.usage = event.usage;
        break;
      case 'response-end':
        for (const index of kinds.keys()) assert.ok(ended.has(index), `block ${index} never ended`);
        folded.finishReason = event.finishReason;
        if (event.usage) folded.usage = event.usage;
        break;
      case 'error':
        folded.error = event.error;
        break;
    }
  });
  return folded;
}
