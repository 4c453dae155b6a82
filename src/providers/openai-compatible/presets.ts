// Every OpenAI-compatible vendor is data here, never a new folder.

export interface OpenAICompatiblePreset {
  id: string;
  /** default base URL, including the version path (the part before `/chat/completions`) */
  baseUrl: string;
  /** environment variable holding the API key; undefined for keyless hosts */
  keyEnv?: string;
  /** environment variable overriding the base URL */
  baseUrlEnv: string;
  /** activated by its base-URL variable alone (keyless hosts such as Ollama, or `custom`) */
  activatedByBaseUrl?: boolean;
  /** the base-URL variable names a host (`OLLAMA_HOST=127.0.0.1:11434`); this path is appended */
  hostPath?: string;
  /** name of the output-token limit field (OpenAI's newer `max_completion_tokens` or the classic `max_tokens`) */
  maxTokensField: 'max_tokens' | 'max_completion_tokens';
  /** the vendor accepts `stream_options.include_usage` */
  streamUsage: boolean;
  /** request fields the vendor rejects; removed with a warning */
  unsupportedFields?: readonly string[];
  /** request fields renamed for this vendor */
  renamedFields?: Readonly<Record<string, string>>;
  /** response field carrying reasoning text */
  reasoningField?: 'reasoning_content' | 'reasoning';
  /** model-id prefixes this vendor serves when no provider is named */
  modelPrefixes?: readonly string[];
}

export const OPENAI_COMPATIBLE_PRESETS: readonly OpenAICompatiblePreset[] = [
  {
    id: 'openai',
    baseUrl: 'https://api.openai.com/v1',
    keyEnv: 'OPENAI_API_KEY',
    baseUrlEnv: 'OPENAI_BASE_URL',
    maxTokensField: 'max_completion_tokens',
    streamUsage: true,
    modelPrefixes: ['gpt-', 'o1', 'o3', 'o4-', 'chatgpt-', 'text-embedding-', 'dall-e', 'whisper', 'tts-'],
  },
  {
    id: 'mistral',
    baseUrl: 'https://api.mistral.ai/v1',
    keyEnv: 'MISTRAL_API_KEY',
    baseUrlEnv: 'MISTRAL_BASE_URL',
    maxTokensField: 'max_tokens',
    streamUsage: false,
    renamedFields: { seed: 'random_seed' },
    unsupportedFields: ['logit_bias', 'user', 'store', 'metadata', 'service_tier'],
    modelPrefixes: [
      'mistral-',
      'codestral-',
      'magistral-',
      'ministral-',
      'pixtral-',
      'devstral-',
      'open-mistral',
    ],
  },
  {
    id: 'groq',
    baseUrl: 'https://api.groq.com/openai/v1',
    keyEnv: 'GROQ_API_KEY',
    baseUrlEnv: 'GROQ_BASE_URL',
    maxTokensField: 'max_tokens',
    streamUsage: true,
    unsupportedFields: ['logprobs', 'top_logprobs', 'logit_bias'],
    reasoningField: 'reasoning',
  },
  {
    id: 'deepseek',
    baseUrl: 'https://api.deepseek.com/v1',
    keyEnv: 'DEEPSEEK_API_KEY',
    baseUrlEnv: 'DEEPSEEK_BASE_URL',
    maxTokensField: 'max_tokens',
    streamUsage: true,
    reasoningField: 'reasoning_content',
    modelPrefixes: ['deepseek-'],
  },
  {
    id: 'together',
    baseUrl: 'https://api.together.xyz/v1',
    keyEnv: 'TOGETHER_API_KEY',
    baseUrlEnv: 'TOGETHER_BASE_URL',
    maxTokensField: 'max_tokens',
    streamUsage: true,
  },
  {
    id: 'fireworks',
    baseUrl: 'https://api.fireworks.ai/inference/v1',
    keyEnv: 'FIREWORKS_API_KEY',
    baseUrlEnv: 'FIREWORKS_BASE_URL',
    maxTokensField: 'max_tokens',
    streamUsage: true,
    modelPrefixes: ['accounts/fireworks/'],
  },
  {
    id: 'xai',
    baseUrl: 'https://api.x.ai/v1',
    keyEnv: 'XAI_API_KEY',
    baseUrlEnv: 'XAI_BASE_URL',
    maxTokensField: 'max_tokens',
    streamUsage: true,
    reasoningField: 'reasoning_content',
    modelPrefixes: ['grok-'],
  },
  {
    id: 'perplexity',
    baseUrl: 'https://api.perplexity.ai',
    keyEnv: 'PERPLEXITY_API_KEY',
    baseUrlEnv: 'PERPLEXITY_BASE_URL',
    maxTokensField: 'max_tokens',
    streamUsage: false,
    unsupportedFields: ['tools', 'tool_choice', 'parallel_tool_calls', 'logit_bias', 'n', 'seed'],
    modelPrefixes: ['sonar'],
  },
  {
    id: 'cohere-compat',
    baseUrl: 'https://api.cohere.ai/compatibility/v1',
    keyEnv: 'COHERE_API_KEY',
    baseUrlEnv: 'COHERE_COMPAT_BASE_URL',
    maxTokensField: 'max_tokens',
    streamUsage: true,
    unsupportedFields: ['logit_bias', 'top_logprobs', 'n', 'store', 'metadata', 'service_tier'],
  },
  {
    id: 'openrouter',
    baseUrl: 'https://openrouter.ai/api/v1',
    keyEnv: 'OPENROUTER_API_KEY',
    baseUrlEnv: 'OPENROUTER_BASE_URL',
    maxTokensField: 'max_tokens',
    streamUsage: true,
    reasoningField: 'reasoning',
  },
  {
    id: 'cerebras',
    baseUrl: 'https://api.cerebras.ai/v1',
    keyEnv: 'CEREBRAS_API_KEY',
    baseUrlEnv: 'CEREBRAS_BASE_URL',
    maxTokensField: 'max_tokens',
    streamUsage: true,
    unsupportedFields: ['frequency_penalty', 'presence_penalty', 'logit_bias'],
  },
  {
    id: 'ollama',
    baseUrl: 'http://127.0.0.1:11434/v1',
    baseUrlEnv: 'OLLAMA_HOST',
    maxTokensField: 'max_tokens',
    activatedByBaseUrl: true,
    hostPath: '/v1',
    streamUsage: true,
    reasoningField: 'reasoning',
  },
  {
    id: 'custom',
    baseUrl: '',
    keyEnv: 'CUSTOM_API_KEY',
    baseUrlEnv: 'CUSTOM_BASE_URL',
    maxTokensField: 'max_tokens',
    activatedByBaseUrl: true,
    streamUsage: true,
    reasoningField: 'reasoning_content',
  },
];

const BY_ID = new Map(OPENAI_COMPATIBLE_PRESETS.map((preset) => [preset.id, preset]));

export function findPreset(id: string): OpenAICompatiblePreset | undefined {
  return BY_ID.get(id);
}
