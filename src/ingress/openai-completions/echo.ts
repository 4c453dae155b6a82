import type { EncodeContext } from '../../core/adapters.ts';
import type { CanonicalRequest } from '../../core/canonical.ts';

/**
 * `echo: true` is honoured by the gateway itself (the prompt is put in front of the returned text), so
 * it must not reach providers as an `extra` field they would warn about. The canonical form has no
 * field for it, so the decoded request is remembered here and found again through
 * `EncodeContext.request`, which is the very object `decodeRequest` returned.
 */
const echoed = new WeakMap<CanonicalRequest, string>();

export function rememberEcho(request: CanonicalRequest, prompt: string): void {
  echoed.set(request, prompt);
}

/** The prompt to put in front of the reply, or '' when the client did not ask for echo. */
export function echoPrefix(context: EncodeContext): string {
  return context.request ? (echoed.get(context.request) ?? '') : '';
}
