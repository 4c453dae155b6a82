import { existsSync, readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { type ConfigFile, configSchema } from './schema.ts';

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(file: string, problems: string[]) {
    super(`Invalid configuration in ${file}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export interface LoadedConfig {
  file?: string;
  config: ConfigFile;
}

/** Finds the config file: an explicit path, SWITCHYARD_CONFIG, or ./switchyard.yaml when present. */
export function resolveConfigPath(explicit: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (explicit) return explicit;
  if (env.SWITCHYARD_CONFIG) return env.SWITCHYARD_CONFIG;
  for (const name of ['switchyard.yaml', 'switchyard.yml']) if (existsSync(name)) return name;
  return undefined;
}

export function loadConfigFile(
  file: string,
  env: NodeJS.ProcessEnv,
  knownProviders: ReadonlySet<string>,
): ConfigFile {
  const text = readConfigText(file);
  return parseConfigText(text, file, env, knownProviders);
}

function readConfigText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, [
      `cannot read the file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    ]);
  }
}

/**
 * The provider ids a config file declares, read without validating the file or substituting ${VAR}s, so
 * a command that only needs the names does not need the keys in its environment.
 */
export function declaredProviderIds(file: string): string[] {
  const text = readConfigText(file);
  const providers = (parseDocument(text).toJS() as { providers?: unknown } | null)?.providers;
  return providers && typeof providers === 'object' ? Object.keys(providers) : [];
}

export function parseConfigText(
  text: string,
  file: string,
  env: NodeJS.ProcessEnv,
  knownProviders: ReadonlySet<string>,
): ConfigFile {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: true });
  if (document.errors.length > 0) {
    throw new ConfigError(
      file,
      document.errors.map((error) => {
        const at = error.linePos?.[0];
        return `${at ? `line ${at.line}, column ${at.col}: ` : ''}${error.message.split('\n')[0]}`;
      }),
    );
  }
  const problems: string[] = [];
  const raw = substituteEnv(document.toJS() ?? {}, env, [], problems);
  const where = (path: PropertyKey[]) => locate(document, lineCounter, path);
  if (problems.length)
    throw new ConfigError(
      file,
      problems.map((problem) => problem),
    );
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      file,
      parsed.error.issues.map((issue) => describeIssue(issue, where)),
    );
  }
  checkReferences(parsed.data, knownProviders, where, problems);
  if (problems.length) throw new ConfigError(file, problems);
  return parsed.data;
}

function describeIssue(issue: z.core.$ZodIssue, where: (path: PropertyKey[]) => string): string {
  const path = issue.path;
  // zod's message already names unrecognised keys (`Unrecognized key: "x"`)
  return `${where(path)}${formatPath(path) || '(top level)'}: ${issue.message}`;
}

function checkReferences(
  config: ConfigFile,
  knownProviders: ReadonlySet<string>,
  where: (path: PropertyKey[]) => string,
  problems: string[],
): void {
  const declared = new Set(Object.keys(config.providers ?? {}));
  for (const [id, provider] of Object.entries(config.providers ?? {})) {
    const type = provider.type ?? id;
    if (!knownProviders.has(type)) {
      const path = ['providers', id, provider.type ? 'type' : undefined].filter((part) => part !== undefined);
      problems.push(
        `${where(path as string[])}${formatPath(path as string[])}: unknown provider type "${type}"`,
      );
    }
  }
  const seen = new Set<string>();
  config.models?.forEach((model, modelIndex) => {
    if (seen.has(model.id)) {
      problems.push(
        `${where(['models', modelIndex, 'id'])}models[${modelIndex}].id: duplicate model id "${model.id}"`,
      );
    }
    seen.add(model.id);
    model.deployments.forEach((deployment, deploymentIndex) => {
      if (declared.has(deployment.provider) || knownProviders.has(deployment.provider)) return;
      const path = ['models', modelIndex, 'deployments', deploymentIndex, 'provider'];
      problems.push(
        `${where(path)}${formatPath(path)}: unknown provider "${deployment.provider}" (declare it under providers or use a built-in provider id)`,
      );
    });
  });
}

/** Replaces ${VAR} and ${VAR:-default} in every string value. */
function substituteEnv(
  value: unknown,
  env: NodeJS.ProcessEnv,
  path: PropertyKey[],
  problems: string[],
): unknown {
  if (typeof value === 'string') {
    return value.replace(
      /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g,
      (_match, name: string, fallback?: string) => {
        const found = env[name];
        if (found !== undefined && found !== '') return found;
        if (fallback !== undefined) return fallback;
        problems.push(`${formatPath(path)}: environment variable ${name} is not set`);
        return '';
      },
    );
  }
  if (Array.isArray(value))
    return value.map((item, index) => substituteEnv(item, env, [...path, index], problems));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, substituteEnv(item, env, [...path, key], problems)]),
    );
  }
  return value;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

function locate(
  document: ReturnType<typeof parseDocument>,
  lineCounter: LineCounter,
  path: PropertyKey[],
): string {
  for (let length = path.length; length >= 0; length--) {
    const node = document.getIn(path.slice(0, length) as Array<string | number>, true) as
      | { range?: [number, number, number] }
      | undefined;
    const isNode = node && typeof node === 'object' && 'range' in node;
    if (isNode && node.range) {
      const position = lineCounter.linePos(node.range[0]);
      return `line ${position.line}: `;
    }
    if (length === 0) break;
  }
  return '';
}
