import type { Secrets } from '../config/secrets.js';
import type { TokensService } from '../tokens/tokens.service.js';
import { BearerStrategy, bearerToken } from './bearer.strategy.js';

describe('BearerStrategy.validate', () => {
  const adminToken = 'admin-token-0123456789abcdef';
  const looked: string[] = [];
  const cached = new Set<string>();
  const tokens = {
    isCachedBearer: (token: string) => cached.has(token),
    authenticate: async (token: string) => {
      looked.push(token);
      return token === 'user-token' ? { type: 'user', userId: 'u'.repeat(32) } : null;
    },
  } as unknown as TokensService;
  const strategy = new BearerStrategy(tokens, { adminToken } as Secrets);

  it('knows the admin token, and only it', async () => {
    expect(await strategy.validate(adminToken)).toEqual({ type: 'admin' });
    expect(await strategy.validate('user-token')).toEqual({ type: 'user', userId: 'u'.repeat(32) });
  });

  it('compares fixed-length digests, so near misses of any length are simply not the admin', async () => {
    // Comparing the raw strings in constant time would throw on a length mismatch; digests never differ in length.
    for (const guess of ['', 'a', adminToken.slice(0, -1), `${adminToken}x`, adminToken.replace(/.$/, 'X'), 'x'.repeat(5000)]) {
      expect(await strategy.validate(guess)).toBeNull();
    }
    expect(looked).toContain(adminToken.slice(0, -1)); // a near miss goes on to the token lookup, as any token does
  });

  it("skips the admin comparison only for a token the bearer cache holds (one of the service's own)", async () => {
    cached.add('user-token');
    expect(await strategy.validate('user-token')).toEqual({ type: 'user', userId: 'u'.repeat(32) });
    // The admin token is never in the cache, so it is always compared.
    expect(await strategy.validate(adminToken)).toEqual({ type: 'admin' });
    cached.clear();
  });
});

describe('bearerToken', () => {
  it('reads RFC 6750 credentials: the Bearer scheme in any case, one space, a token', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('BEARER abc')).toBe('abc');
  });

  it('names no token for another scheme, more parts, or nothing after the space', () => {
    for (const presented of ['Basic abc', 'Bearer', 'Bearer ', ' abc', 'Bearer  abc', 'Bearer abc def', 'Bearerabc', 'Token abc']) {
      expect(bearerToken(presented)).toBeUndefined();
    }
  });
});

describe('BearerStrategy.callerOf', () => {
  const user = { type: 'user', userId: 'u'.repeat(32) };
  const seen: string[] = [];
  const tokens = {
    isCachedBearer: () => true,
    authenticate: async (token: string) => {
      seen.push(token);
      return token === 'good' ? user : null;
    },
  } as unknown as TokensService;
  const strategy = new BearerStrategy(tokens, { adminToken: null } as Secrets);
  const bearer = { peerIp: '127.0.0.1', operation: () => undefined };

  it('takes Authorization first, else X-Auth-Token, and checks nothing without a token', async () => {
    expect(await strategy.callerOf({ authorization: 'Bearer good', 'x-auth-token': 'bad' }, bearer)).toEqual(user);
    expect(await strategy.callerOf({ 'x-auth-token': 'good' }, bearer)).toEqual(user);
    expect(await strategy.callerOf({ authorization: 'Bearer bad' }, bearer)).toBeNull();
    seen.length = 0;
    expect(await strategy.callerOf({}, bearer)).toBeNull();
    expect(await strategy.callerOf({ authorization: 'Basic Z29vZA==' }, bearer)).toBeNull();
    expect(seen).toEqual([]);
  });
});
