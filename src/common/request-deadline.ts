import { type CallHandler, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import { type Observable, throwError, timeout } from 'rxjs';
import { SPACES_CONFIG } from '../config/spaces-config.js';
import type { AppConfig } from '../config/environment.js';
import { ApiError } from './api-error.js';

/** The interactive transactions' timeout: Prisma's 10 s, or longer than the deadline (see RequestDeadline). */
export function transactionTimeoutMs(config: Pick<AppConfig, 'REQUEST_DEADLINE_SECONDS'>): number {
  return Math.max(10_000, 3 * (config.REQUEST_DEADLINE_SECONDS ?? 0) * 1000);
}

/**
 * REQUEST_DEADLINE_SECONDS: a request the database has not let finish by then
 * is answered 503 service_unavailable (Retry-After), instead of holding the
 * caller: on a replicated PostgreSQL, a commit waits for a synchronous standby
 * for as long as there is none. Nothing is cancelled (a cancelled wait would
 * commit on the leader alone): the work finishes, or fails, on its own, and a
 * creation retried with the same Idempotency-Key gets its outcome. Interactive
 * transactions then time out well after the deadline, so that Prisma does not
 * roll one back while its statements are still in flight.
 */
@Injectable()
export class RequestDeadline implements NestInterceptor {
  constructor(@Inject(SPACES_CONFIG) private readonly config: AppConfig) {}

  intercept(_context: unknown, next: CallHandler): Observable<unknown> {
    const seconds = this.config.REQUEST_DEADLINE_SECONDS ?? 0;
    if (seconds <= 0) return next.handle();
    return next.handle().pipe(
      timeout({
        first: seconds * 1000,
        with: () => throwError(() => new ApiError('service_unavailable', 'The database did not answer in time: retry later.')),
      }),
    );
  }
}
