import { type ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerGuard, type ThrottlerModuleOptions, type ThrottlerStorage } from '@nestjs/throttler';
import { ApiError } from '../common/api-error.js';
import type { HttpRequest } from '../common/http-request.js';
import { SPACES_CONFIG } from '../config/spaces-config.js';
import type { AppConfig } from '../config/environment.js';
import { SPACES_METRICS, type SpacesMetricsRecorder } from '../observability/metrics-recorder.js';
import { IS_PUBLIC } from './auth.decorators.js';
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

  protected override async shouldSkip(): Promise<boolean> {
    return this.config.RATE_LIMIT === 0;
  }

  protected override async getTracker(req: Record<string, unknown>, context?: ExecutionContext): Promise<string> {
    const open = context !== undefined && this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    const caller = open ? null : await this.authenticator.callerOf(req as unknown as HttpRequest, context);
    return caller ? callerKey(caller) : `address:${await super.getTracker(req)}`;
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
