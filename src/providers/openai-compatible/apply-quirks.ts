import type { Warnings } from '../../core/adapters.ts';
import type { OpenAICompatiblePreset } from './presets.ts';

/** Removes fields a vendor rejects (with a warning) and renames the ones it spells differently. */
export function applyVendorQuirks(
  body: Record<string, unknown>,
  preset: OpenAICompatiblePreset,
  warnings: Warnings | undefined,
): void {
  if (preset.unsupportedFields) {
    for (const field of preset.unsupportedFields) {
      if (body[field] === undefined) continue;
      delete body[field];
      warnings?.add(`${field}: not supported by ${preset.id}, dropped`);
    }
  }
  if (preset.renamedFields) {
    for (const [from, to] of Object.entries(preset.renamedFields)) {
      if (body[from] === undefined) continue;
      body[to] = body[from];
      delete body[from];
    }
  }
  if (!preset.streamUsage && body.stream_options !== undefined) delete body.stream_options;
  const other = preset.maxTokensField === 'max_tokens' ? 'max_completion_tokens' : 'max_tokens';
  if (
    body[other] !== undefined &&
    body[preset.maxTokensField] === undefined &&
    other === 'max_completion_tokens'
  ) {
    body[preset.maxTokensField] = body[other];
    delete body[other];
  }
}
