import { type ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerGuard, type ThrottlerModuleOptions, type ThrottlerStorage } from '@nestjs/throttler';
import { ApiError } from '../common/api-error.js';
import type { HttpRequest } from '../common/http-request.js';
import { SPACES_CONFIG } from '../config/spaces-config.js';
import type { AppConfig } from '../config/environment.js';
import { SPACES_METRICS, type SpacesMetricsRecorder } from '../observability/metrics-recorder.js';
import { routeCallers } from './auth.decorators.js';
import { Authenticator } from './authenticator.js';
import { callerKey } from './caller.js';

/** The rate limit's ThrottlerModuleOptions and storage: the service's own tokens. */
export const RATE_LIMIT_OPTIONS = Symbol('RateLimitOptions');
export const RATE_LIMIT_STORAGE = Symbol('RateLimitStorage');

/**
 * RATE_LIMIT requests per RATE_LIMIT_WINDOW_SECONDS for each caller, across
 * all routes: an authenticated caller is counted as themselves, whichever
 * address they call from; anonymous requests and failed credentials by the
 * client's address. Over the limit: 429 `too_many_requests` with
 * `Retry-After`. Runs before the bearer guard, so a flood of bad tokens is
 * cut off too.
 *
 * The service's limits are the module's (RATE_LIMIT, RATE_LIMIT_WINDOW_SECONDS),
 * the same on every route: @nestjs/throttler's per-route decorators
 * (@Throttle(), @SkipThrottle()) are not read, which spares each request the
 * dozen metadata lookups and awaits they would cost.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  constructor(
    @Inject(RATE_LIMIT_OPTIONS) options: ThrottlerModuleOptions,
    @Inject(RATE_LIMIT_STORAGE) storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly authenticator: Authenticator,
    @Inject(SPACES_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(SPACES_METRICS) private readonly metrics?: SpacesMetricsRecorder,
  ) {
    super(options, storage, reflector);
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.config.RATE_LIMIT === 0) return true;
    const { req, res } = this.getRequestResponse(context);
    const caller = routeCallers(this.reflector, context).open
      ? null
      : await this.authenticator.callerOf(req as unknown as HttpRequest, context);
    const tracker = caller ? callerKey(caller) : await this.getTracker(req);
    for (const throttler of this.throttlers) {
      const ttl = throttler.ttl as number;
      const limit = throttler.limit as number;
      const key = this.generateKey(context, tracker, throttler.name!);
      const hits = await this.storageService.increment(
        key,
        ttl,
        limit,
        (throttler.blockDuration as number | undefined) ?? ttl,
        throttler.name!,
      );
      if (hits.isBlocked) {
        this.setResponseHeader(res, 'Retry-After', hits.timeToBlockExpire);
        await this.throwThrottlingException();
      }
      this.setResponseHeader(res, `${this.headerPrefix}-Limit`, limit);
      this.setResponseHeader(res, `${this.headerPrefix}-Remaining`, Math.max(0, limit - hits.totalHits));
      this.setResponseHeader(res, `${this.headerPrefix}-Reset`, hits.timeToExpire);
    }
    return true;
  }

  /** An anonymous request's count (or one whose credentials failed): by the client's address. */
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    return `address:${await super.getTracker(req)}`;
  }

  /** Our error body and description (Retry-After is already set). */
  protected override async throwThrottlingException(): Promise<void> {
    this.metrics?.rateLimited();
    throw new ApiError('too_many_requests');
  }

  /** One count per caller for the whole API, not one per route. */
  protected override generateKey(_context: ExecutionContext, tracker: string, throttler: string): string {
    return `${throttler}:${tracker}`;
  }
}
