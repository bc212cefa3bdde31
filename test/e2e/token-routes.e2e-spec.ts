import { disposeEnv, startApp, testEnv, type TestApp } from '../support/test-app.js';
import { Factories, SpaceFactories, api, tokenIdOf } from '../support/factories.js';

/** GET|DELETE /user/tokens, GET|DELETE /provider/tokens, POST /tokens/examine. */
describe('token routes', () => {
  let t: TestApp;
  let f: Factories;
  let s: SpaceFactories;

  beforeAll(async () => {
    t = await startApp(await testEnv());
    f = new Factories(t.http, t.env.ADMIN_TOKEN);
    s = new SpaceFactories(t.http);
  });

  afterAll(async () => {
    await t.close();
    await disposeEnv(t.env);
  });

  const as = (who?: { token: string }) => api(t.http, who?.token);
  const examine = (token: unknown) => as().post('/tokens/examine').send({ token });
  const idOf = (token: string) => tokenIdOf(t.http, token);

  describe('GET /user/tokens', () => {
    it("lists the caller's tokens with type, target, limits and use, never a token", async () => {
      const alice = await f.user();
      const spaceId = await s.space(alice.token);
      const validUntil = Math.floor(Date.now() / 1000) + 3600;
      const invite = await s.invite(spaceId, alice.token, { usageLimit: 3, validUntil, privileges: ['space_view'] });
      const creation = await f.creationToken(alice.token);
      const res = await as(alice).get('/user/tokens').expect(200);
      const byId = Object.fromEntries(res.body.tokens.map((x: { tokenId: string }) => [x.tokenId, x]));
      expect(Object.keys(byId).sort()).toEqual([await idOf(alice.token), await idOf(invite), await idOf(creation)].sort());
      expect(byId[await idOf(invite)]).toEqual({
        tokenId: await idOf(invite),
        type: 'user_join_space',
        target: { type: 'space', id: spaceId },
        validUntil,
        usageLimit: 3,
        usageCount: 0,
        maxSize: null,
        privileges: ['space_view'],
        revoked: false,
        creationTime: expect.any(Number),
      });
      expect(byId[await idOf(alice.token)]).toMatchObject({ type: 'access', target: null, usageLimit: null });
      expect(byId[await idOf(creation)]).toMatchObject({ type: 'space_creation', usageLimit: 1 });
      for (const secret of [alice.token, invite, creation]) expect(res.text).not.toContain(secret);
      const ids = res.body.tokens.map((x: { tokenId: string }) => x.tokenId);
      expect(ids).toEqual([...ids].sort());
    });

    it('pages with limit and page_token; 400 for a bad limit; 403 for a provider', async () => {
      const bob = await f.user();
      await f.creationToken(bob.token);
      await f.creationToken(bob.token);
      const first = await as(bob).get('/user/tokens?limit=2').expect(200);
      expect(first.body.tokens).toHaveLength(2);
      const rest = await as(bob).get(`/user/tokens?limit=2&page_token=${first.body.nextPageToken}`).expect(200);
      expect(rest.body.tokens).toHaveLength(1);
      expect(rest.body.nextPageToken).toBeUndefined();
      expect(rest.body.tokens[0].tokenId > first.body.tokens[1].tokenId).toBe(true);
      await as(bob).get('/user/tokens?limit=x').expect(400);
      await as(await f.provider())
        .get('/user/tokens')
        .expect(403);
    });
  });

  describe('GET /provider/tokens', () => {
    it("lists the provider's tokens, with maxSize; a user gets 403", async () => {
      const p = await f.provider();
      const support = await f.supportToken(p.token, { maxSize: '9007199254740993', usageLimit: 2 });
      const res = await as(p).get('/provider/tokens').expect(200);
      expect(res.body.tokens).toHaveLength(2);
      expect(res.body.tokens.find((x: { type: string }) => x.type === 'provider_support')).toMatchObject({
        tokenId: await idOf(support),
        maxSize: '9007199254740993',
        usageLimit: 2,
      });
      await as(await f.user())
        .get('/provider/tokens')
        .expect(403);
    });
  });

  describe('revocation', () => {
    it('DELETE /user/tokens/{id}: an access token stops working at once (204, then 401)', async () => {
      const u = await f.user();
      const second = await t.http
        .post(`/api/v3/onezone/users/${u.userId}/tokens`)
        .set('Authorization', `Bearer ${t.env.ADMIN_TOKEN}`)
        .send({})
        .expect(200);
      await as(u).get('/user/spaces').expect(200);
      const first = await idOf(u.token);
      await as({ token: second.body.token }).delete(`/user/tokens/${first}`).expect(204);
      const res = await as(u).get('/user/spaces').expect(401);
      expect(res.headers['www-authenticate']).toContain('invalid_token');
      const listed = await as({ token: second.body.token }).get('/user/tokens').expect(200);
      const revoked = (id: string) => listed.body.tokens.find((x: { tokenId: string }) => x.tokenId === id)?.revoked;
      expect([revoked(first), revoked(await idOf(second.body.token))]).toEqual([true, false]);
    });

    it('an invite stops working at once; revoking twice is harmless (204)', async () => {
      const u = await f.user();
      const spaceId = await s.space(u.token);
      const invite = await s.invite(spaceId, u.token, { usageLimit: 5 });
      await as(await f.user())
        .post('/user/spaces/join')
        .send({ token: invite })
        .expect(201);
      await as(u)
        .delete(`/user/tokens/${await idOf(invite)}`)
        .expect(204);
      await as(u)
        .delete(`/user/tokens/${await idOf(invite)}`)
        .expect(204);
      await as(await f.user())
        .post('/user/spaces/join')
        .send({ token: invite })
        .expect(400);
    });

    it("is 404 for another subject's token or an unknown id; 403 across caller types", async () => {
      const [u, other] = [await f.user(), await f.user()];
      const p = await f.provider();
      await as(u)
        .delete(`/user/tokens/${await idOf(other.token)}`)
        .expect(404);
      await as(u)
        .delete(`/user/tokens/${'0'.repeat(32)}`)
        .expect(404);
      await as(p)
        .delete(`/provider/tokens/${await idOf(u.token)}`)
        .expect(404);
      await as(u)
        .delete(`/provider/tokens/${await idOf(p.token)}`)
        .expect(403);
      await as(p)
        .delete(`/user/tokens/${await idOf(p.token)}`)
        .expect(403);
      await as(other).get('/user/spaces').expect(200);
    });

    it('DELETE /provider/tokens/{id}: a support token stops working at once', async () => {
      const p = await f.provider();
      const support = await f.supportToken(p.token, { usageLimit: 3 });
      await as(p)
        .delete(`/provider/tokens/${await idOf(support)}`)
        .expect(204);
      const res = await as(await f.user())
        .post('/user/spaces')
        .send({ name: 'Nope', token: support, size: 1 })
        .expect(400);
      expect(res.body.error).toBe('invalid_token');
    });
  });

  describe('POST /tokens/examine', () => {
    it('tells type, subject, target and caveats of a genuine token, without authentication', async () => {
      const u = await f.user();
      const spaceId = await s.space(u.token);
      const validUntil = Math.floor(Date.now() / 1000) + 600;
      const invite = await s.invite(spaceId, u.token, { validUntil });
      const res = await examine(invite).expect(200);
      expect(res.body).toEqual({
        onezoneDomain: 'onezone',
        id: res.body.tokenId,
        tokenId: expect.stringMatching(/^[0-9a-f]{32}$/),
        persistence: 'named',
        type: { inviteToken: { inviteType: 'userJoinSpace', spaceId, parameters: {} } },
        subject: { type: 'user', id: u.userId },
        target: { type: 'space', id: spaceId },
        caveats: [{ type: 'time', validUntil }],
      });
      expect(res.text).not.toContain(invite);
      expect((await examine(u.token).expect(200)).body).toMatchObject({ type: { accessToken: {} }, target: null });
    });

    it('still describes a revoked or used-up token', async () => {
      const p = await f.provider();
      const support = await f.supportToken(p.token);
      await as(await f.user())
        .post('/user/spaces')
        .send({ name: 'Uses it', token: support, size: 1 })
        .expect(201);
      expect((await examine(support).expect(200)).body).toMatchObject({
        subject: { type: 'oneprovider', id: p.providerId },
        type: { providerSupportToken: {} },
      });
    });

    it('refuses a forged, tampered or malformed token with the one 400 answer', async () => {
      const u = await f.user();
      const bytes = Buffer.from(u.token, 'base64url');
      bytes[bytes.length - 1] ^= 1;
      for (const bad of [bytes.toString('base64url'), u.token.slice(0, -4), 'abc', '']) {
        expect((await examine(bad).expect(400)).body).toEqual({
          error: 'invalid_token',
          error_description: 'Provided token could not be validated.',
        });
      }
      for (const body of [{}, { token: 1 }, { token: 'x', more: 1 }]) {
        expect((await as().post('/tokens/examine').send(body).expect(400)).body.error).toBe('invalid_request');
      }
    });
  });
});
