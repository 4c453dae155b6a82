export type Variant = 'cost' | 'latency' | 'throughput';

export interface ParsedModelString {
  /** the string without its variant suffix */
  model: string;
  variant?: Variant;
  /** `smart/<policy>` */
  policy?: string;
  /** `@preset/<name>` */
  preset?: string;
}

const VARIANTS = new Set<Variant>(['cost', 'latency', 'throughput']);

/** Splits `model:variant`, `smart/<policy>` and `@preset/<name>`; provider pinning is resolved by the registry. */
export function parseModelString(raw: string): ParsedModelString {
  let model = raw.trim();
  let variant: Variant | undefined;
  const colon = model.lastIndexOf(':');
  if (colon > 0) {
    const suffix = model.slice(colon + 1) as Variant;
    if (VARIANTS.has(suffix)) {
      variant = suffix;
      model = model.slice(0, colon);
    }
  }
  if (model.startsWith('smart/')) return { model, variant, policy: model.slice('smart/'.length) };
  if (model.startsWith('@preset/')) return { model, variant, preset: model.slice('@preset/'.length) };
  return variant ? { model, variant } : { model };
}

/** Why no model string can reach `id` (it would parse as a policy, a preset or a ranking), or undefined. */
export function unreachableModelIdReason(id: string): string | undefined {
  const parsed = parseModelString(id);
  if (parsed.policy !== undefined || parsed.preset !== undefined)
    return '"smart/" and "@preset/" name routing policies and presets';
  if (parsed.variant !== undefined)
    return `a ":${parsed.variant}" suffix selects a ranking; an id cannot end with one`;
  if (parsed.model !== id || id === '') return 'must not be empty or padded with spaces';
  return undefined;
}
