import { applyDecorators, UseFilters, UseGuards, UseInterceptors, UsePipes } from '@nestjs/common';
import { BearerAuthGuard } from '../auth/bearer-auth.guard.js';
import { RateLimitGuard } from '../auth/rate-limit.guard.js';
import { AllExceptionsFilter } from './all-exceptions.filter.js';
import { WriteTracker } from '../database/replica-reads.js';
import { BodyErrorInterceptor } from './body-parsing.js';
import { RequestDeadline } from './request-deadline.js';
import { AppValidationPipe } from './validation.pipe.js';

/**
 * What every controller of the service runs under: the rate limit, then
 * authentication (deny by default: routes say @Public() or @Callers()), body
 * faults raised after the guards, the request's deadline, the replica reads'
 * note of the caller's writes, the validation pipe and the error filter.
 *
 * Applied to the service's own controllers rather than registered app-wide,
 * so that a host application importing SpacesModule keeps its routes as they
 * were: none of these runs on them.
 */
export const SpacesApi = () =>
  applyDecorators(
    UseGuards(RateLimitGuard, BearerAuthGuard),
    UseInterceptors(BodyErrorInterceptor, RequestDeadline, WriteTracker),
    UsePipes(AppValidationPipe),
    UseFilters(AllExceptionsFilter),
  );
