import type { Message, Part } from '../../core/canonical.ts';
import {
  type ConvertContext,
  documentBlock,
  imageBlock,
  reasoningBlock,
  toolResultBlock,
  toolUseBlock,
} from './convert-content.ts';
import type { BedrockContentBlock, BedrockMessage } from './wire-types.ts';

/** Text of the user turn put first when a conversation would otherwise start with the assistant. */
export const PLACEHOLDER_USER_TEXT = '.';

export interface ConvertedPrompt {
  system?: Array<{ text: string }>;
  messages: BedrockMessage[];
}

/**
 * Canonical messages → Converse `system` + `messages`. System and developer messages are hoisted, in order,
 * into `system`; tool messages become user turns of `toolResult` blocks; consecutive same-role turns are
 * merged so roles strictly alternate, starting with the user.
 */
export async function convertPrompt(messages: Message[], context: ConvertContext): Promise<ConvertedPrompt> {
  const system: Array<{ text: string }> = [];
  const out: BedrockMessage[] = [];
  for (const message of messages) {
    if (message.name !== undefined)
      context.warnings.add('messages.name: Bedrock has no participant names; ignored');
    if (message.role === 'system' || message.role === 'developer') {
      system.push(...systemBlocks(message.content, context));
      continue;
    }
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const content = await convertParts(message.content, role, context);
    if (content.length === 0) continue;
    const last = out[out.length - 1];
    if (last?.role === role) last.content.push(...content);
    else out.push({ role, content });
  }
  if (out[0]?.role === 'assistant') {
    context.warnings.add(
      'messages: Bedrock requires the conversation to start with a user turn; a placeholder was added',
    );
    out.unshift({ role: 'user', content: [{ text: PLACEHOLDER_USER_TEXT }] });
  }
  return system.length > 0 ? { system, messages: out } : { messages: out };
}

function systemBlocks(parts: Part[], context: ConvertContext): Array<{ text: string }> {
  const blocks: Array<{ text: string }> = [];
  for (const part of parts) {
    if (part.type === 'text') {
      if (part.text.trim() !== '') blocks.push({ text: part.text });
    } else {
      context.warnings.add(
        `system: ${part.type} parts are not allowed in the Bedrock system prompt; dropped`,
      );
    }
  }
  return blocks;
}

async function convertParts(
  parts: Part[],
  role: 'user' | 'assistant',
  context: ConvertContext,
): Promise<BedrockContentBlock[]> {
  const blocks: BedrockContentBlock[] = [];
  for (const part of parts) {
    const block = await convertPart(part, role, context);
    if (block) blocks.push(block);
  }
  return blocks;
}

async function convertPart(
  part: Part,
  role: 'user' | 'assistant',
  context: ConvertContext,
): Promise<BedrockContentBlock | undefined> {
  switch (part.type) {
    case 'text':
      // Bedrock rejects blank text blocks
      return part.text.trim() === '' ? undefined : { text: part.text };
    case 'image': {
      if (role === 'assistant') return dropped(`image parts in assistant messages`, context);
      const image = await imageBlock(part, context);
      return image ? { image } : undefined;
    }
    case 'file': {
      if (role === 'assistant') return dropped(`file parts in assistant messages`, context);
      const document = documentBlock(part, context);
      return document ? { document } : undefined;
    }
    case 'reasoning':
      return role === 'assistant'
        ? reasoningBlock(part, context)
        : dropped('reasoning parts in user messages', context);
    case 'tool-call':
      return role === 'assistant'
        ? toolUseBlock(part, context)
        : dropped('tool calls in user messages', context);
    case 'tool-result':
      return role === 'user'
        ? toolResultBlock(part, context)
        : dropped('tool results in assistant messages', context);
  }
}

function dropped(what: string, context: ConvertContext): undefined {
  context.warnings.add(`messages: Bedrock does not accept ${what}; dropped`);
  return undefined;
}

/** Whether the converted history holds toolUse/toolResult blocks (Bedrock then requires `toolConfig`). */
export function toolNamesInHistory(messages: BedrockMessage[]): string[] {
  const names = new Set<string>();
  for (const message of messages) {
    for (const block of message.content) {
      if ('toolUse' in block) names.add(block.toolUse.name);
    }
  }
  return [...names];
}

export function historyHasToolBlocks(messages: BedrockMessage[]): boolean {
  return messages.some((message) =>
    message.content.some((block) => 'toolUse' in block || 'toolResult' in block),
  );
}
