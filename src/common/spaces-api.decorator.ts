import { applyDecorators, UseFilters, UseGuards, UsePipes } from '@nestjs/common';
import { GUARDS_METADATA, METHOD_METADATA } from '@nestjs/common/constants.js';
import { BearerAuthGuard } from '../auth/bearer-auth.guard.js';
import { RateLimitGuard } from '../auth/rate-limit.guard.js';
import { AllExceptionsFilter } from './all-exceptions.filter.js';
import { WriteTracker } from '../database/replica-reads.js';
import { BodyFaultGuard } from './body-parsing.js';
import { honourIdempotencyKey, IDEMPOTENT_LOCATION, IdempotencyGuard } from './idempotency/idempotency.guard.js';
import { RequestDeadline } from './request-deadline.js';
import { AppValidationPipe } from './validation.pipe.js';

/**
 * What every controller of the service runs under: the rate limit, then
 * authentication (deny by default: routes say @Public() or @Callers()), the
 * route's own guards (authorisation), then body faults, the request's
 * deadline and the replica reads' note of the caller's writes, the
 * Idempotency-Key on the routes that honour one (@Idempotent()), the
 * validation pipe and the error filter.
 *
 * Applied to the service's own controllers rather than registered app-wide,
 * so that a host application importing SpacesModule keeps its routes as they
 * were: none of these runs on them.
 */
export const SpacesApi = (): ClassDecorator => (target) => {
  applyDecorators(UseGuards(RateLimitGuard, BearerAuthGuard), UsePipes(AppValidationPipe), UseFilters(AllExceptionsFilter))(target);
  // A class decorator runs after its methods' decorators: each route's guards
  // are known, and these go last. Guards, not interceptors: a route with an
  // interceptor runs its handler through an rxjs chain, whatever it does.
  for (const name of Object.getOwnPropertyNames(target.prototype)) {
    const handler = Object.getOwnPropertyDescriptor(target.prototype, name)?.value as object | undefined;
    if (typeof handler !== 'function' || !Reflect.hasMetadata(METHOD_METADATA, handler)) continue;
    const guards = (Reflect.getMetadata(GUARDS_METADATA, handler) as unknown[] | undefined) ?? [];
    const idempotent = Reflect.hasMetadata(IDEMPOTENT_LOCATION, handler);
    Reflect.defineMetadata(
      GUARDS_METADATA,
      [...guards, BodyFaultGuard, RequestDeadline, WriteTracker, ...(idempotent ? [IdempotencyGuard] : [])],
      handler,
    );
    if (idempotent) honourIdempotencyKey(target.prototype as object, name);
  }
};
