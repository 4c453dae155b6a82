// Canonical messages → Anthropic `system` + alternating user/assistant `messages`.
import type { Warnings } from '../../core/adapters.ts';
import type { Message } from '../../core/canonical.ts';
import { convertPart } from './convert-content.ts';
import type { AnthropicMessage, AnthropicRequestBlock, AnthropicTextBlock } from './wire-types.ts';

export interface AnthropicPrompt {
  system?: string | AnthropicTextBlock[];
  messages: AnthropicMessage[];
}

export function convertMessages(messages: Message[], warnings: Warnings): AnthropicPrompt {
  const systemTexts: string[] = [];
  const turns: AnthropicMessage[] = [];
  for (const message of messages) {
    if (message.role === 'system' || message.role === 'developer') {
      if (turns.length > 0) {
        warnings.add(
          'messages: a system message after the conversation start was moved to the top-level system prompt',
        );
      }
      systemTexts.push(...systemText(message, warnings));
      continue;
    }
    if (message.name !== undefined) warnings.add('messages.name: Anthropic has no per-message name; ignored');
    const side = message.role === 'assistant' ? 'assistant' : 'user';
    const content = message.content.flatMap((part) => convertPart(part, side, warnings) ?? []);
    if (content.length > 0) turns.push({ role: side, content });
  }
  const merged = orderToolResults(mergeSameRole(turns));
  trimFinalAssistantText(merged);
  const prompt: AnthropicPrompt = { messages: merged };
  if (systemTexts.length === 1) prompt.system = systemTexts[0];
  else if (systemTexts.length > 1) prompt.system = systemTexts.map((text) => ({ type: 'text', text }));
  return prompt;
}

function systemText(message: Message, warnings: Warnings): string[] {
  const texts: string[] = [];
  for (const part of message.content) {
    if (part.type === 'text') {
      if (part.text !== '') texts.push(part.text);
    } else {
      warnings.add(`system: ${part.type} parts are not allowed in the Anthropic system prompt; dropped`);
    }
  }
  return texts;
}

/** Consecutive turns of the same role become one (several tool messages → one user turn). */
function mergeSameRole(turns: AnthropicMessage[]): AnthropicMessage[] {
  const out: AnthropicMessage[] = [];
  for (const turn of turns) {
    const last = out.at(-1);
    if (last && last.role === turn.role) last.content.push(...turn.content);
    else out.push({ role: turn.role, content: [...turn.content] });
  }
  return out;
}

/**
 * Anthropic wants `tool_result` blocks first in the user turn after the assistant's `tool_use`
 * blocks; they are put first, in the order of the calls they answer, other content after them.
 */
function orderToolResults(turns: AnthropicMessage[]): AnthropicMessage[] {
  return turns.map((turn, i) => {
    if (turn.role !== 'user') return turn;
    const results = turn.content.filter((block) => block.type === 'tool_result');
    if (results.length === 0) return turn;
    const callOrder = new Map<string, number>();
    for (const block of turns[i - 1]?.content ?? []) {
      if (block.type === 'tool_use') callOrder.set(block.id, callOrder.size);
    }
    const rank = (block: AnthropicRequestBlock) =>
      block.type === 'tool_result' ? (callOrder.get(block.tool_use_id) ?? callOrder.size) : 0;
    const sorted = results
      .map((block, at) => ({ block, at }))
      .sort((a, b) => rank(a.block) - rank(b.block) || a.at - b.at);
    const others = turn.content.filter((block) => block.type !== 'tool_result');
    return { role: 'user', content: [...sorted.map((entry) => entry.block), ...others] };
  });
}

/** A trailing assistant turn is a prefill; Anthropic rejects one that ends with whitespace. */
function trimFinalAssistantText(turns: AnthropicMessage[]): void {
  const last = turns.at(-1);
  if (last?.role !== 'assistant') return;
  const block = last.content.at(-1);
  if (block?.type !== 'text') return;
  const trimmed = block.text.trimEnd();
  if (trimmed === block.text) return;
  if (trimmed === '') last.content.pop();
  else last.content[last.content.length - 1] = { type: 'text', text: trimmed };
  if (last.content.length === 0) turns.pop();
}
