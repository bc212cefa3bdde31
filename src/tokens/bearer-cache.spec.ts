import { BearerCache } from './bearer-cache.js';

const ALICE = { type: 'user' as const, userId: 'a'.repeat(32) };
const T0 = 1_000_000;
const SUBJECT = { type: 'user' as const, id: 'a'.repeat(32) };

describe('BearerCache', () => {
  it('serves an entry for at most its ttl', () => {
    const cache = new BearerCache(2_000);
    cache.set('tok', 'id1', SUBJECT, ALICE, null, T0);
    expect(cache.get('tok', T0 + 1_999)).toEqual(ALICE);
    expect(cache.get('tok', T0 + 2_000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("never past the token's own expiry", () => {
    const cache = new BearerCache(2_000);
    cache.set('tok', 'id1', SUBJECT, ALICE, T0 + 500, T0);
    expect(cache.get('tok', T0 + 499)).toEqual(ALICE);
    expect(cache.get('tok', T0 + 500)).toBeUndefined();
    cache.set('expired', 'id2', SUBJECT, ALICE, T0 - 1, T0);
    expect(cache.size).toBe(0);
  });

  it('forgets every cached form of a revoked token', () => {
    const cache = new BearerCache(2_000);
    cache.set('tok', 'id1', SUBJECT, ALICE, null, T0);
    cache.set('tok-attenuated', 'id1', SUBJECT, ALICE, null, T0);
    cache.set('other', 'id2', SUBJECT, ALICE, null, T0);
    cache.forget('id1');
    expect([cache.get('tok', T0), cache.get('tok-attenuated', T0), cache.get('other', T0)]).toEqual([
      undefined,
      undefined,
      ALICE,
    ]);
  });

  it('is bounded: the oldest entry goes first', () => {
    const cache = new BearerCache(2_000, 2);
    cache.set('a', '1', SUBJECT, ALICE, null, T0);
    cache.set('b', '2', SUBJECT, ALICE, null, T0);
    cache.set('c', '3', SUBJECT, ALICE, null, T0);
    expect([cache.get('a', T0), cache.get('b', T0), cache.get('c', T0)]).toEqual([undefined, ALICE, ALICE]);
  });

  it('caches nothing with a ttl of 0', () => {
    const cache = new BearerCache(0);
    cache.set('tok', 'id1', SUBJECT, ALICE, null, T0);
    expect(cache.get('tok', T0)).toBeUndefined();
  });

  it("forgets every token of a subject, and only that subject's", () => {
    const cache = new BearerCache(2_000);
    const BOB = { type: 'user' as const, userId: 'b'.repeat(32) };
    cache.set('a1', 'id1', SUBJECT, ALICE, null, T0);
    cache.set('a2', 'id2', SUBJECT, ALICE, null, T0);
    cache.set('b1', 'id3', { type: 'user', id: 'b'.repeat(32) }, BOB, null, T0);
    cache.forgetSubject(SUBJECT);
    expect([cache.get('a1', T0), cache.get('a2', T0), cache.get('b1', T0)]).toEqual([undefined, undefined, BOB]);
  });
});
