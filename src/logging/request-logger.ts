import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { HttpLogger } from 'pino-http';

/** The logger of the request being served: pino-http's child logger, bound to the request. */
const requestLogs = new AsyncLocalStorage<Logger>();

/** The current request's logger, if a request is being served. */
export function requestLogger(): Logger | undefined {
  return requestLogs.getStore();
}

/**
 * The middleware: pino-http logs the request once it is answered, and the
 * rest of its handling (guards, handlers, filters) runs with the request's
 * logger as the current one, so that each line it causes names the request.
 */
export function logRequests(http: HttpLogger) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void =>
    http(req, res, () => requestLogs.run(req.allLogs[req.allLogs.length - 1], next));
}
