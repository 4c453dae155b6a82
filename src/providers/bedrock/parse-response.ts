import type { CanonicalRequest, CanonicalResponse, ReasoningPart } from '../../core/canonical.ts';
import { GatewayError } from '../../core/errors.ts';
import { BEDROCK_PROTOCOL } from './convert-content.ts';
import { jsonToolName } from './convert-tools.ts';
import { finishWithJsonTool, mapFinishReason } from './map-finish-reason.ts';
import { mapUsage } from './map-usage.ts';
import { newResponseId } from './response-id.ts';
import type { BedrockConverseResponse, BedrockResponseBlock } from './wire-types.ts';

type ContentPart = CanonicalResponse['content'][number];

function convertBlock(block: BedrockResponseBlock, jsonTool: string | undefined): ContentPart | undefined {
  if (block.text !== undefined) return { type: 'text', text: block.text };
  if (block.toolUse) {
    const args = JSON.stringify(block.toolUse.input ?? {});
    if (block.toolUse.name === jsonTool) return { type: 'text', text: args };
    return { type: 'tool-call', id: block.toolUse.toolUseId, name: block.toolUse.name, arguments: args };
  }
  const reasoning = block.reasoningContent;
  if (reasoning?.reasoningText) {
    const part: ReasoningPart = { type: 'reasoning', text: reasoning.reasoningText.text ?? '' };
    if (reasoning.reasoningText.signature !== undefined) {
      part.signature = reasoning.reasoningText.signature;
      part.signatureProtocol = BEDROCK_PROTOCOL;
    }
    return part;
  }
  if (reasoning?.redactedContent !== undefined) {
    return {
      type: 'reasoning',
      text: '',
      redactedData: reasoning.redactedContent,
      signatureProtocol: BEDROCK_PROTOCOL,
    };
  }
  return undefined;
}

/** A Converse reply → canonical response. Answers given through the forced JSON tool become text. */
export function parseResponse(body: unknown, request: CanonicalRequest): CanonicalResponse {
  const reply = body as BedrockConverseResponse | undefined;
  if (!reply || typeof reply !== 'object' || !reply.output?.message) {
    throw new GatewayError('upstream_error', 'Bedrock reply has no output message');
  }
  const jsonTool = jsonToolName(request);
  const content: ContentPart[] = [];
  for (const block of reply.output.message.content ?? []) {
    const part = convertBlock(block, jsonTool);
    if (part) content.push(part);
  }
  const otherToolCalls = content.some((part) => part.type === 'tool-call');
  return {
    id: newResponseId(),
    model: request.model,
    content,
    finishReason: jsonTool
      ? finishWithJsonTool(reply.stopReason, otherToolCalls)
      : mapFinishReason(reply.stopReason),
    rawFinishReason: reply.stopReason,
    usage: mapUsage(reply.usage),
  };
}
