import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import type { HttpRequest } from '../common/http-request.js';
import { CALLER, type Caller, type CallerType } from './caller.js';

export const IS_PUBLIC = 'auth:public';
export const ALLOWED_CALLERS = 'auth:callers';
export const IDENTIFIES = 'auth:identifies';

/** What a route's decorators say about who may call it. */
export interface RouteCallers {
  /** @Public(): no credentials needed. */
  readonly open: boolean;
  /** @IdentifiesCaller(): an open route that still resolves valid credentials. */
  readonly identifies: boolean;
  /** @Callers(): who may call a route that is not open. */
  readonly allowed: readonly CallerType[] | undefined;
}

const routeCallersCache = new WeakMap<object, WeakMap<object, RouteCallers>>();

/**
 * The route's RouteCallers (the handler's decorators over its class's), read
 * once per route: its metadata is fixed once the application is built, and
 * reading it from reflect-metadata on every request cost more than the rest
 * of the check.
 */
export function routeCallers(reflector: Reflector, context: ExecutionContext): RouteCallers {
  const handler = context.getHandler();
  const cls = context.getClass();
  let byClass = routeCallersCache.get(handler);
  let found = byClass?.get(cls);
  if (found === undefined) {
    const targets = [handler, cls];
    found = {
      open: reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets) === true,
      identifies: reflector.getAllAndOverride<boolean | undefined>(IDENTIFIES, targets) === true,
      allowed: reflector.getAllAndOverride<CallerType[] | undefined>(ALLOWED_CALLERS, targets),
    };
    if (!byClass) routeCallersCache.set(handler, (byClass = new WeakMap()));
    byClass.set(cls, found);
  }
  return found;
}

/** The route needs no credentials. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/**
 * A public route that still wants to know who calls when valid credentials
 * come along (read with @OptionalCaller()); failed credentials count as none.
 */
export const IdentifiesCaller = () => SetMetadata(IDENTIFIES, true);

/** The caller of an @IdentifiesCaller() route, or null when anonymous. */
export const OptionalCaller = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Caller | null => ctx.switchToHttp().getRequest<HttpRequest>()[CALLER] ?? null,
);

/** Who may call the route; anyone else authenticated gets 403. */
export const Callers = (...types: [CallerType, ...CallerType[]]) => SetMetadata(ALLOWED_CALLERS, types);

/**
 * The authenticated caller. Fails loudly when no guard resolved one: a route
 * that reads the caller must not be public.
 */
export const CurrentCaller = createParamDecorator((_: unknown, ctx: ExecutionContext): Caller => {
  const caller = ctx.switchToHttp().getRequest<HttpRequest>()[CALLER];
  if (!caller) {
    throw new Error('@CurrentCaller() used on a route where no caller was authenticated');
  }
  return caller;
});

/** The client's address, as the rate limit and the token caveats see it (behind a trusted proxy, the one it names). */
export const ClientIp = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): string | undefined => ctx.switchToHttp().getRequest<HttpRequest>().ip,
);
