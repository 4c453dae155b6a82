import type { FilePart, ImagePart, ImageSource, TextPart, UserPart } from '../../core/canonical.ts';
import { invalid, isObject, type Json, requireString, unsupported } from './json.ts';

const DETAILS = new Set(['auto', 'low', 'high']);

/** Message content: a string, or an array of input_text / input_image / input_file / output_text / refusal. */
export function decodeContent(content: unknown, path: string): UserPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw invalid(`'${path}' must be a string or an array of content parts`, path);
  return content.map((part, index) => decodeContentPart(part, `${path}[${index}]`));
}

export function decodeContentPart(part: unknown, path: string): UserPart {
  if (!isObject(part)) throw invalid(`'${path}' must be an object`, path);
  switch (part.type) {
    case 'input_text':
    case 'output_text':
      return { type: 'text', text: requireString(part.text, `${path}.text`) };
    case 'refusal':
      return { type: 'text', text: requireString(part.refusal, `${path}.refusal`) };
    case 'input_image':
      return decodeImage(part, path);
    case 'input_file':
      return decodeFile(part, path);
    case 'input_audio':
      throw unsupported('input_audio content is not supported', `${path}.type`);
    default:
      throw invalid(`Unsupported content part type '${String(part.type)}'`, `${path}.type`);
  }
}

/** Tool output parts: text and images only (what every provider can take in a tool result). */
export function decodeToolOutput(output: unknown, path: string): Array<TextPart | ImagePart> {
  if (typeof output === 'string') return [{ type: 'text', text: output }];
  if (!Array.isArray(output)) throw invalid(`'${path}' must be a string or an array of content parts`, path);
  return output.map((raw, index) => {
    const part = decodeContentPart(raw, `${path}[${index}]`);
    if (part.type === 'file') {
      throw unsupported('files inside function_call_output are not supported', `${path}[${index}].type`);
    }
    return part;
  });
}

function decodeImage(part: Json, path: string): ImagePart | FilePart {
  if (typeof part.file_id === 'string') return { type: 'file', fileId: part.file_id, mediaType: 'image/*' };
  const url = requireString(part.image_url, `${path}.image_url`);
  const image: ImagePart = { type: 'image', source: imageSource(url) };
  if (typeof part.detail === 'string' && DETAILS.has(part.detail))
    image.detail = part.detail as ImagePart['detail'];
  return image;
}

function decodeFile(part: Json, path: string): FilePart {
  const file: FilePart = { type: 'file' };
  if (typeof part.filename === 'string') file.filename = part.filename;
  if (typeof part.file_id === 'string') {
    file.fileId = part.file_id;
    return file;
  }
  if (typeof part.file_data === 'string') {
    const parsed = parseDataUrl(part.file_data);
    if (parsed) {
      file.mediaType = parsed.mediaType;
      file.data = parsed.data;
    } else {
      file.data = part.file_data;
      if (file.filename?.toLowerCase().endsWith('.pdf')) file.mediaType = 'application/pdf';
    }
    return file;
  }
  if (part.file_url !== undefined) {
    throw unsupported('input_file.file_url is not supported; send file_data or file_id', `${path}.file_url`);
  }
  throw invalid('input_file needs file_id or file_data', path);
}

export function imageSource(url: string): ImageSource {
  const parsed = parseDataUrl(url);
  return parsed ? { kind: 'base64', mediaType: parsed.mediaType, data: parsed.data } : { kind: 'url', url };
}

/** `data:<media type>;base64,<data>`; other data URLs are left as URLs. */
function parseDataUrl(url: string): { mediaType: string; data: string } | undefined {
  if (!url.startsWith('data:')) return undefined;
  const comma = url.indexOf(',');
  if (comma < 0) return undefined;
  const header = url.slice(5, comma);
  if (!header.endsWith(';base64')) return undefined;
  return { mediaType: header.slice(0, -7) || 'application/octet-stream', data: url.slice(comma + 1) };
}
