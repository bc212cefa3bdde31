import type { Caller, Subject } from '../auth/caller.js';
import { BearerCache } from './bearer-cache.js';

const ALICE = { type: 'user' as const, userId: 'a'.repeat(32) };
const BOB = { type: 'user' as const, userId: 'b'.repeat(32) };
const T0 = 1_000_000;
const subjectOf = (caller: typeof ALICE): Subject => ({ type: 'user', id: caller.userId });
const bearer = (tokenId: string, caller: typeof ALICE, expiresAt: number | null = null) => ({
  tokenId,
  subject: subjectOf(caller),
  caller: caller as Caller,
  established: null,
  timeOnly: true,
  expiresAt,
});

describe('BearerCache', () => {
  it('serves an entry for at most its ttl', () => {
    const cache = new BearerCache(2_000);
    cache.set('tok', bearer('id1', ALICE), T0);
    expect(cache.get('tok', T0 + 1_999)?.caller).toEqual(ALICE);
    expect(cache.get('tok', T0 + 2_000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("never past the token's own expiry", () => {
    const cache = new BearerCache(2_000);
    cache.set('tok', bearer('id1', ALICE, T0 + 500), T0);
    expect(cache.get('tok', T0 + 499)?.caller).toEqual(ALICE);
    expect(cache.get('tok', T0 + 500)).toBeUndefined();
    cache.set('expired', bearer('id2', ALICE, T0 - 1), T0);
    expect(cache.size).toBe(0);
  });

  it('forgets every cached form of a revoked token', () => {
    const cache = new BearerCache(2_000);
    cache.set('tok', bearer('id1', ALICE), T0);
    cache.set('tok-confined', bearer('id1', ALICE), T0);
    cache.set('other', bearer('id2', ALICE), T0);
    cache.forget('id1');
    expect([cache.get('tok', T0), cache.get('tok-confined', T0), cache.get('other', T0)?.caller]).toEqual([undefined, undefined, ALICE]);
  });

  it("forgets every token of a subject, and only that subject's", () => {
    const cache = new BearerCache(2_000);
    cache.set('a1', bearer('id1', ALICE), T0);
    cache.set('a2', bearer('id2', ALICE), T0);
    cache.set('b1', bearer('id3', BOB), T0);
    cache.forgetSubject(subjectOf(ALICE));
    expect([cache.get('a1', T0), cache.get('a2', T0), cache.get('b1', T0)?.caller]).toEqual([undefined, undefined, BOB]);
  });

  it('keeps nothing with a ttl of 0, and drops the oldest entry when full', () => {
    expect(
      (() => {
        const off = new BearerCache(0);
        off.set('tok', bearer('id1', ALICE), T0);
        return off.size;
      })(),
    ).toBe(0);
    const small = new BearerCache(2_000, 2);
    small.set('t1', bearer('id1', ALICE), T0);
    small.set('t2', bearer('id2', ALICE), T0);
    small.set('t3', bearer('id3', ALICE), T0);
    expect([small.get('t1', T0), small.get('t2', T0)?.tokenId, small.get('t3', T0)?.tokenId]).toEqual([undefined, 'id2', 'id3']);
  });
});
