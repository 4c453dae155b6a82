import type { FilePart, ImagePart, Part, ReasoningPart } from '../../core/canonical.ts';
import { unwrapToken } from '../signature-envelope.ts';
import { field, invalid, isObject, type JsonObject, optionalString } from './read-field.ts';

/** Decodes one Gemini part that is not a function call or response. Returns one or two canonical parts. */
export function decodeContentPart(part: JsonObject, where: string): Part[] {
  const signature = optionalString(part, 'thoughtSignature', where);
  const text = field(part, 'text');
  if (text !== undefined && text !== null) {
    if (typeof text !== 'string') throw invalid(`${where}.text must be a string`);
    if (field(part, 'thought') === true) return [reasoning(text, signature)];
    // A signature on a plain text part has no canonical home on TextPart: it rides on an empty
    // reasoning part just before the text, which the encoder folds back onto the text part.
    return signature ? [reasoning('', signature), { type: 'text', text }] : [{ type: 'text', text }];
  }
  const media = decodeMedia(part, where);
  if (media) return signature ? [reasoning('', signature), media] : [media];
  const code = decodeCodeExecution(part, where);
  if (code) return [code];
  if (signature) return [reasoning('', signature)];
  throw invalid(
    `${where} must hold one of text, inlineData, fileData, functionCall or functionResponse (got ${describeKeys(part)})`,
  );
}

/** A signature in the shared envelope goes back to the protocol that issued it (../signature-envelope.ts). */
function reasoning(text: string, signature: string | undefined): ReasoningPart {
  if (!signature) return { type: 'reasoning', text };
  const foreign = unwrapToken(signature);
  if (!foreign) return { type: 'reasoning', text, signature, signatureProtocol: 'gemini' };
  const part: ReasoningPart = { type: 'reasoning', text, signatureProtocol: foreign.protocol };
  if (foreign.signature !== undefined) part.signature = foreign.signature;
  if (foreign.redactedData !== undefined) part.redactedData = foreign.redactedData;
  return part;
}

function decodeMedia(part: JsonObject, where: string): ImagePart | FilePart | undefined {
  const inline = field(part, 'inlineData');
  if (inline !== undefined) return decodeInlineData(inline, `${where}.inlineData`);
  const file = field(part, 'fileData');
  if (file !== undefined) return decodeFileData(file, `${where}.fileData`);
  return undefined;
}

/** Decodes `inlineData` (base64 bytes) into an image part, or a file part for any other media type. */
export function decodeInlineData(inline: unknown, where: string): ImagePart | FilePart {
  if (!isObject(inline)) throw invalid(`${where} must be an object`);
  const mediaType = optionalString(inline, 'mimeType', where);
  const data = optionalString(inline, 'data', where);
  if (!mediaType) throw invalid(`${where}.mimeType is required`);
  if (data === undefined) throw invalid(`${where}.data is required`);
  if (mediaType.startsWith('image/')) return { type: 'image', source: { kind: 'base64', mediaType, data } };
  const filename = optionalString(inline, 'displayName', where);
  return filename ? { type: 'file', filename, mediaType, data } : { type: 'file', mediaType, data };
}

function decodeFileData(file: unknown, where: string): ImagePart | FilePart {
  if (!isObject(file)) throw invalid(`${where} must be an object`);
  const uri = optionalString(file, 'fileUri', where);
  if (!uri) throw invalid(`${where}.fileUri is required`);
  const mediaType = optionalString(file, 'mimeType', where);
  if (mediaType?.startsWith('image/')) return { type: 'image', source: { kind: 'url', url: uri } };
  const out: FilePart = { type: 'file', fileId: uri };
  if (mediaType) out.mediaType = mediaType;
  const filename = optionalString(file, 'displayName', where);
  if (filename) out.filename = filename;
  return out;
}

/** Earlier code-execution turns have no canonical part; they are kept as text so the model still sees them. */
function decodeCodeExecution(part: JsonObject, where: string): Part | undefined {
  const code = field(part, 'executableCode');
  if (isObject(code)) {
    const language = String(optionalString(code, 'language', where) ?? '').toLowerCase();
    const source = optionalString(code, 'code', `${where}.executableCode`) ?? '';
    return {
      type: 'text',
      text: `\`\`\`${language === 'language_unspecified' ? '' : language}\n${source}\n\`\`\``,
    };
  }
  const result = field(part, 'codeExecutionResult');
  if (isObject(result)) {
    const output = optionalString(result, 'output', `${where}.codeExecutionResult`) ?? '';
    return { type: 'text', text: `\`\`\`output\n${output}\n\`\`\`` };
  }
  return undefined;
}

function describeKeys(part: JsonObject): string {
  const keys = Object.keys(part);
  return keys.length === 0 ? 'an empty part' : keys.join(', ');
}
