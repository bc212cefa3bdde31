import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AbstractHttpAdapter } from '@nestjs/core';
import type { ApiError } from '../common/api-error.js';
import { FAULTS } from '../common/body-parsing.js';
import type { HttpRequest } from '../common/http-request.js';

/**
 * A host's body parser fails before any route runs, and the host's error
 * handler answers with the host's body. On the feature's routes the fault is
 * kept on the request instead (as the standalone service's own parser does),
 * so that the route answers in its order — authenticate, authorise, then the
 * body's 400, 413 or 415 — with the feature's error body. The host's routes
 * keep the host's answers.
 *
 * Express: an error middleware right after the host's body parser (the
 * feature's `configure()` runs between the two). Fastify: the feature's routes
 * get an error handler of their own, which runs the route with the fault kept
 * and hands every other error to the host's. Neither platform package is
 * imported: the host's adapter is used as it is.
 */
export function keepBodyFaultsOnFeatureRoutes(adapter: AbstractHttpAdapter, prefix: string): void {
  const ours = (path: string) => prefix === '' || path === prefix || path.startsWith(`${prefix}/`);
  switch (adapter.getType()) {
    case 'express':
      return onExpress(adapter.getInstance(), ours);
    case 'fastify':
      return onFastify(adapter.getInstance(), ours);
  }
}

/** The fault a parser's error stands for, or undefined for errors that are not a body's. */
function faultOf(error: { type?: unknown; code?: unknown; statusCode?: unknown; status?: unknown } | null): ApiError | null | undefined {
  if (!error || typeof error !== 'object') return undefined;
  // body-parser (Express)
  switch (error.type) {
    case 'entity.parse.failed':
      return FAULTS.notJsonText();
    case 'entity.too.large':
      return FAULTS.tooLarge();
    case 'encoding.unsupported':
      return FAULTS.encoding();
    case 'charset.unsupported':
      return FAULTS.charset();
    case 'request.aborted':
    case 'request.size.invalid':
      return FAULTS.notWhole();
  }
  // Fastify's content-type parsers
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return FAULTS.notJson();
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return FAULTS.tooLarge();
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return FAULTS.notWhole();
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return FAULTS.notJsonText();
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return null; // an empty body is `{}`, as the feature reads it
  }
  // Fastify's JSON parser throws the SyntaxError of JSON.parse, with a 400.
  if (error instanceof SyntaxError && (error.statusCode === 400 || error.status === 400)) return FAULTS.notJsonText();
  return undefined;
}

type Next = (error?: unknown) => void;
interface ExpressApp {
  use(handler: (error: unknown, req: IncomingMessage & HttpRequest & { body?: unknown }, res: ServerResponse, next: Next) => void): void;
}

function onExpress(app: ExpressApp, ours: (path: string) => boolean): void {
  app.use((error, req, _res, next) => {
    const fault = faultOf(error as never);
    const path = (req.originalUrl ?? req.url ?? '').split('?')[0];
    if (fault === undefined || !ours(path)) return next(error);
    if (fault) req.bodyError = fault;
    req.body = undefined;
    next();
  });
}

interface FastifyRouteOptions {
  url: string;
  handler: (this: unknown, request: unknown, reply: unknown) => unknown;
  errorHandler?: unknown;
}
interface FastifyApp {
  addHook(name: 'onRoute', hook: (route: FastifyRouteOptions) => void): void;
}
interface FastifyReply {
  send(payload: unknown): void;
}

function onFastify(fastify: FastifyApp, ours: (path: string) => boolean): void {
  fastify.addHook('onRoute', (route) => {
    if (!ours(route.url) || route.errorHandler !== undefined) return;
    const handler = route.handler;
    route.errorHandler = function (this: unknown, error: unknown, request: HttpRequest & { body?: unknown }, reply: FastifyReply) {
      const fault = faultOf(error as never);
      // Not a body's fault: the host's error handler answers (Fastify hands a thrown error up).
      if (fault === undefined) throw error;
      if (fault) request.bodyError = fault;
      request.body = undefined;
      Promise.resolve(handler.call(this, request, reply)).catch((failure: unknown) => reply.send(failure));
    };
  });
}
