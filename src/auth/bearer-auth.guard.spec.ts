import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiError } from '../common/api-error.js';
import { Callers, Public } from './auth.decorators.js';
import { Authenticator } from './authenticator.js';
import { BearerAuthGuard } from './bearer-auth.guard.js';
import type { KnownIdentitiesRepository } from './known-identities.repository.js';
import type { BearerStrategy } from './bearer.strategy.js';
import { CALLER, type Caller } from './caller.js';

class Routes {
  @Public()
  open() {}

  @Callers('user')
  usersOnly() {}

  @Callers('user', 'provider')
  both() {}

  undeclared() {}
}

/** A strategy double: a token it knows names its caller, any other none. */
function strategy(callers: Record<string, Caller>): BearerStrategy {
  return {
    callerOf: (headers: Record<string, string>) => {
      const header = headers.authorization ?? (headers['x-auth-token'] ? `Bearer ${headers['x-auth-token']}` : '');
      return Promise.resolve(callers[header.replace(/^Bearer /, '')] ?? null);
    },
  } as unknown as BearerStrategy;
}

function context(handler: keyof Routes, headers: Record<string, string> = {}) {
  const req: { headers: Record<string, string>; [CALLER]?: Caller } = { headers };
  const ctx = {
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;
  return { ctx, req };
}

async function outcome(guard: BearerAuthGuard, ctx: ExecutionContext) {
  try {
    return await guard.canActivate(ctx);
  } catch (error) {
    return error instanceof ApiError ? `${error.getStatus()} ${error.code}` : (error as Error).message;
  }
}

describe('BearerAuthGuard', () => {
  const alice: Caller = { type: 'user', userId: 'a'.repeat(32) };
  const store: Caller = { type: 'provider', providerId: 'p'.repeat(32) };
  const guard = new BearerAuthGuard(new Reflector(), new Authenticator(strategy({ alice, store }), null, {} as KnownIdentitiesRepository));

  it('lets public routes through without credentials', async () => {
    expect(await outcome(guard, context('open').ctx)).toBe(true);
  });

  it('401 unauthorized without credentials, 401 invalid_token with a failed one', async () => {
    expect(await outcome(guard, context('usersOnly').ctx)).toBe('401 unauthorized');
    expect(await outcome(guard, context('usersOnly', { authorization: 'Bearer nope' }).ctx)).toBe('401 invalid_token');
    expect(await outcome(guard, context('usersOnly', { 'x-auth-token': 'nope' }).ctx)).toBe('401 invalid_token');
  });

  it('sets the caller on the request for allowed types, 403 for others', async () => {
    const ok = context('usersOnly', { authorization: 'Bearer alice' });
    expect(await outcome(guard, ok.ctx)).toBe(true);
    expect(ok.req[CALLER]).toEqual(alice);
    expect(await outcome(guard, context('usersOnly', { 'x-auth-token': 'store' }).ctx)).toBe('403 forbidden');
    expect(await outcome(guard, context('both', { 'x-auth-token': 'store' }).ctx)).toBe(true);
  });

  it('fails loudly on a route that declares no callers', async () => {
    expect(await outcome(guard, context('undeclared', { authorization: 'Bearer alice' }).ctx)).toBe(
      'Routes.undeclared declares no @Public() or @Callers()',
    );
  });
});
