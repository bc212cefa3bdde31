import { checkResolvedCaller } from './caller-resolver.js';

describe('checkResolvedCaller', () => {
  it('takes users, providers and the admin, with an optional name', () => {
    expect(checkResolvedCaller({ type: 'user', userId: 'alice@example.org', name: 'Alice' })).toEqual({
      caller: { type: 'user', userId: 'alice@example.org' },
      name: 'Alice',
    });
    expect(checkResolvedCaller({ type: 'provider', providerId: '8d1f-22' })).toEqual({
      caller: { type: 'provider', providerId: '8d1f-22' },
      name: null,
    });
    expect(checkResolvedCaller({ type: 'admin' })).toEqual({ caller: { type: 'admin' }, name: null });
  });

  it('reads null and undefined as "not authenticated"', () => {
    expect(checkResolvedCaller(null)).toBeNull();
    expect(checkResolvedCaller(undefined)).toBeNull();
  });

  it.each([
    ['a string', 'alice'],
    ['an unknown type', { type: 'group', groupId: 'g' }],
    ['a user without an id', { type: 'user' }],
    ['an id of the wrong field', { type: 'user', providerId: 'p' }],
    ['an id with a slash', { type: 'user', userId: 'a/b' }],
    ['an empty id', { type: 'provider', providerId: '' }],
    ['an id too long', { type: 'user', userId: 'x'.repeat(129) }],
    ['a numeric id', { type: 'user', userId: 42 }],
    ['an empty name', { type: 'user', userId: 'a', name: '' }],
    ['a name too long', { type: 'user', userId: 'a', name: 'n'.repeat(201) }],
  ])('refuses %s: the host’s mistake, never another caller', (_, value) => {
    expect(() => checkResolvedCaller(value)).toThrow(/The caller resolver returned an invalid caller/);
  });
});
