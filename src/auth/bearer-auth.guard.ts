import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { ApiError } from '../common/api-error.js';
import { ALLOWED_CALLERS, IS_PUBLIC } from './auth.decorators.js';
import { presentedCredentials } from './bearer.strategy.js';
import type { Caller, CallerType } from './caller.js';

const WHO: Record<CallerType, string> = { user: 'users', provider: 'providers', admin: 'the administrator' };

/**
 * Global guard, deny by default: a route is open only with @Public(), and
 * otherwise says with @Callers() who may call it.
 */
@Injectable()
export class BearerAuthGuard extends AuthGuard('bearer') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const allowed = this.reflector.getAllAndOverride<CallerType[] | undefined>(ALLOWED_CALLERS, targets);
    if (!allowed) {
      throw new Error(`${context.getClass().name}.${context.getHandler().name} declares no @Public() or @Callers()`);
    }
    await super.canActivate(context);
    const caller = context.switchToHttp().getRequest<Request & { user: Caller }>().user;
    if (!allowed.includes(caller.type)) {
      throw ApiError.forbidden(
        `This operation is available to ${allowed.map((t) => WHO[t]).join(' and ')} only.`,
      );
    }
    return true;
  }

  override handleRequest<T = Caller>(
    error: unknown,
    caller: T | false,
    _info: unknown,
    context: ExecutionContext,
  ): T {
    if (error) throw error;
    if (!caller) {
      const req = context.switchToHttp().getRequest<Request>();
      throw presentedCredentials(req) ? ApiError.invalidBearer() : ApiError.unauthorized();
    }
    return caller;
  }
}
