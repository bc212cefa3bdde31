import type { Secrets } from '../config/secrets.js';
import type { TokensService } from '../tokens/tokens.service.js';
import { BearerStrategy } from './bearer.strategy.js';

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
    expect(await strategy.validate({}, adminToken)).toEqual({ type: 'admin' });
    expect(await strategy.validate({}, 'user-token')).toEqual({ type: 'user', userId: 'u'.repeat(32) });
  });

  it('compares fixed-length digests, so near misses of any length are simply not the admin', async () => {
    // Comparing the raw strings in constant time would throw on a length mismatch; digests never differ in length.
    for (const guess of ['', 'a', adminToken.slice(0, -1), `${adminToken}x`, adminToken.replace(/.$/, 'X'), 'x'.repeat(5000)]) {
      expect(await strategy.validate({}, guess)).toBe(false);
    }
    expect(looked).toContain(adminToken.slice(0, -1)); // a near miss goes on to the token lookup, as any token does
  });

  it("skips the admin comparison only for a token the bearer cache holds (one of the service's own)", async () => {
    cached.add('user-token');
    expect(await strategy.validate({}, 'user-token')).toEqual({ type: 'user', userId: 'u'.repeat(32) });
    // The admin token is never in the cache, so it is always compared.
    expect(await strategy.validate({}, adminToken)).toEqual({ type: 'admin' });
    cached.clear();
  });
});
