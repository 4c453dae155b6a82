import { invalid } from './invalid.ts';

const TOKEN_IDS = 'token-id prompts are not supported; send the prompt as text';

/**
 * The legacy `prompt` accepts a string, an array of strings (a batch), an array of token ids or an
 * array of token-id arrays. Chat-only providers take one text prompt, so only a string or a
 * single-element array of strings is accepted; the rest are refused with a 400 saying why.
 */
export function decodePrompt(prompt: unknown): string {
  if (prompt === undefined || prompt === null) throw invalid("'prompt' is required", 'prompt');
  if (typeof prompt === 'string') return prompt;
  if (!Array.isArray(prompt)) throw invalid("'prompt' must be a string or an array of strings", 'prompt');
  if (prompt.length === 0) throw invalid("'prompt' must not be an empty array", 'prompt');
  if (prompt.every((item) => typeof item === 'number' || Array.isArray(item)))
    throw invalid(TOKEN_IDS, 'prompt');
  if (!prompt.every((item) => typeof item === 'string')) {
    throw invalid("'prompt' must be a string or an array of strings", 'prompt');
  }
  if (prompt.length > 1) {
    throw invalid(
      `'prompt' holds ${prompt.length} prompts; only one prompt per request is supported here, send one request per prompt`,
      'prompt',
    );
  }
  return prompt[0];
}
