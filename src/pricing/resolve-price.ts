import type { Price } from '../core/adapters.ts';
import { lookupCatalogModel } from './catalog.ts';
import type { ResolvedPrice } from './types.ts';

const OVERRIDABLE = ['input', 'output', 'cacheRead', 'cacheWrite'] as const;

/**
 * The price to bill a deployment with: the catalog's, overridden field by field by the deployment's
 * configured `price` (a flat override replaces that field's tiers too). Fields the override leaves out
 * keep the catalog's value. Undefined when neither knows an input or output rate.
 */
export function resolvePrice(
  providerId: string,
  modelId: string,
  override?: Price,
  at?: Date,
): ResolvedPrice | undefined {
  const catalog = lookupCatalogModel(providerId, modelId, at)?.price;
  if (!override) return catalog;
  const merged: ResolvedPrice = { ...catalog };
  for (const field of OVERRIDABLE) {
    const value = override[field];
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) merged[field] = value;
  }
  if (merged.input === undefined && merged.output === undefined) return undefined;
  return merged;
}
