import type { IncomingMessage } from 'node:http';

/** The request a synchronous logging call is about (withRequestLog). */
let current: IncomingMessage | undefined;

/**
 * Runs `log` (synchronous) with `request` as the one its lines are about:
 * the service's logger puts the request on them. For code that holds the
 * request (the error filter), so that its lines name the request at any log
 * level; a host application's logger ignores it.
 */
export function withRequestLog(request: unknown, log: () => void): void {
  const previous = current;
  current = rawRequest(request);
  try {
    log();
  } finally {
    current = previous;
  }
}

/** The request the current logging call is about, if withRequestLog gave one. */
export function loggingRequest(): IncomingMessage | undefined {
  return current;
}

/** Node's request under a framework's: Fastify's `raw`, or Express's request itself. */
function rawRequest(request: unknown): IncomingMessage | undefined {
  if (typeof request !== 'object' || request === null) return undefined;
  return (request as { raw?: IncomingMessage }).raw ?? (request as IncomingMessage);
}
