import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { HttpRequest } from '../common/http-request.js';
import { ApiError } from '../common/api-error.js';
import { routeCallers } from './auth.decorators.js';
import { Authenticator } from './authenticator.js';
import { presentedCredentials } from './bearer.strategy.js';
import { CALLER, type CallerType } from './caller.js';

const WHO: Record<CallerType, string> = { user: 'users', provider: 'providers', admin: 'the administrator' };

/**
 * Global guard, deny by default: a route is open only with @Public(), and
 * otherwise says with @Callers() who may call it.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const { open, identifies, allowed } = routeCallers(this.reflector, context);
    if (open) {
      if (identifies) {
        const req = context.switchToHttp().getRequest<HttpRequest>();
        const caller = await this.authenticator.callerOf(req, context);
        if (caller) req[CALLER] = caller;
      }
      return true;
    }
    if (!allowed) {
      throw new Error(`${context.getClass().name}.${context.getHandler().name} declares no @Public() or @Callers()`);
    }
    const req = context.switchToHttp().getRequest<HttpRequest>();
    const caller = await this.authenticator.callerOf(req, context);
    if (!caller) {
      if (!this.authenticator.usesBearerTokens) throw new ApiError('unauthorized', 'Authentication required.');
      const presented = presentedCredentials(req);
      if (presented && /^basic /i.test(presented)) {
        throw new ApiError(
          'unauthorized',
          'Basic authentication is not supported: send a token in Authorization: Bearer <token> or X-Auth-Token.',
        );
      }
      throw presented ? ApiError.invalidBearer() : ApiError.unauthorized();
    }
    req[CALLER] = caller;
    if (!allowed.includes(caller.type)) {
      throw ApiError.forbidden(`This operation is available to ${allowed.map((t) => WHO[t]).join(' and ')} only.`);
    }
    return true;
  }
}
