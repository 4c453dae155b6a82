import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HeaderMap, IncomingRequestInfo, IngressCodec } from '../core/adapters.ts';
import { GatewayError } from '../core/errors.ts';
import type { WireProtocol } from '../core/protocols.ts';
import type { RequestRecord } from '../routing/request-record.ts';
import type { Runtime } from './runtime.ts';

export interface RouteContext {
  runtime: Runtime;
  request: IncomingMessage;
  response: ServerResponse;
  /** parsed on first use */
  readonly url: URL;
  /** the request path, without the query */
  path: string;
  params: Record<string, string>;
  requestId: string;
  /** reads and parses the JSON body within the size limit */
  json(): Promise<Record<string, unknown>>;
  /** the bytes json() parsed (undefined before) */
  readonly rawBody: Buffer | undefined;
  /** the record of a model call, created by routes that call a model */
  startRecord(protocol: WireProtocol, endpoint: string): RequestRecord;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** path pattern; `:name` matches one segment, a trailing `*name` the rest */
  pattern: string;
  /** codec whose error shape this route answers in */
  errors: IngressCodec;
  /** requires the gateway key when one is set */
  authenticated: boolean;
  handle(context: RouteContext): Promise<void> | void;
}

interface CompiledRoute {
  route: Route;
  regex: RegExp;
  names: string[];
}

const NO_PARAMS: Record<string, string> = Object.freeze({}) as Record<string, string>;

export class Router {
  private readonly compiled: CompiledRoute[] = [];
  /** routes without parameters, by method and path: the common case needs no regex */
  private readonly exact = new Map<string, Route>();

  add(route: Route): void {
    if (!/[:*]/.test(route.pattern) && !this.exact.has(`${route.method} ${route.pattern}`))
      this.exact.set(`${route.method} ${route.pattern}`, route);
    const names: string[] = [];
    const source = route.pattern
      .split('/')
      .map((segment) => {
        if (segment.startsWith(':')) {
          names.push(segment.slice(1));
          return '([^/]+)';
        }
        if (segment.startsWith('*')) {
          names.push(segment.slice(1));
          return '(.+)';
        }
        return segment.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    this.compiled.push({ route, regex: new RegExp(`^${source}$`), names });
  }

  /** The matching route, or `allowed` methods when the path exists with another method. */
  match(
    method: string,
    path: string,
  ): { route: Route; params: Record<string, string> } | { allowed: string[] } | undefined {
    const exact = this.exact.get(`${method} ${path}`);
    if (exact) return { route: exact, params: NO_PARAMS };
    const allowed: string[] = [];
    for (const { route, regex, names } of this.compiled) {
      const found = regex.exec(path);
      if (!found) continue;
      if (route.method !== method) {
        allowed.push(route.method);
        continue;
      }
      const params: Record<string, string> = {};
      names.forEach((name, index) => {
        params[name] = decodeSegment(found[index + 1]);
      });
      return { route, params };
    }
    return allowed.length ? { allowed } : undefined;
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new GatewayError('invalid_request', `Malformed percent-escape in the path: ${segment}`);
  }
}

/** The incoming request as ingress codecs see it. */
export function requestInfo(context: RouteContext): IncomingRequestInfo {
  return {
    requestId: context.requestId,
    headers: context.request.headers as HeaderMap,
    path: context.url.pathname,
    query: context.url.searchParams,
  };
}

/** A single header value, trimmed; undefined when absent or empty. */
export function headerValue(value: string | string[] | undefined): string | undefined {
  const single = Array.isArray(value) ? value[0] : value;
  return single?.trim() || undefined;
}
