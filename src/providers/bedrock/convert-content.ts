import type { BuildContext } from '../../core/adapters.ts';
import type {
  FilePart,
  ImagePart,
  ReasoningPart,
  ToolCallPart,
  ToolResultPart,
} from '../../core/canonical.ts';
import type {
  BedrockContentBlock,
  BedrockDocumentBlock,
  BedrockDocumentFormat,
  BedrockImageBlock,
  BedrockImageFormat,
  BedrockToolResultContent,
} from './wire-types.ts';

export const BEDROCK_PROTOCOL = 'bedrock-converse';

const IMAGE_FORMATS: Record<string, BedrockImageFormat> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

const DOCUMENT_FORMATS: Record<string, BedrockDocumentFormat> = {
  'application/pdf': 'pdf',
  'text/csv': 'csv',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'text/html': 'html',
  'text/plain': 'txt',
  'text/markdown': 'md',
};

function lookup<T>(table: Record<string, T>, mediaType: string): T | undefined {
  const key = mediaType.toLowerCase();
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** State shared by one request's conversion: document names must be unique. */
export interface ConvertContext extends Pick<BuildContext, 'warnings' | 'fetchImage'> {
  documentNames: Set<string>;
}

/** Bedrock tool-use ids must match `[a-zA-Z0-9_-]+`; the same mapping is applied to calls and results. */
export function toolUseId(id: string): string {
  const cleaned = id.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64);
  return cleaned === '' ? 'tool_call' : cleaned;
}

const DATA_URL = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s;

async function inlineImage(
  part: ImagePart,
  context: ConvertContext,
): Promise<{ mediaType: string; data: string } | undefined> {
  const source = part.source;
  if (source.kind === 'base64') return { mediaType: source.mediaType, data: source.data };
  const dataUrl = DATA_URL.exec(source.url);
  if (dataUrl) return { mediaType: dataUrl[1], data: dataUrl[2] };
  if (context.fetchImage) return context.fetchImage(source.url);
  context.warnings.add(
    'image: Bedrock needs inline image bytes and no image fetcher is configured; URL image dropped',
  );
  return undefined;
}

export async function imageBlock(
  part: ImagePart,
  context: ConvertContext,
): Promise<BedrockImageBlock | undefined> {
  if (part.detail && part.detail !== 'auto') {
    context.warnings.add('image.detail: Bedrock has no image detail setting; ignored');
  }
  const inline = await inlineImage(part, context);
  if (!inline) return undefined;
  const format = lookup(IMAGE_FORMATS, inline.mediaType);
  if (!format) {
    context.warnings.add(
      `image: media type ${inline.mediaType} is not accepted by Bedrock (png, jpeg, gif, webp); image dropped`,
    );
    return undefined;
  }
  return { format, source: { bytes: inline.data } };
}

/** Bedrock document names: alphanumerics, single spaces, hyphens, parentheses, brackets; unique per request. */
function documentName(part: FilePart, context: ConvertContext): string {
  const base = (part.filename ?? '')
    .replace(/\.[^.]*$/, '')
    .replace(/[^a-zA-Z0-9\s\-()[\]]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
  let name = base || `document-${context.documentNames.size + 1}`;
  for (let n = 2; context.documentNames.has(name); n++) name = `${base || 'document'}-${n}`;
  context.documentNames.add(name);
  return name;
}

export function documentBlock(part: FilePart, context: ConvertContext): BedrockDocumentBlock | undefined {
  if (part.data === undefined) {
    context.warnings.add('file: Bedrock cannot read provider file ids, only inline file data; file dropped');
    return undefined;
  }
  const format = lookup(DOCUMENT_FORMATS, part.mediaType ?? '');
  if (!format) {
    context.warnings.add(
      `file: media type ${part.mediaType ?? 'unknown'} is not a Bedrock document format; file dropped`,
    );
    return undefined;
  }
  return { format, name: documentName(part, context), source: { bytes: part.data } };
}

export async function toolResultBlock(
  part: ToolResultPart,
  context: ConvertContext,
): Promise<BedrockContentBlock> {
  const content: BedrockToolResultContent[] = [];
  for (const item of part.content) {
    if (item.type === 'text') {
      content.push({ text: item.text });
      continue;
    }
    const image = await imageBlock(item, context);
    if (image) content.push({ image });
  }
  return {
    toolResult: {
      toolUseId: toolUseId(part.toolCallId),
      content,
      status: part.isError ? 'error' : 'success',
    },
  };
}

export function toolUseBlock(part: ToolCallPart, context: ConvertContext): BedrockContentBlock {
  let input: unknown = {};
  if (part.arguments.trim() !== '') {
    try {
      input = JSON.parse(part.arguments);
    } catch {
      context.warnings.add(`tool-call: arguments of ${part.name} are not valid JSON; sent as {}`);
    }
  }
  return { toolUse: { toolUseId: toolUseId(part.id), name: part.name, input } };
}

/** Reasoning goes back only with a signature Bedrock issued (or opaque redacted bytes). */
export function reasoningBlock(
  part: ReasoningPart,
  context: ConvertContext,
): BedrockContentBlock | undefined {
  const ours = part.signatureProtocol === undefined || part.signatureProtocol === BEDROCK_PROTOCOL;
  if (ours && part.redactedData) return { reasoningContent: { redactedContent: part.redactedData } };
  if (ours && part.signature) {
    return { reasoningContent: { reasoningText: { text: part.text, signature: part.signature } } };
  }
  context.warnings.add(
    'reasoning: earlier reasoning without a Bedrock signature cannot be sent back; dropped',
  );
  return undefined;
}
