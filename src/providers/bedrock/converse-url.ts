/**
 * The Converse endpoint for a model id. The id (model id, cross-region inference profile such as
 * `us.anthropic.…`, or an ARN) is one path segment, so it is URI-encoded: `:` → `%3A`, `/` → `%2F`.
 */
export function converseUrl(baseUrl: string, modelId: string, stream: boolean): string {
  const action = stream ? 'converse-stream' : 'converse';
  return `${baseUrl.replace(/\/+$/, '')}/model/${encodeURIComponent(modelId)}/${action}`;
}
