// What ranking assumes about a deployment before it has seen any traffic: typical time to first token
// and output speed of each kind of host. Live measurements replace these within a few requests.
import type { ProviderInstance } from '../core/adapters.ts';

export interface Prior {
  ttftMs: number;
  tokensPerSecond: number;
}

const DEFAULT_PRIOR: Prior = { ttftMs: 800, tokensPerSecond: 60 };

/** By provider id, or by an OpenAI-compatible instance's preset. */
const PRIORS: Readonly<Record<string, Prior>> = {
  openai: { ttftMs: 600, tokensPerSecond: 80 },
  azure: { ttftMs: 650, tokensPerSecond: 75 },
  anthropic: { ttftMs: 900, tokensPerSecond: 60 },
  bedrock: { ttftMs: 1000, tokensPerSecond: 55 },
  vertex: { ttftMs: 1000, tokensPerSecond: 55 },
  gemini: { ttftMs: 700, tokensPerSecond: 120 },
  groq: { ttftMs: 250, tokensPerSecond: 300 },
  cerebras: { ttftMs: 250, tokensPerSecond: 900 },
  fireworks: { ttftMs: 400, tokensPerSecond: 120 },
  together: { ttftMs: 450, tokensPerSecond: 100 },
  mistral: { ttftMs: 600, tokensPerSecond: 80 },
  deepseek: { ttftMs: 1200, tokensPerSecond: 35 },
  xai: { ttftMs: 700, tokensPerSecond: 70 },
  ollama: { ttftMs: 300, tokensPerSecond: 40 },
};

export function priorFor(instance: ProviderInstance): Prior {
  const preset = instance.options.preset;
  return (
    PRIORS[instance.id] ??
    (typeof preset === 'string' ? PRIORS[preset] : undefined) ??
    PRIORS[instance.type] ??
    DEFAULT_PRIOR
  );
}
