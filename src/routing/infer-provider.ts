/** Which provider serves a bare model name, by prefix, when neither the config nor the client says. */
const PREFIX_RULES: ReadonlyArray<readonly [RegExp, string]> = [
  [
    /^(gpt-|chatgpt-|o1($|-)|o3($|-)|o4-|text-embedding-|dall-e-|gpt-image-|whisper-|tts-|omni-moderation)/,
    'openai',
  ],
  [/^claude-/, 'anthropic'],
  [/^(gemini-|gemma-|text-embedding-00|embedding-00)/, 'gemini'],
  [/^(mistral-|codestral-|magistral-|ministral-|pixtral-|devstral-|open-mistral)/, 'mistral'],
  [/^grok-/, 'xai'],
  [/^deepseek-/, 'deepseek'],
  [/^(command-|embed-|rerank-)/, 'cohere'],
  [/^sonar/, 'perplexity'],
  [
    /^((us|eu|apac|global)\.)?(anthropic|amazon|meta|mistral|cohere|ai21|deepseek|writer|qwen)\.[a-z0-9]/,
    'bedrock',
  ],
];

export function inferProvider(model: string): string | undefined {
  for (const [pattern, provider] of PREFIX_RULES) if (pattern.test(model)) return provider;
  return undefined;
}
