import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { FastifyInstance } from 'fastify';
import { loggingRequest } from '../common/log-context.js';
import { type HttpLogger, loggerOf } from './access-log.js';

/** The logger of the request being served, bound to the request. */
const requestLogs = new AsyncLocalStorage<Logger>();

/**
 * The current request's logger: the one a synchronous logging call names
 * (withRequestLog), else the request being served, if it is tracked.
 */
export function requestLogger(http: HttpLogger): Logger | undefined {
  const named = loggingRequest();
  return named ? loggerOf(http, named) : requestLogs.getStore();
}

/**
 * The middleware: the access log writes the request's line once it is answered. When the
 * level lets debug lines through, the rest of its handling (guards, handlers,
 * filters) runs with the request's logger as the current one, so that each
 * line it causes names the request. Above debug, the lines a request can
 * cause are the error filter's, which names its request itself
 * (withRequestLog): tracking the request through every promise
 * (AsyncLocalStorage) then costs about a tenth of a read's CPU for nothing.
 */
export function logRequests(http: HttpLogger) {
  if (!http.logger.isLevelEnabled('debug')) return http;
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void =>
    http(req, res, () => requestLogs.run(loggerOf(http, req), next));
}

/**
 * The middleware as the HTTP server's first hook: every request is logged,
 * routed or not, in the API prefix or out of it, answered by a later hook
 * (a CORS preflight, a 503 while closing) or not, without Nest's middleware
 * layer (and @fastify/middie) around it.
 */
export function logEveryRequest(fastify: FastifyInstance, http: HttpLogger): void {
  const middleware = logRequests(http);
  fastify.addHook('onRequest', (request, reply, done) => {
    // The access line's id: the HTTP adapter's request id (see requestId in app.setup.ts).
    (request.raw as IncomingMessage & { id?: unknown }).id = request.id;
    middleware(request.raw, reply.raw, done);
  });
}
