// Bedrock ConverseStream frames for the conformance cases (real binary event-stream encoding).
import { type ConverseStreamEvent, encodeConverseStream } from '../fakes/bedrock.ts';

export const event = (type: string, payload: Record<string, unknown>): ConverseStreamEvent => ({
  'event-type': type,
  payload,
});
export const BEDROCK_USAGE = { inputTokens: 8, cacheReadInputTokens: 4, outputTokens: 7, totalTokens: 19 };
export function converseFrames(blocks: ConverseStreamEvent[], stopReason: string, end = true): Uint8Array[] {
  const closing = end
    ? [
        event('messageStop', { stopReason }),
        event('metadata', { usage: BEDROCK_USAGE, metrics: { latencyMs: 90 } }),
      ]
    : [];
  return encodeConverseStream([event('messageStart', { role: 'assistant' }), ...blocks, ...closing]);
}
export const textDeltas = (pieces: string[], at = 0) =>
  pieces.map((text) => event('contentBlockDelta', { contentBlockIndex: at, delta: { text } }));
export function toolBlock(id: string, name: string, pieces: string[]): ConverseStreamEvent[] {
  return [
    event('contentBlockStart', { contentBlockIndex: 0, start: { toolUse: { toolUseId: id, name } } }),
    ...pieces.map((input) =>
      event('contentBlockDelta', { contentBlockIndex: 0, delta: { toolUse: { input } } }),
    ),
    event('contentBlockStop', { contentBlockIndex: 0 }),
  ];
}
