import macaroons from 'macaroon';
import { Factories, idFrom } from '../support/factories.js';
import { PREFIX, disposeEnv, startApp, testEnv, type TestApp } from '../support/test-app.js';

function attenuate(serialized: string, caveat: string): string {
  const m = macaroons.importMacaroon(new Uint8Array(Buffer.from(serialized, 'base64url')));
  m.addFirstPartyCaveat(caveat);
  return Buffer.from(m.exportBinary()).toString('base64url');
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('identities and tokens', () => {
  let t: TestApp;
  let f: Factories;

  beforeAll(async () => {
    t = await startApp(await testEnv());
    f = new Factories(t.http, t.env.ADMIN_TOKEN);
  });

  afterAll(async () => {
    await t.close();
    await disposeEnv(t.env);
  });

  const as = (token: string) => ({
    post: (path: string) => t.http.post(`${PREFIX}${path}`).set('Authorization', `Bearer ${token}`),
  });
  const createSpace = (token: string) => as(token).post('/user/spaces').send({ name: 'Probe' });

  describe('administration (admin token)', () => {
    it('POST /users: 201, Location, body with an access token that works', async () => {
      const res = await as(t.env.ADMIN_TOKEN).post('/users').send({ name: 'Alice Smith' }).expect(201);
      expect(res.body).toEqual({ userId: expect.stringMatching(/^[0-9a-f]{32}$/), name: 'Alice Smith', token: expect.any(String) });
      expect(res.headers.location).toBe(`${PREFIX}/users/${res.body.userId}`);
      await createSpace(res.body.token).expect(201);
    });

    it('POST /providers: 201 with capacity as number or string, Location, a working token', async () => {
      const res = await as(t.env.ADMIN_TOKEN).post('/providers').send({ name: 'Cyfronet', capacity: '1099511627776' }).expect(201);
      expect(res.headers.location).toBe(`${PREFIX}/providers/${res.body.providerId}`);
      const row = await t.prisma.provider.findUnique({ where: { id: res.body.providerId } });
      expect(row?.capacity).toBe(1099511627776n);
      await as(res.body.token).post('/provider/spaces/token').expect(200);
      const unlimited = await as(t.env.ADMIN_TOKEN).post('/providers').send({ name: 'Unlimited' }).expect(201);
      expect((await t.prisma.provider.findUnique({ where: { id: unlimited.body.providerId } }))?.capacity).toBeNull();
    });

    it('refuses bad names and capacities', async () => {
      await as(t.env.ADMIN_TOKEN).post('/users').send({ name: ' x' }).expect(400);
      await as(t.env.ADMIN_TOKEN).post('/users').send({}).expect(400);
      await as(t.env.ADMIN_TOKEN).post('/providers').send({ name: 'P1', capacity: -1 }).expect(400);
      await as(t.env.ADMIN_TOKEN).post('/providers').send({ name: 'P1', capacity: 'lots' }).expect(400);
    });

    it('mints access tokens, with an optional ttl; 404 for an unknown identity', async () => {
      const user = await f.user();
      const res = await as(t.env.ADMIN_TOKEN).post(`/users/${user.userId}/tokens`).send({ ttl: 3600 }).expect(200);
      await createSpace(res.body.token).expect(201);
      const row = await t.prisma.token.findFirst({ where: { subjectId: user.userId, validUntil: { not: null } } });
      expect(row!.validUntil!.getTime() / 1000).toBeCloseTo(nowSeconds() + 3600, -1);
      const unknown = await as(t.env.ADMIN_TOKEN)
        .post(`/users/${'0'.repeat(32)}/tokens`)
        .expect(404);
      expect(unknown.body.error).toBe('not_found');
      const provider = await f.provider();
      await as(t.env.ADMIN_TOKEN).post(`/providers/${provider.providerId}/tokens`).expect(200);
      await as(t.env.ADMIN_TOKEN).post(`/providers/${user.userId}/tokens`).expect(404);
      await as(t.env.ADMIN_TOKEN).post(`/users/${user.userId}/tokens`).send({ ttl: 0 }).expect(400);
    });

    it('only the admin token may administer: 401 without, 403 for users and providers', async () => {
      await t.http.post(`${PREFIX}/users`).send({ name: 'Nobody' }).expect(401);
      const user = await f.user();
      const provider = await f.provider();
      expect((await as(user.token).post('/users').send({ name: 'Eve' }).expect(403)).body.error).toBe('forbidden');
      await as(provider.token).post('/providers').send({ name: 'Eve' }).expect(403);
      await as(`${t.env.ADMIN_TOKEN}x`).post('/users').send({ name: 'Eve' }).expect(401);
    });
  });

  describe('minting tokens for the seeds', () => {
    it('POST /user/spaces/token: 200 {token}; users only', async () => {
      const user = await f.user();
      const provider = await f.provider();
      const res = await as(user.token).post('/user/spaces/token').expect(200);
      expect(res.body).toEqual({ token: expect.stringMatching(/^[A-Za-z0-9_-]+$/) });
      await as(provider.token).post('/user/spaces/token').expect(403);
      await t.http.post(`${PREFIX}/user/spaces/token`).expect(401);
    });

    it('POST /provider/spaces/token: 200 {token}; providers only; limits validated', async () => {
      const user = await f.user();
      const provider = await f.provider();
      await as(user.token).post('/provider/spaces/token').expect(403);
      for (const body of [
        { usageLimit: 0 },
        { usageLimit: 1.5 },
        { usageLimit: '2' },
        { maxSize: 0 },
        { validUntil: 'tomorrow' },
        { validUntil: 1.5 },
        { other: 1 },
      ]) {
        const res = await as(provider.token).post('/provider/spaces/token').send(body);
        expect([res.status, res.body.error]).toEqual([400, 'invalid_request']);
      }
      const past = await as(provider.token)
        .post('/provider/spaces/token')
        .send({ validUntil: nowSeconds() - 1 })
        .expect(400);
      expect(past.body.error_description).toBe('validUntil must be in the future.');
    });

    it('validUntil is honoured: a token that expires stops working', async () => {
      const user = await f.user();
      const provider = await f.provider();
      const token = await f.supportToken(provider.token, { validUntil: nowSeconds() + 2 });
      const row = await t.prisma.token.findFirst({ where: { subjectId: provider.providerId, type: 'provider_support' } });
      // Move the stored limit into the past: the row check refuses it, as the caveat would.
      await t.prisma.token.update({ where: { id: row!.id }, data: { validUntil: new Date(Date.now() - 1000) } });
      const res = await as(user.token).post('/user/spaces').send({ name: 'Late', token, size: 1 }).expect(400);
      expect(res.body.error).toBe('invalid_token');
    });
  });

  describe('bearer tokens', () => {
    it('a holder may attenuate an access token with time <', async () => {
      const user = await f.user();
      await createSpace(attenuate(user.token, `time < ${nowSeconds() + 60}`)).expect(201);
      const expired = await createSpace(attenuate(user.token, `time < ${nowSeconds() - 1}`)).expect(401);
      expect(expired.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
      // The original is unaffected.
      await createSpace(user.token).expect(201);
    });

    it('an unknown caveat makes a token invalid', async () => {
      const user = await f.user();
      await createSpace(attenuate(user.token, 'foo = bar')).expect(401);
      await createSpace(attenuate(user.token, 'ip = 127.0.0.1')).expect(201); // a known caveat, and it holds
      // The token names its type in its identifier: a type caveat is unknown there.
      await createSpace(attenuate(user.token, 'type = access')).expect(401);
    });

    it('a token of another type is refused as a bearer', async () => {
      const user = await f.user();
      const creation = await f.creationToken(user.token);
      await createSpace(creation).expect(401);
      const provider = await f.provider();
      await createSpace(await f.supportToken(provider.token)).expect(401);
    });

    it('a token revoked through this instance stops working at once', async () => {
      const user = await f.user();
      await createSpace(user.token).expect(201);
      const tokenId = (await t.http.post(`${PREFIX}/tokens/examine`).send({ token: user.token }).expect(200)).body.tokenId;
      await t.http.delete(`${PREFIX}/user/tokens/${tokenId}`).set('Authorization', `Bearer ${user.token}`).expect(204);
      await createSpace(user.token).expect(401);
    });

    it('a token revoked elsewhere (another instance) stops working within TOKEN_CACHE_SECONDS (2 s)', async () => {
      const user = await f.user();
      await createSpace(user.token).expect(201); // now cached
      await t.prisma.token.updateMany({ where: { subjectId: user.userId, type: 'access' }, data: { revoked: true } });
      const revokedAt = Date.now();
      while ((await createSpace(user.token)).status !== 401) {
        expect(Date.now() - revokedAt).toBeLessThan(2_500);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(Date.now() - revokedAt).toBeLessThan(2_500);
    });

    it('a token minted by another deployment (another secret) is refused', async () => {
      const env = await testEnv();
      const other = await startApp(env);
      try {
        const foreign = await new Factories(other.http, env.ADMIN_TOKEN).user();
        await createSpace(foreign.token).expect(401);
      } finally {
        await other.close();
        await disposeEnv(env);
      }
    });

    it('every flipped character of a token is refused', async () => {
      const user = await f.user();
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const statuses = new Set<number>();
      for (let i = 0; i < user.token.length; i += 1) {
        const c = user.token[i];
        const flipped = user.token.slice(0, i) + alphabet[(alphabet.indexOf(c) + 1) % 64] + user.token.slice(i + 1);
        const res = await createSpace(flipped);
        statuses.add(res.status);
      }
      expect([...statuses]).toEqual([401]);
    });
  });

  it('the Location of a created space names a space the caller owns', async () => {
    const user = await f.user();
    const res = await createSpace(user.token).expect(201);
    const membership = await t.prisma.membership.findFirst({ where: { spaceId: idFrom(res.headers.location) } });
    expect(membership).toMatchObject({ userId: user.userId, owner: true });
  });
});
