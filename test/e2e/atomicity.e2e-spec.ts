import { SpacesRepository, type NewSpace } from '../../src/spaces/spaces.repository.js';
import type { Tx } from '../../src/database/transactions.js';
import { Factories } from '../support/factories.js';
import { PREFIX, disposeEnv, startApp, testEnv, type TestApp } from '../support/test-app.js';

/** A creation that fails after writing: the transaction must leave nothing behind. */
class FailingSpacesRepository extends SpacesRepository {
  override async create(tx: Tx, space: NewSpace): Promise<void> {
    await super.create(tx, space);
    if (space.name.startsWith('Fail')) {
      throw new Error('could not extend file: INSERT INTO "spaces" VALUES (...) password=hunter2');
    }
    if (space.name.startsWith('Down')) {
      throw Object.assign(new Error("Can't reach database server at 10.0.0.1:5432"), { code: 'P1001' });
    }
  }
}

describe('atomic creations and concurrent token use', () => {
  let t: TestApp;
  let f: Factories;

  beforeAll(async () => {
    t = await startApp(await testEnv(), (b) => b.overrideProvider(SpacesRepository).useClass(FailingSpacesRepository));
    f = new Factories(t.http, t.env.ADMIN_TOKEN);
  });

  afterAll(async () => {
    await t.close();
    await disposeEnv(t.env);
  });

  const post = (path: string, token: string, body: object) =>
    t.http.post(`${PREFIX}${path}`).set('Authorization', `Bearer ${token}`).send(body);

  async function counts() {
    const [spaces, memberships, supports] = await Promise.all([
      t.prisma.space.count(),
      t.prisma.membership.count(),
      t.prisma.support.count(),
    ]);
    return { spaces, memberships, supports };
  }

  async function usage(serialized: string) {
    const id = Buffer.from(serialized, 'base64url');
    const rows = await t.prisma.token.findMany({ where: { type: { not: 'access' } }, orderBy: { createdAt: 'desc' } });
    return rows.find((r) => id.includes(Buffer.from(r.id)))?.usageCount;
  }

  describe('a failure leaves no space, no membership, no support and an unused token', () => {
    it('when the database fails after the inserts (500, no SQL or secret in the body)', async () => {
      const user = await f.user();
      const provider = await f.provider();
      const token = await f.supportToken(provider.token);
      const before = await counts();
      const res = await post('/user/spaces', user.token, { name: 'Fail here', token, size: 10 }).expect(500);
      expect(res.body).toEqual({ error: 'internal_server_error', error_description: 'Internal server error.' });
      expect(JSON.stringify(res.body)).not.toMatch(/INSERT|hunter2|stack|at /);
      expect(await counts()).toEqual(before);
      expect(await usage(token)).toBe(0);
      await post('/user/spaces', user.token, { name: 'Works now', token, size: 10 }).expect(201);
      expect(await usage(token)).toBe(1);
    });

    it('when the database is unreachable (503 service_unavailable)', async () => {
      const user = await f.user();
      const provider = await f.provider();
      const creation = await f.creationToken(user.token);
      const before = await counts();
      const res = await post('/spaces', provider.token, { name: 'Down now', token: creation, size: 1 }).expect(503);
      expect(res.body).toEqual({
        error: 'service_unavailable',
        error_description: 'The service is temporarily unavailable: retry later.',
      });
      expect(await counts()).toEqual(before);
      expect(await usage(creation)).toBe(0);
    });

    it('when the provider lacks capacity (400), the token stays usable for a smaller size', async () => {
      const user = await f.user();
      const provider = await f.provider({ capacity: 100 });
      const token = await f.supportToken(provider.token);
      const before = await counts();
      const res = await post('/user/spaces', user.token, { name: 'Too big', token, size: 101 }).expect(400);
      expect(res.body).toEqual({
        error: 'invalid_request',
        error_description: "size exceeds the provider's free capacity of 100 bytes.",
      });
      expect(await counts()).toEqual(before);
      expect(await usage(token)).toBe(0);
      await post('/user/spaces', user.token, { name: 'Fits', token, size: 100 }).expect(201);
    });

    it('when the token is invalid, nothing is written', async () => {
      const user = await f.user();
      const before = await counts();
      await post('/user/spaces', user.token, { name: 'Bad token', token: 'AAAA', size: 1 }).expect(400);
      expect(await counts()).toEqual(before);
    });
  });

  describe('concurrency', () => {
    it('racing uses of a single-use provider support token: exactly one succeeds', async () => {
      const provider = await f.provider();
      const token = await f.supportToken(provider.token);
      const users = await Promise.all(Array.from({ length: 12 }, () => f.user()));
      const before = await counts();
      const results = await Promise.all(users.map((u, i) => post('/user/spaces', u.token, { name: `Race ${i}`, token, size: 5 })));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 400)).toHaveLength(11);
      for (const r of results.filter((r) => r.status === 400)) expect(r.body.error).toBe('invalid_token');
      expect(await counts()).toEqual({
        spaces: before.spaces + 1,
        memberships: before.memberships + 1,
        supports: before.supports + 1,
      });
      expect(await usage(token)).toBe(1);
    });

    it('racing uses of a space creation token by several providers: exactly one succeeds', async () => {
      const user = await f.user();
      const token = await f.creationToken(user.token);
      const providers = await Promise.all(Array.from({ length: 8 }, () => f.provider()));
      const results = await Promise.all(providers.map((p, i) => post('/spaces', p.token, { name: `Race ${i}`, token, size: 1 })));
      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
      expect(results.filter((r) => r.status === 400 && r.body.error === 'invalid_token')).toHaveLength(7);
      expect(await t.prisma.membership.count({ where: { userId: user.userId } })).toBe(1);
    });

    it('a token with usageLimit 3 used 10 times at once: exactly 3 succeed', async () => {
      const provider = await f.provider();
      const token = await f.supportToken(provider.token, { usageLimit: 3 });
      const user = await f.user();
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => post('/user/spaces', user.token, { name: `Multi ${i}`, token, size: 1 })),
      );
      expect(results.filter((r) => r.status === 201)).toHaveLength(3);
      expect(await usage(token)).toBe(3);
    });

    it("concurrent supports never exceed the provider's capacity", async () => {
      const provider = await f.provider({ capacity: 1000 });
      const token = await f.supportToken(provider.token, { usageLimit: 20 });
      const users = await Promise.all(Array.from({ length: 10 }, () => f.user()));
      const results = await Promise.all(users.map((u, i) => post('/user/spaces', u.token, { name: `Cap ${i}`, token, size: 300 })));
      expect(results.filter((r) => r.status === 201)).toHaveLength(3);
      for (const r of results.filter((r) => r.status !== 201)) {
        expect(r.status).toBe(400);
        expect(r.body.error_description).toMatch(/free capacity of 100 bytes/);
      }
      const used = await t.prisma.support.aggregate({ where: { providerId: provider.providerId }, _sum: { size: true } });
      expect(used._sum.size).toBe(900n);
      expect(await usage(token)).toBe(3);
    });

    it('capacity holds across both creation routes at once', async () => {
      const provider = await f.provider({ capacity: 500 });
      const support = await f.supportToken(provider.token, { usageLimit: 10 });
      const owners = await Promise.all(Array.from({ length: 6 }, () => f.user()));
      const creations = await Promise.all(owners.map((o) => f.creationToken(o.token)));
      const results = await Promise.all([
        ...owners.map((o, i) => post('/user/spaces', o.token, { name: `Both ${i}`, token: support, size: 100 })),
        ...creations.map((c, i) => post('/spaces', provider.token, { name: `Both p${i}`, token: c, size: 100 })),
      ]);
      expect(results.filter((r) => r.status === 201)).toHaveLength(5);
      const used = await t.prisma.support.aggregate({ where: { providerId: provider.providerId }, _sum: { size: true } });
      expect(used._sum.size).toBe(500n);
    });
  });
});
