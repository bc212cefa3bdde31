import type { IncomingMessage, ServerResponse } from 'node:http';
import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { SPACES_CONFIG } from '../config/spaces-config.js';
import type { AppConfig } from '../config/environment.js';

/** The interactive transactions' timeout: Prisma's 10 s, or longer than the deadline (see RequestDeadline). */
export function transactionTimeoutMs(config: Pick<AppConfig, 'REQUEST_DEADLINE_SECONDS'>): number {
  return Math.max(10_000, 3 * (config.REQUEST_DEADLINE_SECONDS ?? 0) * 1000);
}

/** Set on a request whose deadline the HTTP server's own hook keeps (the service on Fastify: see app.setup.ts). */
export const DEADLINE_KEPT = Symbol('deadline kept');

/** The error body of a request answered by its deadline. */
export const DEADLINE_BODY = JSON.stringify({
  error: 'service_unavailable',
  error_description: 'The database did not answer in time: retry later.',
});

/**
 * REQUEST_DEADLINE_SECONDS: a request the database has not let finish by then
 * is answered 503 service_unavailable (Retry-After), instead of holding the
 * caller: on a replicated PostgreSQL, a commit waits for a synchronous standby
 * for as long as there is none. Nothing is cancelled (a cancelled wait would
 * commit on the leader alone): the work finishes, or fails, on its own, and a
 * creation retried with the same Idempotency-Key gets its outcome; its late
 * answer is dropped. Interactive transactions then time out well after the
 * deadline, so that Prisma does not roll one back while its statements are
 * still in flight.
 *
 * The service keeps the deadline from the request's first byte (a hook of
 * its HTTP server's); in a host application this guard, one of those every
 * route ends with (see SpacesApi), keeps it from the end of authorisation.
 * A guard rather than an interceptor: a request costs nothing when there is
 * no deadline.
 */
@Injectable()
export class RequestDeadline implements CanActivate {
  constructor(@Inject(SPACES_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const seconds = this.config.REQUEST_DEADLINE_SECONDS ?? 0;
    if (seconds <= 0) return true;
    const http = context.switchToHttp();
    const req = http.getRequest<{ raw?: IncomingMessage } & IncomingMessage>();
    const raw = req.raw ?? req;
    if ((raw as IncomingMessage & { [DEADLINE_KEPT]?: true })[DEADLINE_KEPT]) return true;
    const res = http.getResponse<{ raw?: ServerResponse } & ServerResponse>();
    const out = res.raw ?? res;
    const timer = setTimeout(() => {
      if (out.headersSent || out.writableEnded) return;
      out.writeHead(503, { 'Content-Type': 'application/json; charset=utf-8', 'Retry-After': '1' });
      out.end(DEADLINE_BODY);
    }, seconds * 1000);
    timer.unref();
    out.once('close', () => clearTimeout(timer));
    return true;
  }
}
