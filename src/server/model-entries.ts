// A model entry as written (config `models[]` item, stored entry: snake_case) → as routing holds it.
import type { ConfigModel } from '../config/schema.ts';
import type { ModelEntry } from '../routing/model-registry.ts';

export function toModelEntry(model: ConfigModel, source: ModelEntry['source']): ModelEntry {
  return {
    id: model.id,
    source,
    dataRetentionDays: model.data_retention_days,
    deployments: model.deployments.map((deployment) => ({
      provider: deployment.provider,
      model: deployment.model,
      contextWindow: deployment.context_window,
      maxOutputTokens: deployment.max_output_tokens,
      weight: deployment.weight,
      capabilities: deployment.capabilities && {
        tools: deployment.capabilities.tools,
        images: deployment.capabilities.images,
        jsonSchema: deployment.capabilities.json_schema,
      },
      price: deployment.price && {
        input: deployment.price.input,
        output: deployment.price.output,
        cacheRead: deployment.price.cache_read,
        cacheWrite: deployment.price.cache_write,
      },
    })),
  };
}
