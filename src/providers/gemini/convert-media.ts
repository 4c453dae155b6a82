// Images and files → Gemini inlineData / fileData parts.
import type { BuildContext, Warnings } from '../../core/adapters.ts';
import type { FilePart, ImagePart, Message } from '../../core/canonical.ts';
import type { GeminiPart } from './wire-types.ts';

export type FetchedImages = ReadonlyMap<string, { mediaType: string; data: string }>;

const GEMINI_FILES_PREFIX = 'https://generativelanguage.googleapis.com/';

const MIME_BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  heic: 'image/heic',
  heif: 'image/heif',
  pdf: 'application/pdf',
  txt: 'text/plain',
  mp3: 'audio/mp3',
  wav: 'audio/wav',
  mp4: 'video/mp4',
};

/** URIs Gemini reads itself (Cloud Storage, the Files API); everything else must be inlined. */
export function isGeminiFileUri(url: string): boolean {
  return url.startsWith('gs://') || url.startsWith(GEMINI_FILES_PREFIX);
}

/** Downloads every http(s) image URL in the conversation, in parallel, when the gateway can fetch. */
export async function fetchImageUrls(messages: Message[], context: BuildContext): Promise<FetchedImages> {
  const urls = new Set<string>();
  for (const message of messages) {
    for (const part of message.content) {
      const images = part.type === 'image' ? [part] : part.type === 'tool-result' ? part.content : [];
      for (const image of images) {
        if (image.type !== 'image' || image.source.kind !== 'url') continue;
        const url = image.source.url;
        if (/^https?:\/\//i.test(url) && !isGeminiFileUri(url)) urls.add(url);
      }
    }
  }
  const fetched = new Map<string, { mediaType: string; data: string }>();
  const fetchImage = context.fetchImage;
  if (urls.size === 0 || !fetchImage) return fetched;
  await Promise.all(
    [...urls].map(async (url) => {
      fetched.set(url, await fetchImage(url));
    }),
  );
  return fetched;
}

export function convertImage(
  part: ImagePart,
  fetched: FetchedImages,
  warnings: Warnings,
): GeminiPart | undefined {
  if (part.detail && part.detail !== 'auto') warnings.add('image detail: not supported by Gemini, ignored');
  const source = part.source;
  if (source.kind === 'base64') return { inlineData: { mimeType: source.mediaType, data: source.data } };
  const dataUrl = parseDataUrl(source.url);
  if (dataUrl) return { inlineData: dataUrl };
  if (isGeminiFileUri(source.url)) {
    // Gemini needs a MIME type with fileData; an image of unknown extension is sent as JPEG.
    return { fileData: { mimeType: guessMimeType(source.url) ?? 'image/jpeg', fileUri: source.url } };
  }
  const image = fetched.get(source.url);
  if (image) return { inlineData: { mimeType: image.mediaType, data: image.data } };
  warnings.add('image url: Gemini only reads inline images or gs:// / Files API URIs; image omitted');
  return undefined;
}

export function convertFile(part: FilePart, warnings: Warnings): GeminiPart | undefined {
  const mimeType = part.mediaType ?? guessMimeType(part.filename ?? part.fileId ?? '');
  if (part.data !== undefined) {
    if (!mimeType) warnings.add('file: unknown media type, sent as application/octet-stream');
    return { inlineData: { mimeType: mimeType ?? 'application/octet-stream', data: part.data } };
  }
  if (part.fileId !== undefined) {
    const fileUri = geminiFileUri(part.fileId);
    if (!fileUri) {
      warnings.add('file id: not a Gemini Files API or gs:// reference; file omitted');
      return undefined;
    }
    return { fileData: mimeType ? { mimeType, fileUri } : { fileUri } };
  }
  warnings.add('file: no data or file id; file omitted');
  return undefined;
}

function geminiFileUri(fileId: string): string | undefined {
  if (isGeminiFileUri(fileId)) return fileId;
  if (fileId.startsWith('files/')) return `${GEMINI_FILES_PREFIX}v1beta/${fileId}`;
  return undefined;
}

function parseDataUrl(url: string): { mimeType: string; data: string } | undefined {
  if (!url.startsWith('data:')) return undefined;
  const comma = url.indexOf(',');
  if (comma < 0) return undefined;
  const header = url.slice(5, comma);
  if (!header.endsWith(';base64')) return undefined;
  return { mimeType: header.slice(0, -7) || 'application/octet-stream', data: url.slice(comma + 1) };
}

export function guessMimeType(name: string): string | undefined {
  const path = name.split(/[?#]/)[0];
  const dot = path.lastIndexOf('.');
  if (dot < 0) return undefined;
  return MIME_BY_EXTENSION[path.slice(dot + 1).toLowerCase()];
}
