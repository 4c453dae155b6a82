// Anthropic `system` + `messages` → canonical messages.
// A user turn's tool_result blocks become canonical `tool` messages (one per result, in order);
// the user's other blocks stay in `user` messages around them, so the order is kept.
import type { Message, Part } from '../../core/canonical.ts';
import { type DecodeState, decodeBlock } from './decode-content.ts';
import { invalid, requireArray, requireObject, requireString } from './validate.ts';

export function decodeSystem(value: unknown): Message[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') {
    return value.length === 0 ? [] : [{ role: 'system', content: [{ type: 'text', text: value }] }];
  }
  const blocks = requireArray(value, 'system');
  const content: Part[] = blocks.map((raw, i) => {
    const block = requireObject(raw, `system.${i}`);
    if (block.type !== 'text') throw invalid(`system.${i}.type`, "must be 'text'");
    // cache_control is a caching hint with no effect on the answer; it is not carried.
    return { type: 'text', text: requireString(block.text, `system.${i}.text`) };
  });
  return content.length === 0 ? [] : [{ role: 'system', content }];
}

export function decodeMessages(value: unknown, state: DecodeState): Message[] {
  if (value === undefined || value === null) throw invalid('messages', 'field required');
  const items = requireArray(value, 'messages');
  if (items.length === 0) throw invalid('messages', 'at least one message is required');
  return items.flatMap((raw, i) => decodeMessage(raw, `messages.${i}`, state));
}

function decodeMessage(raw: unknown, path: string, state: DecodeState): Message[] {
  const message = requireObject(raw, path);
  const role = message.role;
  if (role !== 'user' && role !== 'assistant') {
    throw invalid(`${path}.role`, "must be 'user' or 'assistant'");
  }
  const content = message.content;
  if (typeof content === 'string') return [{ role, content: [{ type: 'text', text: content }] }];
  if (content === undefined || content === null) throw invalid(`${path}.content`, 'field required');
  const blocks = requireArray(content, `${path}.content`);
  const parts: Part[] = [];
  blocks.forEach((block, i) => {
    const part = decodeBlock(block, role, `${path}.content.${i}`, state);
    if (part) parts.push(part);
  });
  // An empty array is passed on for the provider to judge; a turn made only of blocks with
  // no canonical form (recorded in state.unmapped) disappears from the canonical conversation.
  if (blocks.length === 0) return [{ role, content: [] }];
  if (parts.length === 0) return [];
  if (role === 'assistant') return [{ role, content: parts }];
  return splitToolResults(parts);
}

function splitToolResults(parts: Part[]): Message[] {
  const out: Message[] = [];
  let pending: Part[] = [];
  const flush = () => {
    if (pending.length > 0) out.push({ role: 'user', content: pending });
    pending = [];
  };
  for (const part of parts) {
    if (part.type === 'tool-result') {
      flush();
      out.push({ role: 'tool', content: [part] });
    } else {
      pending.push(part);
    }
  }
  flush();
  return out;
}
