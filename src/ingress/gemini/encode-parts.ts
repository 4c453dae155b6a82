import type { CanonicalResponse, ReasoningPart } from '../../core/canonical.ts';
import { wrapToken } from '../signature-envelope.ts';
import type { GeminiPart } from './wire-types.ts';

/** Tool-call argument text → the object Gemini's functionCall.args holds ("" → {}). */
export function parseArguments(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    // The model produced broken JSON: Gemini has no way to carry raw text, so the call goes out empty.
    return {};
  }
}

export function functionCallPart(name: string, argumentsText: string, signature?: string): GeminiPart {
  const part: GeminiPart = { functionCall: { name, args: parseArguments(argumentsText) } };
  if (signature) part.thoughtSignature = signature;
  return part;
}

/**
 * The thoughtSignature for a reasoning part. A token another protocol issued (an Anthropic thinking
 * signature or redacted data, a Bedrock signature) goes out in the shared envelope naming its issuer, so
 * that when the client sends the part back the token returns to that protocol (../signature-envelope.ts).
 */
export function geminiSignature(
  part: Pick<ReasoningPart, 'signature' | 'redactedData' | 'signatureProtocol'>,
): string | undefined {
  const protocol = part.signatureProtocol;
  const signature = part.signature || undefined;
  if (protocol === undefined || protocol === 'gemini') return signature;
  if (signature === undefined && part.redactedData === undefined) return undefined;
  return wrapToken({ protocol, signature, redactedData: part.redactedData });
}

/**
 * Canonical content → Gemini parts. Reasoning becomes `{text, thought: true}`; an empty reasoning part that
 * only carries a signature is folded onto the text part after it (`{text, thoughtSignature}`), which is
 * where Gemini put it and where the decoder took it from.
 */
export function encodeParts(content: CanonicalResponse['content']): GeminiPart[] {
  const parts: GeminiPart[] = [];
  let heldSignature: string | undefined;
  for (const part of content) {
    if (part.type === 'text') {
      parts.push(heldSignature ? { text: part.text, thoughtSignature: heldSignature } : { text: part.text });
      heldSignature = undefined;
      continue;
    }
    if (heldSignature) parts.push({ text: '', thoughtSignature: heldSignature });
    heldSignature = undefined;
    if (part.type === 'tool-call') {
      parts.push(functionCallPart(part.name, part.arguments, part.signature));
    } else if (part.text === '') {
      heldSignature = geminiSignature(part);
    } else {
      const signature = geminiSignature(part);
      parts.push(
        signature
          ? { text: part.text, thought: true, thoughtSignature: signature }
          : { text: part.text, thought: true },
      );
    }
  }
  if (heldSignature) parts.push({ text: '', thoughtSignature: heldSignature });
  return parts;
}
