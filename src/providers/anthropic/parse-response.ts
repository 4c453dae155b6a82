// A complete Anthropic Messages reply → CanonicalResponse.
import type { CanonicalRequest, CanonicalResponse } from '../../core/canonical.ts';
import { GatewayError } from '../../core/errors.ts';
import { ANTHROPIC_PROTOCOL } from './convert-content.ts';
import { jsonToolName } from './json-tool.ts';
import { anthropicStreamError } from './map-error.ts';
import { finishReasonWithJsonTool } from './map-finish-reason.ts';
import { mapAnthropicUsage } from './map-usage.ts';
import type { AnthropicMessagesResponse, AnthropicResponseBlock } from './wire-types.ts';

type ContentPart = CanonicalResponse['content'][number];

function convertBlock(block: AnthropicResponseBlock, jsonTool: string | undefined): ContentPart | undefined {
  const b = block as Record<string, unknown>;
  switch (block.type) {
    case 'text':
      return { type: 'text', text: String(b.text ?? '') };
    case 'thinking':
      return {
        type: 'reasoning',
        text: String(b.thinking ?? ''),
        signature: String(b.signature ?? ''),
        signatureProtocol: ANTHROPIC_PROTOCOL,
      };
    case 'redacted_thinking':
      return {
        type: 'reasoning',
        text: '',
        redactedData: String(b.data ?? ''),
        signatureProtocol: ANTHROPIC_PROTOCOL,
      };
    case 'tool_use': {
      const input = JSON.stringify(b.input ?? {});
      if (b.name === jsonTool) return { type: 'text', text: input };
      return { type: 'tool-call', id: String(b.id), name: String(b.name), arguments: input };
    }
    default:
      // server tool blocks (server_tool_use, web_search_tool_result, ...) have no canonical home
      return undefined;
  }
}

export function parseAnthropicResponse(body: unknown, request: CanonicalRequest): CanonicalResponse {
  const message = body as Partial<AnthropicMessagesResponse> | null;
  if ((message as { type?: unknown } | null)?.type === 'error') throw anthropicStreamError(message);
  if (!message || typeof message !== 'object' || !Array.isArray(message.content)) {
    throw new GatewayError('upstream_error', 'Anthropic returned a reply that is not a message');
  }
  const jsonTool = jsonToolName(request);
  const content = message.content.flatMap((block) => convertBlock(block, jsonTool) ?? []);
  const stopReason = message.stop_reason ?? undefined;
  const response: CanonicalResponse = {
    id: String(message.id ?? ''),
    model: String(message.model ?? ''),
    content,
    finishReason: finishReasonWithJsonTool(
      stopReason,
      jsonTool !== undefined && !content.some((part) => part.type === 'tool-call'),
    ),
    usage: mapAnthropicUsage(message.usage),
  };
  if (stopReason !== undefined) response.rawFinishReason = stopReason;
  return response;
}
