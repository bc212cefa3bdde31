import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { HttpRequest } from '../common/http-request.js';
import { Strategy } from 'passport-http-bearer';
import { SECRETS } from '../config/spaces-config.js';
import type { Secrets } from '../config/secrets.js';
import { type BearerRequest, TokensService } from '../tokens/tokens.service.js';
import type { Caller } from './caller.js';

/** The token a request presents: `Authorization: Bearer` first, else Onezone's `X-Auth-Token`. */
export function presentedCredentials(req: Pick<HttpRequest, 'headers'>): string | undefined {
  const authorization = req.headers.authorization;
  if (typeof authorization === 'string' && authorization.length > 0) return authorization;
  const xAuthToken = req.headers['x-auth-token'];
  if (typeof xAuthToken === 'string' && xAuthToken.length > 0) return `Bearer ${xAuthToken}`;
  return undefined;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * Registered with passport under its own name, so that a host application's
 * 'bearer' strategy is not replaced (the Authenticator runs this instance
 * directly in any case).
 */
@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, 'spaces-bearer') {
  /** Null when the service has no admin (a host application resolves callers). */
  private readonly adminDigest: Buffer | null;

  constructor(
    private readonly tokens: TokensService,
    @Inject(SECRETS) secrets: Secrets,
  ) {
    super({ passReqToCallback: true });
    this.adminDigest = secrets.adminToken === null ? null : digest(secrets.adminToken);
  }

  /**
   * Tokens are read from headers only, never from the query string or the
   * body, where passport-http-bearer would also look.
   */
  override authenticate(req: Pick<HttpRequest, 'headers'> & { bearer?: BearerRequest }, options?: object): void {
    const headersOnly = { headers: { authorization: presentedCredentials(req) }, bearer: req.bearer };
    super.authenticate(headersOnly as never, options);
  }

  async validate(req: { bearer?: BearerRequest }, token: string): Promise<Caller | false> {
    // Compare digests in constant time: the admin token's length leaks nothing either. A token
    // in the bearer cache verified as one of the service's own, so it is not compared (and not
    // hashed on every request); whether a token is cached says nothing about the admin token.
    if (this.adminDigest && !this.tokens.isCachedBearer(token) && timingSafeEqual(digest(token), this.adminDigest)) {
      return { type: 'admin' };
    }
    const bearer = req.bearer ?? { peerIp: undefined, operation: () => undefined };
    return (await this.tokens.authenticate(token, bearer)) ?? false;
  }
}
