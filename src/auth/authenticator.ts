import { type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { HttpRequest } from '../common/http-request.js';
import { BearerStrategy } from './bearer.strategy.js';
import type { Caller } from './caller.js';
import { CALLER_RESOLVER, type CallerResolver, checkResolvedCaller } from './caller-resolver.js';
import { KnownIdentitiesRepository } from './known-identities.repository.js';
import { operationOf } from './route-operation.js';

/**
 * Who a request's credentials name, worked out once a request: the rate
 * limit (which counts per caller) and the bearer guard both ask. Either the
 * service's bearer tokens, or a host application's CallerResolver.
 */
@Injectable()
export class Authenticator {
  private readonly outcomes = new WeakMap<object, Promise<Caller | null>>();

  constructor(
    private readonly strategy: BearerStrategy,
    @Inject(CALLER_RESOLVER) private readonly resolver: CallerResolver | null,
    private readonly identities: KnownIdentitiesRepository,
  ) {}

  /** True when callers present the service's bearer tokens (no host resolver). */
  get usesBearerTokens(): boolean {
    return this.resolver === null;
  }

  /**
   * The caller, or null when no credentials were given or they failed. The
   * route (`context`) is what a token's api caveats are checked against; a
   * token with such caveats fails where the route is not given.
   */
  callerOf(req: HttpRequest, context?: ExecutionContext): Promise<Caller | null> {
    let outcome = this.outcomes.get(req);
    if (!outcome) {
      outcome = this.resolver ? this.resolve(this.resolver, req) : this.authenticate(req, context);
      this.outcomes.set(req, outcome);
    }
    return outcome;
  }

  /** The host's resolver, its answer checked and its users and providers recorded. */
  private async resolve(resolver: CallerResolver, req: HttpRequest): Promise<Caller | null> {
    const resolved = checkResolvedCaller(await resolver(req));
    if (!resolved) return null;
    await this.identities.record(resolved.caller, resolved.name);
    return resolved.caller;
  }

  /** The bearer token's caller, its caveats judged against this request. */
  private authenticate(req: HttpRequest, context: ExecutionContext | undefined): Promise<Caller | null> {
    return this.strategy.callerOf(req.headers, {
      peerIp: req.ip,
      consumerToken: header(req, 'x-onedata-consumer-token'),
      serviceToken: header(req, 'x-onedata-service-token'),
      operation: context ? operationOf(context) : () => undefined,
    });
  }
}

function header(req: HttpRequest, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : Array.isArray(value) ? value[0] : undefined;
}
