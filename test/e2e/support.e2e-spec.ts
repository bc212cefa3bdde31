import { disposeEnv, startApp, testEnv, type TestApp, PREFIX } from '../support/test-app.js';
import { Factories, SpaceFactories, api, tokenIdOf } from '../support/factories.js';

type User = { userId: string; token: string };
type Provider = { providerId: string; token: string };

const INVALID_TOKEN = { error: 'invalid_token', error_description: 'Provided token could not be validated.' };

/** /spaces/{id}/providers…, POST /provider/spaces/support, DELETE /provider/spaces/{id}. */
describe('space support', () => {
  let t: TestApp;
  let f: Factories;
  let s: SpaceFactories;
  let owner: User;

  beforeAll(async () => {
    t = await startApp(await testEnv());
    f = new Factories(t.http, t.env.ADMIN_TOKEN);
    s = new SpaceFactories(t.http);
    owner = await f.user('Owner');
  });

  afterAll(async () => {
    await t.close();
    await disposeEnv(t.env);
  });

  const as = (who?: { token: string }) => api(t.http, who?.token);
  const support = (p: Provider, token: unknown, size: unknown = 100) => as(p).post('/provider/spaces/support').send({ token, size });
  const sizeOf = async (spaceId: string, providerId: string) =>
    (await t.prisma.support.findUnique({ where: { spaceId_providerId: { spaceId, providerId } } }))?.size;
  const usage = async (token: string) =>
    (await t.prisma.token.findUniqueOrThrow({ where: { id: await tokenIdOf(t.http, token) } })).usageCount;

  describe('POST /spaces/{id}/providers/token and POST /provider/spaces/support', () => {
    it('supports the space: 201, Location …/provider/spaces/{id}, size stored exactly', async () => {
      const spaceId = await s.space(owner.token);
      const p = await f.provider();
      const token = await s.supportToken(spaceId, owner.token);
      const res = await support(p, token, '9223372036854775807').expect(201);
      expect(res.headers.location).toBe(`${PREFIX}/provider/spaces/${spaceId}`);
      expect(res.text).toBe('');
      expect(await sizeOf(spaceId, p.providerId)).toBe(9223372036854775807n);
      await as(p).get(`/provider/spaces/${spaceId}`).expect(200);
      await as(owner)
        .get(`/spaces/${spaceId}/providers`)
        .expect(200, { providers: [p.providerId] });
    });

    it('holds capacity: a size over the free capacity is 400, consuming nothing', async () => {
      const p = await f.provider({ capacity: 1000 });
      await s.support(await s.space(owner.token), owner.token, p.token, 700);
      const spaceId = await s.space(owner.token);
      const token = await s.supportToken(spaceId, owner.token);
      const res = await support(p, token, 301).expect(400);
      expect(res.body).toEqual({
        error: 'invalid_request',
        error_description: "size exceeds the provider's free capacity of 300 bytes.",
      });
      expect(await usage(token)).toBe(0);
      await support(p, token, 300).expect(201);
    });

    it('holds capacity under racing supports through every path', async () => {
      const p = await f.provider({ capacity: 1000 });
      const spaces = await Promise.all(Array.from({ length: 6 }, () => s.space(owner.token)));
      const tokens = await Promise.all(spaces.map((id) => s.supportToken(id, owner.token)));
      const seedToken = await f.supportToken(p.token, { usageLimit: 4 });
      const results = await Promise.all([
        ...tokens.map((token) => support(p, token, 200)),
        ...Array.from({ length: 4 }, () => as(owner).post('/user/spaces').send({ name: 'Seed path', token: seedToken, size: 200 })),
      ]);
      expect(results.filter((r) => r.status === 201)).toHaveLength(5);
      expect(results.every((r) => r.status === 201 || r.status === 400)).toBe(true);
      const used = await t.prisma.support.aggregate({ where: { providerId: p.providerId }, _sum: { size: true } });
      expect(used._sum.size).toBe(1000n);
    });

    it('is 409 for a provider that already supports the space, consuming nothing', async () => {
      const spaceId = await s.space(owner.token);
      const p = await f.provider();
      await s.support(spaceId, owner.token, p.token, 10);
      const token = await s.supportToken(spaceId, owner.token);
      const res = await support(p, token).expect(409);
      expect(res.body).toEqual({ error: 'already_exists', error_description: 'You already support this space.' });
      expect(await usage(token)).toBe(0);
      expect(await sizeOf(spaceId, p.providerId)).toBe(10n);
    });

    it('refuses the token once its issuer lost space_add_support', async () => {
      const spaceId = await s.space(owner.token);
      const admin = await f.user();
      await s.join(spaceId, owner.token, admin.token, ['space_view', 'space_add_support']);
      const token = await s.supportToken(spaceId, admin.token);
      await as(owner)
        .patch(`/spaces/${spaceId}/users/${admin.userId}/privileges`)
        .send({ revoke: ['space_add_support'] })
        .expect(204);
      expect((await support(await f.provider(), token).expect(400)).body).toEqual(INVALID_TOKEN);
      expect(await usage(token)).toBe(0);
    });

    it('refuses a used-up, wrong-type or foreign token with the one 400 answer', async () => {
      const spaceId = await s.space(owner.token);
      const [p1, p2] = [await f.provider(), await f.provider()];
      const token = await s.supportToken(spaceId, owner.token);
      await support(p1, token).expect(201);
      for (const bad of [token, await s.invite(spaceId, owner.token), await f.supportToken(p2.token), 'x'.repeat(40)]) {
        expect((await support(p2, bad).expect(400)).body).toEqual(INVALID_TOKEN);
      }
    });

    it('minting needs space_add_support (403), membership (404), a user (403)', async () => {
      const spaceId = await s.space(owner.token);
      const u = await f.user();
      await s.join(spaceId, owner.token, u.token);
      await as(u).post(`/spaces/${spaceId}/providers/token`).expect(403);
      await as(await f.user())
        .post(`/spaces/${spaceId}/providers/token`)
        .expect(404);
      await as(await f.provider())
        .post(`/spaces/${spaceId}/providers/token`)
        .expect(403);
      await as(owner).post(`/spaces/${spaceId}/providers/token`).send({ usageLimit: 2, privileges: [] }).expect(400);
      await as(owner).post(`/spaces/${spaceId}/providers/token`).send({ usageLimit: 2 }).expect(200);
    });

    it('validates the support body (400) and the caller (a user gets 403)', async () => {
      const p = await f.provider();
      for (const body of [{}, { token: 'x' }, { size: 1 }, { token: 'x', size: 0 }, { token: 'x', size: '1.5' }]) {
        expect((await as(p).post('/provider/spaces/support').send(body).expect(400)).body.error).toBe('invalid_request');
      }
      await as(owner).post('/provider/spaces/support').send({ token: 'x', size: 1 }).expect(403);
    });
  });

  describe('GET /spaces/{id}/providers', () => {
    it('pages the supporting providers; 404 for outsiders; 403 without space_view', async () => {
      const spaceId = await s.space(owner.token);
      const ps = await Promise.all([f.provider(), f.provider(), f.provider()]);
      for (const p of ps) await s.support(spaceId, owner.token, p.token, 1);
      const ids = ps.map((p) => p.providerId).sort();
      const first = await as(owner).get(`/spaces/${spaceId}/providers?limit=2`).expect(200);
      expect(first.body.providers).toEqual(ids.slice(0, 2));
      await as(ps[0])
        .get(`/spaces/${spaceId}/providers?page_token=${first.body.nextPageToken}`)
        .expect(200, {
          providers: ids.slice(2),
        });
      await as(await f.user())
        .get(`/spaces/${spaceId}/providers`)
        .expect(404);
      const blind = await f.user();
      await s.join(spaceId, owner.token, blind.token, []);
      await as(blind).get(`/spaces/${spaceId}/providers`).expect(403);
    });
  });

  describe('ending support', () => {
    it('DELETE /spaces/{id}/providers/{pid} ends it and frees the capacity (204)', async () => {
      const p = await f.provider({ capacity: 100 });
      const spaceId = await s.space(owner.token);
      await s.support(spaceId, owner.token, p.token, 100);
      await as(owner).delete(`/spaces/${spaceId}/providers/${p.providerId}`).expect(204);
      expect(await sizeOf(spaceId, p.providerId)).toBeUndefined();
      await as(p).get(`/provider/spaces/${spaceId}`).expect(404);
      await s.support(await s.space(owner.token), owner.token, p.token, 100);
    });

    it('DELETE /spaces/{id}/providers/{pid}: 404 for a provider not supporting; 403 without space_remove_support', async () => {
      const spaceId = await s.space(owner.token);
      const p = await f.provider();
      await as(owner).delete(`/spaces/${spaceId}/providers/${p.providerId}`).expect(404);
      await s.support(spaceId, owner.token, p.token, 1);
      const u = await f.user();
      await s.join(spaceId, owner.token, u.token);
      await as(u).delete(`/spaces/${spaceId}/providers/${p.providerId}`).expect(403);
      await as(p).delete(`/spaces/${spaceId}/providers/${p.providerId}`).expect(403);
      expect(await sizeOf(spaceId, p.providerId)).toBe(1n);
    });

    it('DELETE /provider/spaces/{id}: the provider ceases its support (204), then 404', async () => {
      const p = await f.provider({ capacity: 50 });
      const spaceId = await s.space(owner.token);
      await s.support(spaceId, owner.token, p.token, 50);
      await as(p).delete(`/provider/spaces/${spaceId}`).expect(204);
      expect(await sizeOf(spaceId, p.providerId)).toBeUndefined();
      await as(p).delete(`/provider/spaces/${spaceId}`).expect(404);
      await as(owner).delete(`/provider/spaces/${spaceId}`).expect(403);
      expect((await as(owner).get(`/spaces/${spaceId}`).expect(200)).body.providers).toEqual({});
    });
  });
});
