// Support for `previous_response_id`: the server keeps each exchange and rebuilds the conversation.
// The conversation of response N is: conversation of N-1 + inputToMessages(body N `input`) +
// responseToMessages(response N). `instructions` are never part of it (the API does not carry them over).
import type { CanonicalRequest, Message } from '../../core/canonical.ts';
import { inputToMessages } from './decode-input.ts';
import { invalid, isObject } from './json.ts';

export { inputToMessages };

/** Output item types that have a canonical form; built-in tool calls only exist on OpenAI's servers. */
const REPLAYABLE = new Set(['message', 'function_call', 'reasoning']);

/** A stored Response object's output → canonical assistant message(s). */
export function responseToMessages(storedResponse: unknown): Message[] {
  if (!isObject(storedResponse) || !Array.isArray(storedResponse.output)) {
    throw invalid('The stored response has no output', 'previous_response_id');
  }
  const items = storedResponse.output.filter((item) => isObject(item) && REPLAYABLE.has(String(item.type)));
  return inputToMessages(items, 'previous_response.output');
}

/**
 * Puts the stored conversation before the new input: after the request's leading system/developer
 * messages (its `instructions`), before everything else.
 */
export function prependHistory(request: CanonicalRequest, historyMessages: Message[]): CanonicalRequest {
  let split = 0;
  while (split < request.messages.length && isInstruction(request.messages[split])) split += 1;
  const messages = [
    ...request.messages.slice(0, split),
    ...historyMessages,
    ...request.messages.slice(split),
  ];
  return { ...request, messages: nameToolResults(messages) };
}

/** Tool results in the new input name their tool from the call found in the history. */
function nameToolResults(messages: Message[]): Message[] {
  const names = new Map<string, string>();
  for (const message of messages) {
    for (const part of message.content) if (part.type === 'tool-call') names.set(part.id, part.name);
  }
  return messages.map((message) => {
    if (!message.content.some((part) => part.type === 'tool-result' && part.toolName === undefined))
      return message;
    const content = message.content.map((part) => {
      const toolName = part.type === 'tool-result' ? names.get(part.toolCallId) : undefined;
      return part.type === 'tool-result' && part.toolName === undefined && toolName
        ? { ...part, toolName }
        : part;
    });
    return { ...message, content };
  });
}

function isInstruction(message: Message): boolean {
  return message.role === 'system' || message.role === 'developer';
}
