// One AccessTokenSource per Vertex instance (and credentials), kept for the adapter's lifetime.
import type { ProviderInstance } from '../../core/adapters.ts';
import { AccessTokenSource, type PostForm } from './access-token.ts';
import { vertexSettings } from './instances.ts';
import { readServiceAccountFile, serviceAccountFrom } from './service-account.ts';

export interface TokenSourcesOptions {
  now?: () => number;
  postForm?: PostForm;
}

export class TokenSources {
  private readonly options: TokenSourcesOptions;
  private readonly sources = new Map<string, AccessTokenSource>();

  constructor(options: TokenSourcesOptions = {}) {
    this.options = options;
  }

  tokenFor(instance: ProviderInstance): Promise<string> {
    const settings = vertexSettings(instance);
    const inline = settings.credentials;
    const key = `${instance.id}\u0000${settings.credentialsFile ?? ''}\u0000${String(inline?.client_email ?? '')}`;
    let source = this.sources.get(key);
    if (!source) {
      const file = settings.credentialsFile ?? '';
      source = new AccessTokenSource({
        loadAccount: inline ? async () => serviceAccountFrom(inline) : () => readServiceAccountFile(file),
        now: this.options.now,
        postForm: this.options.postForm,
      });
      this.sources.set(key, source);
    }
    return source.getToken();
  }
}
