// Maximum output tokens per Claude family, used for the required `max_tokens` when neither the
// request nor the deployment sets one. Matched by id prefix, longest first; provider-prefixed ids
// (`anthropic.claude-…` on Bedrock, `claude-…@date` on Vertex) are matched from `claude`.

const CLAUDE_MAX_OUTPUT_TOKENS: ReadonlyArray<readonly [prefix: string, maxTokens: number]> = [
  ['claude-opus-4-5', 64_000],
  ['claude-opus-4-1', 32_000],
  ['claude-opus-4', 32_000],
  ['claude-sonnet-4', 64_000],
  ['claude-haiku-4', 64_000],
  ['claude-3-7-sonnet', 64_000],
  ['claude-3-5-sonnet', 8_192],
  ['claude-3-5-haiku', 8_192],
  ['claude-3-opus', 4_096],
  ['claude-3-sonnet', 4_096],
  ['claude-3-haiku', 4_096],
];

/** Safe for every Claude model, including ones newer than this table. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 4_096;

export function maxOutputTokensForModel(model: string): number {
  const at = model.indexOf('claude');
  const id = at >= 0 ? model.slice(at) : model;
  let best: readonly [string, number] | undefined;
  for (const entry of CLAUDE_MAX_OUTPUT_TOKENS) {
    if (id.startsWith(entry[0]) && (!best || entry[0].length > best[0].length)) best = entry;
  }
  return best ? best[1] : DEFAULT_MAX_OUTPUT_TOKENS;
}
