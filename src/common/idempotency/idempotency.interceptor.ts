import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { HttpAdapterHost, Reflector } from '@nestjs/core';
import { from, type Observable, of } from 'rxjs';
import { catchError, mergeMap } from 'rxjs/operators';
import { CALLER, callerKey } from '../../auth/caller.js';
import { ApiError } from '../api-error.js';
import { type HttpRequest, requestPath } from '../http-request.js';
import { Locations } from '../location.js';
import { fingerprint, Idempotency, type IdempotencyClaim } from './idempotency.service.js';
import type { IdempotencyRecord } from './idempotency.repository.js';

export const IDEMPOTENT_LOCATION = 'idempotency:location';
export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY_RULE = /^[\x21-\x7e]{1,255}$/;

/**
 * Honours `Idempotency-Key` on a creation route (see @Idempotent()): a retry
 * with the same key and request gets the first answer again (status and
 * `Location`, with `Idempotent-Replayed: true`) and creates nothing; the same
 * key with another request is 422 `idempotency_conflict`.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly idempotency: Idempotency,
    private readonly reflector: Reflector,
    private readonly locations: Locations,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<HttpRequest & { body?: unknown }>();
    const header = req.headers[IDEMPOTENCY_HEADER];
    if (header === undefined) return next.handle();
    if (typeof header !== 'string' || !KEY_RULE.test(header)) {
      throw ApiError.invalidRequest('Idempotency-Key must be 1 to 255 printable ASCII characters.');
    }
    const caller = req[CALLER];
    if (!caller) throw new Error('IdempotencyInterceptor ran before the caller was authenticated');
    const claim: IdempotencyClaim = {
      callerKey: callerKey(caller),
      key: header,
      fingerprint: fingerprint(req.method, requestPath(req), req.body),
    };
    const segments = this.reflector.get<string[]>(IDEMPOTENT_LOCATION, context.getHandler());
    const replay = (record: IdempotencyRecord) => {
      if (record.fingerprint !== claim.fingerprint) throw new ApiError('idempotency_conflict');
      const http = this.adapterHost.httpAdapter;
      const reply: unknown = context.switchToHttp().getResponse();
      http.status(reply, record.status);
      const path = segments.map((s) => (s.startsWith(':') ? (req.params[s.slice(1)] ?? s) : s));
      http.setHeader(reply, 'Location', this.locations.of(...path, record.resourceId));
      http.setHeader(reply, 'Idempotent-Replayed', 'true');
      return of(undefined);
    };
    return from(this.idempotency.previous(claim.callerKey, claim.key)).pipe(
      mergeMap((record) =>
        record
          ? replay(record)
          : this.idempotency
              .within(claim, () => next.handle())
              .pipe(
                // A request with the same key that raced this one and won: answer as it did.
                catchError((error: unknown) =>
                  from(this.idempotency.previous(claim.callerKey, claim.key)).pipe(
                    mergeMap((winner) => {
                      if (!winner) throw error;
                      return replay(winner);
                    }),
                  ),
                ),
              ),
      ),
    );
  }
}
