import { type CanActivate, createParamDecorator, type ExecutionContext, Injectable } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import type { HttpArgumentsHost } from '@nestjs/common/interfaces/index.js';
import { HttpAdapterHost, Reflector } from '@nestjs/core';
import { CALLER, callerKey } from '../../auth/caller.js';
import { ApiError } from '../api-error.js';
import { type HttpRequest, requestPath } from '../http-request.js';
import { Locations } from '../location.js';
import { fingerprint, Idempotency, type IdempotencyClaim } from './idempotency.service.js';
import type { IdempotencyRecord } from './idempotency.repository.js';

export const IDEMPOTENT_LOCATION = 'idempotency:location';
export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY_RULE = /^[\x21-\x7e]{1,255}$/;

/** What the guard found for a keyed request, kept on the request for its handler. */
const KEYED = Symbol('idempotencyKeyed');

interface Keyed {
  readonly guard: IdempotencyGuard;
  readonly claim: IdempotencyClaim;
  /** The key's stored outcome, made by the same request: answered again, nothing run. */
  readonly replay: IdempotencyRecord | null;
  /** The route's `Location` path (see @Idempotent()). */
  readonly segments: string[];
}

type KeyedRequest = HttpRequest & { body?: unknown; [KEYED]?: Keyed };

/**
 * Honours `Idempotency-Key` on a creation route (see @Idempotent()): a retry
 * with the same key and request gets the first answer again (status and
 * `Location`, with `Idempotent-Replayed: true`) and creates nothing; the same
 * key with another request is 422 `idempotency_conflict`.
 *
 * The route's last guard (after authorisation, before the pipes) checks the
 * key and looks it up; the route's handler, wrapped by
 * honourIdempotencyKey(), then replays the outcome or runs with the claim in
 * scope. A guard and a wrapper rather than an interceptor: a route with an
 * interceptor runs every request, keyed or not, through Nest's rxjs chain.
 * A replay passes the pipes like its first request did: it has the same
 * method, path and body.
 */
@Injectable()
export class IdempotencyGuard implements CanActivate {
  constructor(
    private readonly idempotency: Idempotency,
    private readonly reflector: Reflector,
    private readonly locations: Locations,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const req = context.switchToHttp().getRequest<KeyedRequest>();
    const header = req.headers[IDEMPOTENCY_HEADER];
    if (header === undefined) return true;
    if (typeof header !== 'string' || !KEY_RULE.test(header)) {
      throw ApiError.invalidRequest('Idempotency-Key must be 1 to 255 printable ASCII characters.');
    }
    const caller = req[CALLER];
    if (!caller) throw new Error('IdempotencyGuard ran before the caller was authenticated');
    const claim: IdempotencyClaim = {
      callerKey: callerKey(caller),
      key: header,
      fingerprint: fingerprint(req.method, requestPath(req), req.body),
    };
    const segments = this.reflector.get<string[]>(IDEMPOTENT_LOCATION, context.getHandler());
    return this.idempotency.previous(claim.callerKey, claim.key).then((replay) => {
      if (replay && replay.fingerprint !== claim.fingerprint) throw new ApiError('idempotency_conflict');
      req[KEYED] = { guard: this, claim, replay, segments };
      return true;
    });
  }

  /** A keyed request's handling: its outcome again, or `work` with the claim in scope. */
  async handle(keyed: Keyed, host: HttpArgumentsHost, work: () => unknown): Promise<unknown> {
    if (keyed.replay) return this.answer(keyed, host, keyed.replay);
    const { claim } = keyed;
    try {
      return await this.idempotency.within(claim, work);
    } catch (error) {
      // A request with the same key that raced this one and won: answer as it did.
      const winner = await this.idempotency.previous(claim.callerKey, claim.key);
      if (!winner) throw error;
      if (winner.fingerprint !== claim.fingerprint) throw new ApiError('idempotency_conflict');
      return this.answer(keyed, host, winner);
    }
  }

  private answer(keyed: Keyed, host: HttpArgumentsHost, record: IdempotencyRecord): undefined {
    const req = host.getRequest<KeyedRequest>();
    const reply: unknown = host.getResponse();
    const http = this.adapterHost.httpAdapter;
    http.status(reply, record.status);
    const path = keyed.segments.map((s) => (s.startsWith(':') ? (req.params[s.slice(1)] ?? s) : s));
    http.setHeader(reply, 'Location', this.locations.of(...path, record.resourceId));
    http.setHeader(reply, 'Idempotent-Replayed', 'true');
    return undefined;
  }
}

/** The handler's extra argument: the request and its response. */
const HttpHost = createParamDecorator((_data: unknown, context: ExecutionContext) => context.switchToHttp());

type Handler = (this: unknown, ...args: unknown[]) => unknown;

/**
 * The route handler `prototype[name]`, wrapped so that a keyed request runs
 * as IdempotencyGuard decided: an unkeyed one calls the handler as it is.
 * The wrapper gets one argument more than the handler (the HTTP context), and
 * keeps the handler's name and metadata.
 */
export function honourIdempotencyKey(prototype: object, name: string): void {
  const handler = (prototype as Record<string, Handler>)[name];
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, prototype.constructor, name) ?? {}) as Record<string, { index: number }>;
  const declared = (Reflect.getMetadata('design:paramtypes', prototype, name) as unknown[] | undefined)?.length ?? 0;
  const index = Math.max(declared, ...Object.values(args).map((arg) => arg.index + 1));
  HttpHost()(prototype, name, index);
  const wrapper: Handler = function (this: unknown, ...params: unknown[]) {
    const host = params[index] as HttpArgumentsHost;
    params.length = index;
    const keyed = host.getRequest<KeyedRequest>()[KEYED];
    return keyed ? keyed.guard.handle(keyed, host, () => handler.apply(this, params)) : handler.apply(this, params);
  };
  for (const key of Reflect.getOwnMetadataKeys(handler)) Reflect.defineMetadata(key, Reflect.getOwnMetadata(key, handler), wrapper);
  Object.defineProperty(wrapper, 'name', { value: handler.name });
  Object.defineProperty(prototype, name, { ...Object.getOwnPropertyDescriptor(prototype, name), value: wrapper });
}
