import type { Target } from '../core/adapters.ts';
import type { CanonicalRequest } from '../core/canonical.ts';
import type { WireProtocol } from '../core/protocols.ts';
import { estimateUsage } from '../pricing/index.ts';
import { adapterFor } from '../providers/registry.ts';

/** A local tokenizer estimate of a request's input tokens, for providers with no count endpoint. */
export async function estimateInputTokens(request: CanonicalRequest): Promise<number> {
  const usage = await estimateUsage(request, '');
  return usage.inputTokens;
}

export const ESTIMATE_HEADER = 'x-switchyard-token-count';

/** The first target whose provider counts tokens natively in the client's own protocol. */
export function nativeCountTarget(targets: readonly Target[], protocol: WireProtocol): Target | undefined {
  return targets.find((target) => {
    const adapter = adapterFor(target.provider);
    return adapter.wireProtocol === protocol && adapter.operations.has('count-tokens');
  });
}
