import { invalid } from './read-field.ts';

export interface GeminiPath {
  /** model as the client named it: `gemini-2.5-flash`, `anthropic/claude-sonnet-4-6`, or `tunedModels/<id>` */
  model: string;
  /** `generateContent`, `streamGenerateContent`, `countTokens`, ... */
  method: string;
}

const RESOURCE = /(?:^|\/)(models|tunedModels)\/(.+)$/;

/**
 * Reads model and method from a Gemini REST path such as `/v1beta/models/gemini-2.5-flash:generateContent`.
 * The method follows the LAST colon, so model strings that hold colons (Bedrock ids, `:cost` suffixes) survive.
 * Slashes after `models/` belong to the model (`models/openai/gpt-4o:generateContent`, as @google/genai sends it).
 */
export function parseGeminiPath(path: string): GeminiPath {
  const bare = path.split(/[?#]/, 1)[0];
  let decoded: string;
  try {
    decoded = decodeURIComponent(bare);
  } catch {
    throw invalid(`Malformed URL path: ${bare}`);
  }
  const match = RESOURCE.exec(decoded);
  if (!match) throw invalid(`Path must name a model as models/{model}:{method}: ${decoded}`);
  const [, collection, rest] = match;
  const colon = rest.lastIndexOf(':');
  if (colon <= 0 || colon === rest.length - 1) {
    throw invalid(`Path must name a model and a method as models/{model}:{method}: ${decoded}`);
  }
  const name = rest.slice(0, colon);
  const model = collection === 'tunedModels' ? `tunedModels/${name}` : name;
  return { model, method: rest.slice(colon + 1) };
}
