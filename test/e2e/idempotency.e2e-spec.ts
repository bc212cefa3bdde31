import { Idempotency } from '../../src/common/idempotency/idempotency.service.js';
import { Factories, SpaceFactories, api, idFrom } from '../support/factories.js';
import { PREFIX, disposeEnv, startApp, testEnv, type TestApp } from '../support/test-app.js';

/** Idempotency-Key on the creation routes: a retry is answered, not repeated. */
describe('Idempotency-Key', () => {
  let t: TestApp;
  let factories: Factories;
  let spacesOf: SpaceFactories;
  let alice: { userId: string; token: string };
  let bob: { userId: string; token: string };

  beforeAll(async () => {
    t = await startApp(await testEnv());
    factories = new Factories(t.http, t.env.ADMIN_TOKEN);
    spacesOf = new SpaceFactories(t.http);
    alice = await factories.user();
    bob = await factories.user();
  });

  afterAll(async () => {
    await t.close();
    await disposeEnv(t.env);
  });

  let seq = 0;
  const newKey = () => `key-${Date.now()}-${(seq += 1)}`;
  const spaces = () => t.prisma.space.count();

  it('a retry with the same key and body gets the first answer, and no second space', async () => {
    const key = newKey();
    const before = await spaces();
    const first = await api(t.http, alice.token).post('/user/spaces').set('Idempotency-Key', key).send({ name: 'Once' }).expect(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await api(t.http, alice.token)
      .post('/user/spaces')
      .set('Idempotency-Key', key)
      .set('Content-Type', 'application/json')
      .send('{ "name" : "Once" }')
      .expect(201);
    expect(again.headers.location).toBe(first.headers.location);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await spaces()).toBe(before + 1);
    const owners = await t.prisma.membership.count({ where: { spaceId: idFrom(first.headers.location), owner: true } });
    expect(owners).toBe(1);
  });

  it('the same key with another body, or on another route, is 422 idempotency_conflict and changes nothing', async () => {
    const key = newKey();
    await api(t.http, alice.token).post('/user/spaces').set('Idempotency-Key', key).send({ name: 'First' }).expect(201);
    const before = await spaces();
    const other = await api(t.http, alice.token).post('/user/spaces').set('Idempotency-Key', key).send({ name: 'Second' }).expect(422);
    expect(other.body).toEqual({ error: 'idempotency_conflict', error_description: expect.any(String) });
    await api(t.http, alice.token).post('/spaces').set('Idempotency-Key', key).send({ name: 'First' }).expect(422);
    expect(await spaces()).toBe(before);
  });

  it('keys are per caller: another user with the same key creates their own space', async () => {
    const key = newKey();
    const a = await api(t.http, alice.token).post('/spaces').set('Idempotency-Key', key).send({ name: 'Mine' }).expect(201);
    const b = await api(t.http, bob.token).post('/spaces').set('Idempotency-Key', key).send({ name: 'Mine' }).expect(201);
    expect(b.headers.location).not.toBe(a.headers.location);
    expect(b.headers['idempotent-replayed']).toBeUndefined();
  });

  it('concurrent requests with one key create one space, and all get its Location', async () => {
    const key = newKey();
    const before = await spaces();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => api(t.http, alice.token).post('/user/spaces').set('Idempotency-Key', key).send({ name: 'Raced' })),
    );
    expect(answers.map((r) => r.status)).toEqual(Array(8).fill(201));
    expect(new Set(answers.map((r) => r.headers.location)).size).toBe(1);
    expect(await spaces()).toBe(before + 1);
  });

  it('a retry after a supported creation is answered, though the single-use token is spent', async () => {
    const provider = await factories.provider({ capacity: 1000 });
    const token = await factories.supportToken(provider.token);
    const key = newKey();
    const body = { name: 'Supported', token, size: 300 };
    const first = await api(t.http, alice.token).post('/user/spaces').set('Idempotency-Key', key).send(body).expect(201);
    const again = await api(t.http, alice.token).post('/user/spaces').set('Idempotency-Key', key).send(body).expect(201);
    expect(again.headers.location).toBe(first.headers.location);
    const used = await t.prisma.support.aggregate({ _sum: { size: true }, where: { providerId: provider.providerId } });
    expect(used._sum.size).toBe(300n);
    // Without the key, the spent token is refused as the seed says.
    await api(t.http, alice.token).post('/user/spaces').send(body).expect(400);
  });

  it('a request that failed is not remembered: the key can be used again', async () => {
    const key = newKey();
    await api(t.http, alice.token).post('/user/spaces').set('Idempotency-Key', key).send({ name: 'x' }).expect(400);
    await api(t.http, alice.token).post('/user/spaces').set('Idempotency-Key', key).send({ name: 'Fixed' }).expect(201);
  });

  it('join and support honour the key too', async () => {
    const spaceId = await spacesOf.space(alice.token, 'Shared');
    const invite = await spacesOf.invite(spaceId, alice.token);
    const key = newKey();
    const joined = await api(t.http, bob.token).post('/user/spaces/join').set('Idempotency-Key', key).send({ token: invite }).expect(201);
    const rejoined = await api(t.http, bob.token).post('/user/spaces/join').set('Idempotency-Key', key).send({ token: invite }).expect(201);
    expect(rejoined.headers.location).toBe(joined.headers.location);
    expect(rejoined.headers.location).toBe(`${PREFIX}/user/spaces/${spaceId}`);

    const provider = await factories.provider();
    const supportToken = await spacesOf.supportToken(spaceId, alice.token);
    const body = { token: supportToken, size: 100 };
    const supported = await api(t.http, provider.token).post('/provider/spaces/support').set('Idempotency-Key', key).send(body).expect(201);
    const again = await api(t.http, provider.token).post('/provider/spaces/support').set('Idempotency-Key', key).send(body).expect(201);
    expect(again.headers.location).toBe(supported.headers.location);
    expect(await t.prisma.support.count({ where: { spaceId } })).toBe(1);
  });

  it.each([
    ['empty', ''],
    ['too long', 'k'.repeat(256)],
    ['with a space', 'two words'],
  ])('a malformed key (%s): 400, nothing created', async (_, key) => {
    const before = await spaces();
    const res = await api(t.http, alice.token).post('/user/spaces').set('Idempotency-Key', key).send({ name: 'Bad key' });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
    expect(await spaces()).toBe(before);
  });

  it('the claim is tracked only while a keyed request runs: after an answer, a replay, a conflict, a failure or a race, nothing is', async () => {
    const idempotency = t.app.get(Idempotency);
    const key = newKey();
    const post = (body: object) => api(t.http, alice.token).post('/user/spaces').set('Idempotency-Key', key).send(body);
    await post({ name: 'x' }).expect(400);
    expect(idempotency.tracking).toBe(false);
    await post({ name: 'Tracked' }).expect(201);
    expect(idempotency.tracking).toBe(false);
    await post({ name: 'Tracked' }).expect(201).expect('Idempotent-Replayed', 'true');
    await post({ name: 'Other' }).expect(422);
    expect(idempotency.tracking).toBe(false);
    const raced = newKey();
    await Promise.all(
      Array.from({ length: 6 }, () =>
        api(t.http, alice.token).post('/user/spaces').set('Idempotency-Key', raced).send({ name: 'Raced' }).expect(201),
      ),
    );
    expect(idempotency.tracking).toBe(false);
  });

  it('keys are kept at least 24 hours, then purged', async () => {
    const key = newKey();
    await api(t.http, alice.token).post('/user/spaces').set('Idempotency-Key', key).send({ name: 'Kept' }).expect(201);
    const idempotency = t.app.get(Idempotency);
    const hours = (h: number) => new Date(Date.now() + h * 3600 * 1000);
    await idempotency.purge(hours(23.9));
    await api(t.http, alice.token)
      .post('/user/spaces')
      .set('Idempotency-Key', key)
      .send({ name: 'Kept' })
      .expect(201)
      .expect('Idempotent-Replayed', 'true');
    expect(await idempotency.purge(hours(24.1))).toBeGreaterThanOrEqual(1);
    const after = await api(t.http, alice.token).post('/user/spaces').set('Idempotency-Key', key).send({ name: 'Kept' }).expect(201);
    expect(after.headers['idempotent-replayed']).toBeUndefined();
  });

  it('the key is judged after authorisation and before the body: its conflict and its format come first', async () => {
    const key = newKey();
    await api(t.http, alice.token).post('/user/spaces').set('Idempotency-Key', key).send({ name: 'Judged' }).expect(201);
    const before = await spaces();
    const conflict = await api(t.http, alice.token).post('/user/spaces').set('Idempotency-Key', key).send({ name: 'x', extra: 1 });
    expect(conflict.status).toBe(422);
    expect(conflict.body.error).toBe('idempotency_conflict');
    const malformed = await api(t.http, alice.token).post('/user/spaces').set('Idempotency-Key', 'two words').send({ name: 'x' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error_description).toMatch(/Idempotency-Key/);
    const unauthenticated = await t.http.post(`${PREFIX}/user/spaces`).set('Idempotency-Key', key).send({ name: 'Judged' });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers['idempotent-replayed']).toBeUndefined();
    const fresh = await api(t.http, alice.token).post('/user/spaces').set('Idempotency-Key', newKey()).send({ name: 'x' });
    expect(fresh.status).toBe(400);
    expect(fresh.body.error_description).not.toMatch(/Idempotency-Key/);
    expect(await spaces()).toBe(before);
  });

  it("a keyed route keeps its handler's metadata (its operation), and its extra argument is no parameter in the OpenAPI document", async () => {
    const doc = (await t.http.get('/docs/openapi.json').expect(200)).body;
    const names = (doc.paths['/user/spaces'].post.parameters as { name: string }[]).map((p) => p.name).sort();
    expect(names).toEqual(['Idempotency-Key']);
    expect(doc.paths['/user/spaces'].post.operationId).toBe('createUserSpace');
  });

  it('the OpenAPI document describes the header and the 422 on the creation routes', async () => {
    const doc = (await t.http.get('/docs/openapi.json').expect(200)).body;
    for (const [path, op] of [
      ['/user/spaces', 'post'],
      ['/spaces', 'post'],
      ['/user/spaces/join', 'post'],
      ['/provider/spaces/support', 'post'],
    ]) {
      const operation = doc.paths[path][op];
      expect(operation.parameters).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false })]),
      );
      expect(operation.responses['422']).toBeDefined();
    }
  });
});
