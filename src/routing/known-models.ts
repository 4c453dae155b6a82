// Built-in knowledge of which providers serve which model, under each provider's own model id.
// Used for a bare model id that no config entry defines: the aggregate is made of the deployments
// below whose provider is active. A config `models:` entry with the same id replaces it entirely.
//
// The first-party API keeps the aggregate's own id (Anthropic accepts `claude-sonnet-4-5` as an alias),
// so a request that reaches it is byte-for-byte what the client would have sent there directly.
// `provider/model` keeps pinning a provider (DESIGN.md): `anthropic/claude-sonnet-4-6` goes to Anthropic
// only. Author prefixes that are not provider ids (`meta-llama/`, `google/`, `qwen/`) are aliases here.
// Bedrock ids use cross-region inference profiles (`global.` where Anthropic offers one, `us.` before);
// an account that needs another profile overrides the model in config.
import type { Capabilities } from './capabilities.ts';

export interface KnownDeployment {
  provider: string;
  model: string;
  contextWindow?: number;
}

export interface KnownModel {
  id: string;
  /** other ids clients use for the same model (OpenRouter's author-qualified form, common spellings) */
  aliases?: readonly string[];
  capabilities: Capabilities;
  deployments: readonly KnownDeployment[];
}

const CLAUDE: Capabilities = { tools: true, images: true, jsonSchema: true };
const GEMINI: Capabilities = { tools: true, images: true, jsonSchema: true };
const TEXT_TOOLS: Capabilities = { tools: true, images: false };

/** Claude on Anthropic, Bedrock and Vertex: [aggregate id, Bedrock id, Vertex id, context window]. */
const CLAUDE_MODELS: ReadonlyArray<readonly [string, string, string, number]> = [
  ['claude-opus-4-6', 'global.anthropic.claude-opus-4-6-v1:0', 'claude-opus-4-6', 1_000_000],
  ['claude-sonnet-4-6', 'global.anthropic.claude-sonnet-4-6-v1:0', 'claude-sonnet-4-6', 1_000_000],
  ['claude-opus-4-5', 'global.anthropic.claude-opus-4-5-20251101-v1:0', 'claude-opus-4-5@20251101', 200_000],
  [
    'claude-sonnet-4-5',
    'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
    'claude-sonnet-4-5@20250929',
    200_000,
  ],
  [
    'claude-haiku-4-5',
    'global.anthropic.claude-haiku-4-5-20251001-v1:0',
    'claude-haiku-4-5@20251001',
    200_000,
  ],
  ['claude-opus-4-1', 'us.anthropic.claude-opus-4-1-20250805-v1:0', 'claude-opus-4-1@20250805', 200_000],
  ['claude-sonnet-4-0', 'us.anthropic.claude-sonnet-4-20250514-v1:0', 'claude-sonnet-4@20250514', 200_000],
  [
    'claude-3-7-sonnet-latest',
    'us.anthropic.claude-3-7-sonnet-20250219-v1:0',
    'claude-3-7-sonnet@20250219',
    200_000,
  ],
  [
    'claude-3-5-haiku-latest',
    'us.anthropic.claude-3-5-haiku-20241022-v1:0',
    'claude-3-5-haiku@20241022',
    200_000,
  ],
];

function claude([id, bedrock, vertex, contextWindow]: readonly [string, string, string, number]): KnownModel {
  return {
    id,
    capabilities: CLAUDE,
    deployments: [
      { provider: 'anthropic', model: id, contextWindow },
      { provider: 'bedrock', model: bedrock, contextWindow },
      { provider: 'vertex', model: vertex, contextWindow },
    ],
  };
}

function gemini(id: string, contextWindow: number): KnownModel {
  return {
    id,
    aliases: [`google/${id}`],
    capabilities: GEMINI,
    deployments: [
      { provider: 'gemini', model: id, contextWindow },
      { provider: 'vertex', model: id, contextWindow },
    ],
  };
}

/** Open-weight models on the fast inference hosts (and Bedrock where it serves them). */
const OPEN_MODELS: readonly KnownModel[] = [
  {
    id: 'llama-3.3-70b',
    aliases: ['meta-llama/llama-3.3-70b', 'meta-llama/llama-3.3-70b-instruct', 'llama-3.3-70b-instruct'],
    capabilities: TEXT_TOOLS,
    deployments: [
      { provider: 'groq', model: 'llama-3.3-70b-versatile', contextWindow: 131_072 },
      { provider: 'together', model: 'meta-llama/Llama-3.3-70B-Instruct-Turbo', contextWindow: 131_072 },
      {
        provider: 'fireworks',
        model: 'accounts/fireworks/models/llama-v3p3-70b-instruct',
        contextWindow: 131_072,
      },
      { provider: 'cerebras', model: 'llama-3.3-70b', contextWindow: 65_536 },
      { provider: 'bedrock', model: 'us.meta.llama3-3-70b-instruct-v1:0', contextWindow: 128_000 },
    ],
  },
  {
    id: 'llama-3.1-8b',
    aliases: ['meta-llama/llama-3.1-8b', 'meta-llama/llama-3.1-8b-instruct', 'llama-3.1-8b-instruct'],
    capabilities: TEXT_TOOLS,
    deployments: [
      { provider: 'groq', model: 'llama-3.1-8b-instant', contextWindow: 131_072 },
      { provider: 'together', model: 'meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo', contextWindow: 131_072 },
      {
        provider: 'fireworks',
        model: 'accounts/fireworks/models/llama-v3p1-8b-instruct',
        contextWindow: 131_072,
      },
      { provider: 'cerebras', model: 'llama3.1-8b', contextWindow: 32_768 },
    ],
  },
  {
    id: 'llama-4-maverick',
    aliases: ['meta-llama/llama-4-maverick', 'meta-llama/llama-4-maverick-17b-128e-instruct'],
    capabilities: { tools: true, images: true },
    deployments: [
      { provider: 'groq', model: 'meta-llama/llama-4-maverick-17b-128e-instruct', contextWindow: 131_072 },
      {
        provider: 'together',
        model: 'meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8',
        contextWindow: 1_048_576,
      },
      {
        provider: 'fireworks',
        model: 'accounts/fireworks/models/llama4-maverick-instruct-basic',
        contextWindow: 1_048_576,
      },
      { provider: 'bedrock', model: 'us.meta.llama4-maverick-17b-instruct-v1:0', contextWindow: 1_000_000 },
    ],
  },
  {
    id: 'gpt-oss-120b',
    capabilities: TEXT_TOOLS,
    deployments: [
      { provider: 'groq', model: 'openai/gpt-oss-120b', contextWindow: 131_072 },
      { provider: 'cerebras', model: 'gpt-oss-120b', contextWindow: 131_072 },
      { provider: 'together', model: 'openai/gpt-oss-120b', contextWindow: 131_072 },
      { provider: 'fireworks', model: 'accounts/fireworks/models/gpt-oss-120b', contextWindow: 131_072 },
      { provider: 'bedrock', model: 'openai.gpt-oss-120b-1:0', contextWindow: 128_000 },
    ],
  },
  {
    id: 'gpt-oss-20b',
    capabilities: TEXT_TOOLS,
    deployments: [
      { provider: 'groq', model: 'openai/gpt-oss-20b', contextWindow: 131_072 },
      { provider: 'together', model: 'openai/gpt-oss-20b', contextWindow: 131_072 },
      { provider: 'fireworks', model: 'accounts/fireworks/models/gpt-oss-20b', contextWindow: 131_072 },
      { provider: 'bedrock', model: 'openai.gpt-oss-20b-1:0', contextWindow: 128_000 },
    ],
  },
  {
    id: 'kimi-k2',
    aliases: ['moonshotai/kimi-k2', 'moonshotai/kimi-k2-instruct'],
    capabilities: TEXT_TOOLS,
    deployments: [
      { provider: 'groq', model: 'moonshotai/kimi-k2-instruct', contextWindow: 131_072 },
      { provider: 'together', model: 'moonshotai/Kimi-K2-Instruct', contextWindow: 131_072 },
      { provider: 'fireworks', model: 'accounts/fireworks/models/kimi-k2-instruct', contextWindow: 131_072 },
    ],
  },
  {
    id: 'qwen3-32b',
    aliases: ['qwen/qwen3-32b'],
    capabilities: TEXT_TOOLS,
    deployments: [
      { provider: 'groq', model: 'qwen/qwen3-32b', contextWindow: 131_072 },
      { provider: 'cerebras', model: 'qwen-3-32b', contextWindow: 65_536 },
      { provider: 'bedrock', model: 'qwen.qwen3-32b-v1:0', contextWindow: 32_000 },
    ],
  },
];

export const KNOWN_MODELS: readonly KnownModel[] = [
  ...CLAUDE_MODELS.map(claude),
  gemini('gemini-2.5-pro', 1_048_576),
  gemini('gemini-2.5-flash', 1_048_576),
  gemini('gemini-2.5-flash-lite', 1_048_576),
  ...OPEN_MODELS,
];

const BY_ID = new Map<string, KnownModel>();
for (const model of KNOWN_MODELS) {
  BY_ID.set(model.id, model);
  for (const alias of model.aliases ?? []) BY_ID.set(alias, model);
}

/** The built-in aggregate a model id (or alias) names, if any. */
export function findKnownModel(id: string): KnownModel | undefined {
  return BY_ID.get(id) ?? BY_ID.get(id.toLowerCase());
}
