/**
 * Our provider ids → @pydantic/genai-prices provider ids.
 * `null` marks a provider that has no catalog prices on purpose: Ollama runs models locally, and
 * pricing `llama3` at some cloud host's rate would be a wrong number rather than an unknown one.
 * Give such deployments a `price` in config (e.g. `{ input: 0, output: 0 }`) to bill them.
 */
export const CATALOG_PROVIDER_IDS: Readonly<Record<string, string | null>> = {
  openai: 'openai',
  anthropic: 'anthropic',
  gemini: 'google',
  vertex: 'google',
  bedrock: 'aws',
  azure: 'azure',
  mistral: 'mistral',
  groq: 'groq',
  deepseek: 'deepseek',
  together: 'together',
  fireworks: 'fireworks',
  xai: 'x-ai',
  perplexity: 'perplexity',
  cohere: 'cohere',
  openrouter: 'openrouter',
  cerebras: 'cerebras',
  ollama: null,
};
