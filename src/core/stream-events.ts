import type { FinishReason, Usage } from './canonical.ts';
import type { GatewayError } from './errors.ts';

/**
 * What every provider stream is parsed into and every ingress encodes from.
 * `index` numbers content blocks in the order they start.
 */
export type StreamEvent =
  | { type: 'response-start'; id: string; model: string; created?: number }
  | { type: 'text-delta'; index: number; delta: string }
  | { type: 'reasoning-delta'; index: number; delta: string }
  | {
      type: 'reasoning-signature';
      index: number;
      signature: string;
      redactedData?: string;
      /** wire protocol that issued the signature (as on ReasoningPart) */
      signatureProtocol?: string;
    }
  | { type: 'tool-call-start'; index: number; id: string; name: string; signature?: string }
  | { type: 'tool-call-delta'; index: number; argumentsDelta: string }
  | { type: 'block-end'; index: number }
  | { type: 'usage'; usage: Usage }
  | { type: 'response-end'; finishReason: FinishReason; rawFinishReason?: string; usage?: Usage }
  | { type: 'error'; error: GatewayError };
