import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { HttpRequest } from '../common/http-request.js';
import { ApiError } from '../common/api-error.js';
import { ALLOWED_CALLERS, IS_PUBLIC } from './auth.decorators.js';
import { BearerStrategy, presentedCredentials } from './bearer.strategy.js';
import type { Caller, CallerType } from './caller.js';

const WHO: Record<CallerType, string> = { user: 'users', provider: 'providers', admin: 'the administrator' };

/**
 * Global guard, deny by default: a route is open only with @Public(), and
 * otherwise says with @Callers() who may call it.
 *
 * It runs this application's own BearerStrategy instance the way passport
 * runs a strategy for a request, rather than looking one up by name in
 * passport's process-wide registry, where another Nest application in the
 * same process (a host platform, a test) would replace it.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly strategy: BearerStrategy,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const allowed = this.reflector.getAllAndOverride<CallerType[] | undefined>(ALLOWED_CALLERS, targets);
    if (!allowed) {
      throw new Error(`${context.getClass().name}.${context.getHandler().name} declares no @Public() or @Callers()`);
    }
    const req = context.switchToHttp().getRequest<HttpRequest>();
    const caller = await this.authenticate(req);
    if (!caller) throw presentedCredentials(req) ? ApiError.invalidBearer() : ApiError.unauthorized();
    req.user = caller;
    if (!allowed.includes(caller.type)) {
      throw ApiError.forbidden(`This operation is available to ${allowed.map((t) => WHO[t]).join(' and ')} only.`);
    }
    return true;
  }

  /** One passport authentication round with the strategy: the caller, or null when it failed. */
  private authenticate(req: HttpRequest): Promise<Caller | null> {
    return new Promise((resolve, reject) => {
      const round = Object.create(this.strategy) as BearerStrategy & {
        success(user: Caller): void;
        fail(): void;
        error(error: unknown): void;
        pass(): void;
        redirect(): void;
      };
      round.success = (user) => resolve(user);
      round.fail = () => resolve(null);
      round.error = (error) => reject(error);
      round.pass = () => resolve(null);
      round.redirect = () => resolve(null);
      round.authenticate(req, { session: false });
    });
  }
}
