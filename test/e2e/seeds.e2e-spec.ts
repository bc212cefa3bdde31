import { PREFIX, disposeEnv, startApp, testEnv, type TestApp } from '../support/test-app.js';
import { Factories, idFrom } from '../support/factories.js';
import { SEED_PROVIDER_TOKEN } from '../../src/spaces/dto/create-user-space.dto.js';
import { SpacePrivileges } from '../../src/access/privileges.js';

/** The two seed operations, every status they list, and their examples. */
describe('seed routes', () => {
  let t: TestApp;
  let f: Factories;
  let alice: { userId: string; token: string };
  let provider: { providerId: string; token: string };

  const seedInvalidToken = {
    error: 'invalid_token',
    error_description: 'Provided token could not be validated.',
  };

  beforeAll(async () => {
    t = await startApp(await testEnv());
    f = new Factories(t.http, t.env.ADMIN_TOKEN);
    alice = await f.user('Alice');
    provider = await f.provider({ capacity: 10_000 });
  });

  afterAll(async () => {
    await t.close();
    await disposeEnv(t.env);
  });

  const asUser = (path: string, token = alice.token) => t.http.post(`${PREFIX}${path}`).set('Authorization', `Bearer ${token}`);

  async function membership(spaceId: string, userId: string) {
    return t.prisma.membership.findUnique({ where: { spaceId_userId: { spaceId, userId } } });
  }

  describe('POST /user/spaces (createUserSpace)', () => {
    it('creates a space owned by the caller: 201, no body, Location under the prefix', async () => {
      const res = await asUser('/user/spaces').send({ name: 'My Private space' }).expect(201);
      expect(res.headers.location).toMatch(new RegExp(`^${PREFIX}/user/spaces/[0-9a-f]{32}$`));
      expect(res.text).toBe('');
      const spaceId = idFrom(res.headers.location);
      const space = await t.prisma.space.findUnique({ where: { id: spaceId } });
      expect(space).toMatchObject({ name: 'My Private space', creatorType: 'user', creatorId: alice.userId });
      const member = await membership(spaceId, alice.userId);
      expect(member?.owner).toBe(true);
      expect(SpacePrivileges.names(member!.privileges)).toHaveLength(39);
      expect(member?.privileges).toBe(SpacePrivileges.allMask);
      expect(await t.prisma.spaceEffUser.findMany({ where: { spaceId } })).toEqual([
        { spaceId, userId: alice.userId, privileges: SpacePrivileges.allMask, owner: true, direct: true, via: [] },
      ]);
    });

    it.each([
      ['a JSON number', 150, 150n],
      ['a string of digits', '150', 150n],
      ['a string beyond 2^53', '9007199254740993', 9007199254740993n],
    ])('with a provider support token and size as %s, creates the space supported by that provider', async (_, size, bytes) => {
      const big = await f.provider();
      const token = await f.supportToken(big.token);
      const res = await asUser('/user/spaces').send({ name: 'Supported', token, size }).expect(201);
      const spaceId = idFrom(res.headers.location);
      const support = await t.prisma.support.findUnique({
        where: { spaceId_providerId: { spaceId, providerId: big.providerId } },
      });
      expect(support?.size).toBe(bytes);
      expect((await membership(spaceId, alice.userId))?.owner).toBe(true);
    });

    it('accepts the token in X-Auth-Token as well as Authorization: Bearer', async () => {
      await t.http.post(`${PREFIX}/user/spaces`).set('X-Auth-Token', alice.token).send({ name: 'Via X-Auth-Token' }).expect(201);
    });

    it("answers the seed's example request with the seed's 400 body", async () => {
      const res = await asUser('/user/spaces').send({ name: 'My Private space', token: SEED_PROVIDER_TOKEN, size: 150 }).expect(400);
      expect(res.body).toEqual(seedInvalidToken);
    });

    it('400 invalid_token when the token is of another type (an access token)', async () => {
      const res = await asUser('/user/spaces').send({ name: 'Wrong type', token: provider.token, size: 1 }).expect(400);
      expect(res.body).toEqual(seedInvalidToken);
    });

    it('400 invalid_token when the support token is used up, and nothing is stored', async () => {
      const token = await f.supportToken(provider.token);
      await asUser('/user/spaces').send({ name: 'First use', token, size: 10 }).expect(201);
      const before = await t.prisma.space.count();
      const res = await asUser('/user/spaces').send({ name: 'Second use', token, size: 10 }).expect(400);
      expect(res.body).toEqual(seedInvalidToken);
      expect(await t.prisma.space.count()).toBe(before);
    });

    it('400 invalid_request when size exceeds the token maxSize, and the token stays unused', async () => {
      const token = await f.supportToken(provider.token, { maxSize: 100 });
      const res = await asUser('/user/spaces').send({ name: 'Too big', token, size: 101 }).expect(400);
      expect(res.body).toEqual({ error: 'invalid_request', error_description: "size exceeds the token's maxSize of 100 bytes." });
      await asUser('/user/spaces').send({ name: 'Just right', token, size: 100 }).expect(201);
    });

    it('400 when only one of token and size is given', async () => {
      const token = await f.supportToken(provider.token);
      const a = await asUser('/user/spaces').send({ name: 'No size', token }).expect(400);
      expect(a.body).toEqual({ error: 'invalid_request', error_description: 'size is required when token is given.' });
      const b = await asUser('/user/spaces').send({ name: 'No token', size: 5 }).expect(400);
      expect(b.body).toEqual({ error: 'invalid_request', error_description: 'token is required when size is given.' });
    });

    it.each([
      ['zero', 0],
      ['negative', -1],
      ['fractional', 1.5],
      ['a number beyond 2^53', 2 ** 53 + 2],
      ['a decimal string', '1.5'],
      ['a signed string', '+5'],
      ['an empty string', ''],
      ['beyond bigint', '9223372036854775808'],
      ['a boolean', true],
      ['null', null],
      ['an object', { bytes: 5 }],
    ])('400 invalid_request for size %s', async (_, size) => {
      const token = await f.supportToken(provider.token);
      const res = await asUser('/user/spaces').send({ name: 'Bad size', token, size }).expect(400);
      expect(res.body.error).toBe('invalid_request');
      expect(res.body.error_description).toContain('size must be a positive integer of bytes');
    });

    it('401 unauthorized with WWW-Authenticate: Bearer without credentials', async () => {
      const res = await t.http.post(`${PREFIX}/user/spaces`).send({ name: 'Anon' }).expect(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.body.error).toBe('unauthorized');
    });

    it('401 invalid_token for a bad bearer, with the seed body and the RFC 6750 challenge', async () => {
      const res = await asUser('/user/spaces', 'not-a-token').send({ name: 'Anon' }).expect(401);
      expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
      expect(res.body).toEqual(seedInvalidToken);
    });

    it('403 forbidden for a provider', async () => {
      const res = await asUser('/user/spaces', provider.token).send({ name: 'By provider' }).expect(403);
      expect(res.body.error).toBe('forbidden');
    });

    it('authorises before validating: a provider with a bad body still gets 403', async () => {
      await asUser('/user/spaces', provider.token).send({ name: '' }).expect(403);
    });

    it('404 not_found under a path that does not exist', async () => {
      const res = await asUser('/user/spaces/nothing/here').send({ name: 'x' }).expect(404);
      expect(res.body.error).toBe('not_found');
    });

    it('400 invalid_request for unknown fields and for a missing name', async () => {
      const unknown = await asUser('/user/spaces').send({ name: 'Fine', colour: 'red' }).expect(400);
      expect(unknown.body.error_description).toContain("unknown field 'colour'");
      const missing = await asUser('/user/spaces').send({}).expect(400);
      expect(missing.body.error_description).toContain('name must be 2 to 128 characters');
    });
  });

  describe('POST /spaces (createSpace)', () => {
    it('by a user: 201, Location /spaces/{id}, the caller owns the space', async () => {
      const res = await asUser('/spaces').send({ name: 'string' }).expect(201);
      expect(res.headers.location).toMatch(new RegExp(`^${PREFIX}/spaces/[0-9a-f]{32}$`));
      const spaceId = idFrom(res.headers.location);
      expect((await membership(spaceId, alice.userId))?.owner).toBe(true);
    });

    it("by a user with the seed's example body: 400, token is for providers only", async () => {
      const res = await asUser('/spaces').send({ name: 'string', token: 'string' }).expect(400);
      expect(res.body).toEqual({ error: 'invalid_request', error_description: 'token is accepted from providers only.' });
    });

    it('by a provider with a space creation token: the minting user owns it, the provider supports it', async () => {
      const bob = await f.user('Bob');
      const token = await f.creationToken(bob.token);
      const res = await asUser('/spaces', provider.token).send({ name: 'Provided', token, size: 2048 }).expect(201);
      const spaceId = idFrom(res.headers.location);
      expect(res.headers.location).toBe(`${PREFIX}/spaces/${spaceId}`);
      const space = await t.prisma.space.findUnique({ where: { id: spaceId }, include: { supports: true, memberships: true } });
      expect(space).toMatchObject({ creatorType: 'provider', creatorId: provider.providerId });
      expect(space?.memberships).toEqual([expect.objectContaining({ userId: bob.userId, owner: true })]);
      expect(space?.supports).toEqual([expect.objectContaining({ providerId: provider.providerId, size: 2048n })]);
    });

    it('by a provider: token and size are required', async () => {
      const res = await asUser('/spaces', provider.token).send({ name: 'Missing' }).expect(400);
      expect(res.body).toEqual({ error: 'invalid_request', error_description: 'token and size are required from providers.' });
      const bob = await f.user();
      const token = await f.creationToken(bob.token);
      const noSize = await asUser('/spaces', provider.token).send({ name: 'Missing', token }).expect(400);
      expect(noSize.body.error_description).toBe('size is required from providers.');
    });

    it("by a provider with the seed's example body: 400 (size missing), then invalid_token with a size", async () => {
      await asUser('/spaces', provider.token).send({ name: 'string', token: 'string' }).expect(400);
      const res = await asUser('/spaces', provider.token).send({ name: 'string', token: 'string', size: 1 }).expect(400);
      expect(res.body).toEqual(seedInvalidToken);
    });

    it('by a provider with a provider support token instead of a creation token: invalid_token', async () => {
      const token = await f.supportToken(provider.token);
      const res = await asUser('/spaces', provider.token).send({ name: 'Wrong', token, size: 1 }).expect(400);
      expect(res.body).toEqual(seedInvalidToken);
    });

    it('a space creation token is single use', async () => {
      const bob = await f.user();
      const token = await f.creationToken(bob.token);
      await asUser('/spaces', provider.token).send({ name: 'Once', token, size: 1 }).expect(201);
      const again = await asUser('/spaces', provider.token).send({ name: 'Twice', token, size: 1 }).expect(400);
      expect(again.body).toEqual(seedInvalidToken);
    });

    it('401 without credentials, 401 invalid_token with a bad one', async () => {
      await t.http.post(`${PREFIX}/spaces`).send({ name: 'Anon' }).expect(401);
      const res = await t.http.post(`${PREFIX}/spaces`).set('X-Auth-Token', 'garbage').send({ name: 'Anon' }).expect(401);
      expect(res.body).toEqual(seedInvalidToken);
    });

    it('the admin token creates a space without members (201); with a token it gets 400', async () => {
      const res = await asUser('/spaces', t.env.ADMIN_TOKEN).send({ name: 'Admin space' }).expect(201);
      expect(res.headers.location).toMatch(/^\/api\/v3\/onezone\/spaces\/[0-9a-f]{32}$/);
      const bad = await asUser('/spaces', t.env.ADMIN_TOKEN).send({ name: 'Admin space', token: 'x', size: 1 }).expect(400);
      expect(bad.body.error).toBe('invalid_request');
    });

    it('404 for a wrong method path', async () => {
      const res = await asUser('/spaces/abc/def').send({ name: 'x' }).expect(404);
      expect(res.body.error).toBe('not_found');
    });
  });

  describe('the name rule, on both sides of each limit', () => {
    const valid = [
      'ab',
      'a'.repeat(128),
      'My Private space',
      'a.b-c d',
      '(x)',
      '_a_',
      'Zażółć gęślą jaźń',
      'Ωμέγα',
      '日本語',
      'e\u0301t\u0301e\u0301',
      '12',
      '𝒳y',
    ];
    const invalid = [
      ['one character', 'a'],
      ['129 characters', 'a'.repeat(129)],
      ['a leading space', ' ab'],
      ['a trailing space', 'ab '],
      ['a leading dot', '.ab'],
      ['a trailing dash', 'ab-'],
      ['a slash', 'a/b'],
      ['an emoji', 'a😀b'],
      ['a tab', 'a\tb'],
      ['a newline', 'a\nb'],
      ['a leading combining mark', '\u0301ab'],
      ['an empty string', ''],
      ['a number', 42],
      ['null', null],
    ] as const;

    it.each(valid)('accepts %j on both routes', async (name) => {
      await asUser('/user/spaces').send({ name }).expect(201);
      await asUser('/spaces').send({ name }).expect(201);
    });

    it.each(invalid)('refuses %s on both routes', async (_, name) => {
      for (const path of ['/user/spaces', '/spaces']) {
        const res = await asUser(path).send({ name }).expect(400);
        expect(res.body.error).toBe('invalid_request');
        expect(res.body.error_description).toContain('name must be 2 to 128 characters long');
      }
    });

    it('counts characters, not UTF-16 units: 128 astral characters pass, 129 fail', async () => {
      await asUser('/user/spaces')
        .send({ name: '𝒳'.repeat(128) })
        .expect(201);
      await asUser('/user/spaces')
        .send({ name: '𝒳'.repeat(129) })
        .expect(400);
    });
  });
});
