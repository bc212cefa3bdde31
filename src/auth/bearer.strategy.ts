import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { HttpRequest } from '../common/http-request.js';
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
 * The token of presented credentials, as RFC 6750 writes it: the scheme
 * `Bearer` (in any case), one space, the token. Anything else (another
 * scheme, more parts, nothing after the space) names no token.
 */
export function bearerToken(presented: string): string | undefined {
  const space = presented.indexOf(' ');
  if (space <= 0 || space === presented.length - 1 || presented.includes(' ', space + 1)) return undefined;
  return /^bearer$/i.test(presented.slice(0, space)) ? presented.slice(space + 1) : undefined;
}

/** A request's own facts a token's caveats are judged against, where a caller passes none. */
const NO_REQUEST: BearerRequest = { peerIp: undefined, operation: () => undefined };

/**
 * Who a bearer token names: the administrator (ADMIN_TOKEN), or the user or
 * provider of one of the service's tokens. Tokens are read from headers
 * only, never from the query string or the body.
 */
@Injectable()
export class BearerStrategy {
  /** Null when the service has no admin (a host application resolves callers). */
  private readonly adminDigest: Buffer | null;

  constructor(
    private readonly tokens: TokensService,
    @Inject(SECRETS) secrets: Secrets,
  ) {
    this.adminDigest = secrets.adminToken === null ? null : digest(secrets.adminToken);
  }

  /** The caller the request's credentials name; null when it presents none, or they fail. */
  callerOf(headers: HttpRequest['headers'], bearer: BearerRequest): Promise<Caller | null> {
    const presented = presentedCredentials({ headers });
    const token = presented === undefined ? undefined : bearerToken(presented);
    return token === undefined ? Promise.resolve(null) : this.validate(token, bearer);
  }

  validate(token: string, bearer: BearerRequest = NO_REQUEST): Promise<Caller | null> {
    // Compare digests in constant time: the admin token's length leaks nothing either. A token
    // in the bearer cache verified as one of the service's own, so it is not compared (and not
    // hashed on every request); whether a token is cached says nothing about the admin token.
    if (this.adminDigest && !this.tokens.isCachedBearer(token) && timingSafeEqual(digest(token), this.adminDigest)) {
      return Promise.resolve({ type: 'admin' });
    }
    return this.tokens.authenticate(token, bearer);
  }
}
