import type { IncomingHttpHeaders } from 'node:http';
import type { CALLER, Caller } from '../auth/caller.js';

/**
 * What the service reads of a request. Fastify's request and Express's both
 * have these fields, so guards and filters serve either adapter (a host
 * platform importing the spaces feature may run Express).
 */
export interface HttpRequest {
  method: string;
  url: string;
  /** Express only: the URL before any router mount stripped a prefix. */
  originalUrl?: string;
  headers: IncomingHttpHeaders;
  params: Record<string, string | undefined>;
  /** The client's address (behind a trusted proxy, the one it names). */
  ip?: string;
  /** The authenticated caller, set by BearerAuthGuard. */
  [CALLER]?: Caller;
  /** A body fault kept for BodyFaultGuard (see body-parsing.ts). */
  bodyError?: Error;
}

/** The request's path, without its query string. */
export function requestPath(req: Pick<HttpRequest, 'url' | 'originalUrl'>): string {
  const url = req.originalUrl ?? req.url;
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
