import type { Test } from 'supertest';
import type { CallerType } from '../../src/auth/caller.js';
import { PREFIX, disposeEnv, startApp, testEnv, type TestApp } from '../support/test-app.js';
import { Factories, SpaceFactories, api, idFrom } from '../support/factories.js';
import { listRoutes, type Route } from '../support/routes.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Every route, from the controllers' own metadata: the 4xx a caller can cause
 * before the route runs come in Onezone's order, with the Error body, and
 * each is documented in the OpenAPI document.
 */
describe('route contract (every route)', () => {
  let t: TestApp;
  let doc: Json;
  let routes: Route[];
  const good = {} as Record<CallerType, string>;
  const wrong = {} as Record<CallerType, string>;
  const ids = {} as Record<'id' | 'uid' | 'pid' | 'gid', string>;
  const observed = new Map<string, Set<number>>();

  beforeAll(async () => {
    t = await startApp(await testEnv());
    const f = new Factories(t.http, t.env.ADMIN_TOKEN);
    const s = new SpaceFactories(t.http);
    const [owner, outsider] = [await f.user('Owner'), await f.user('Outsider')];
    const [provider, stranger] = [await f.provider(), await f.provider()];
    const spaceId = await s.space(owner.token);
    await s.support(spaceId, owner.token, provider.token, 1);
    // Advertised, so that the Marketplace routes on it reach their bodies.
    await api(t.http, owner.token)
      .patch(`/spaces/${spaceId}`)
      .send({ advertisedInMarketplace: true, description: 'd', organizationName: 'o', marketplaceContactEmail: 'ops@example.org' })
      .expect(204);
    Object.assign(good, { user: owner.token, provider: provider.token, admin: t.env.ADMIN_TOKEN });
    Object.assign(wrong, { user: outsider.token, provider: stranger.token, admin: t.env.ADMIN_TOKEN });
    // A group of the owner's (a direct member with every group privilege), for the routes under /groups/{id}.
    const group = await api(t.http, owner.token).post('/user/groups').send({ name: 'Contract group' }).expect(201);
    Object.assign(ids, { id: spaceId, uid: owner.userId, pid: provider.providerId, gid: idFrom(group.headers.location) });
    doc = (await t.http.get('/docs/openapi.json').expect(200)).body;
    routes = listRoutes(t.app).filter((r) => !r.path.startsWith('/health'));
  });

  afterAll(async () => {
    await t.close();
    await disposeEnv(t.env);
  });

  const ofGroup = (route: Route) => route.path.startsWith('/groups/');
  const url = (route: Route, id = ofGroup(route) ? ids.gid : ids.id) =>
    PREFIX +
    route.path
      .replace('{id}', id)
      .replace('{uid}', ids.uid)
      .replace('{pid}', ofGroup(route) ? ids.gid : ids.pid)
      .replace(/\{(gid|cid)\}/, ids.gid)
      .replace('{sid}', ids.id)
      .replace('{rid}', 'e'.repeat(32));

  /** Sends, checks the Error body, and records the status against the route. */
  async function send(
    route: Route,
    token: string | undefined,
    build: (r: Test) => Test = (r) => r,
    id?: string,
  ): Promise<{ status: number; body: Json; headers: Record<string, string> }> {
    let req = t.http[route.method](url(route, id));
    if (token) req = req.set('Authorization', `Bearer ${token}`);
    const res = (await build(req)) as { status: number; body: Json; headers: Record<string, string> };
    expect([route.name, res.body]).toEqual([route.name, { error: expect.any(String), error_description: expect.any(String) }]);
    const key = `${route.method} ${route.path}`;
    observed.set(key, (observed.get(key) ?? new Set()).add(res.status));
    return res;
  }

  const expectStatus = (route: Route, res: { status: number }, status: number) =>
    expect([route.name, res.status]).toEqual([route.name, status]);

  it('401 without credentials, with WWW-Authenticate: Bearer', async () => {
    for (const route of routes.filter((r) => !r.public)) {
      const res = await send(route, undefined);
      expectStatus(route, res, 401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    }
  });

  it('401 invalid_token for a bearer token that fails', async () => {
    for (const route of routes.filter((r) => !r.public)) {
      const res = await send(route, 'bm90LWEtdG9rZW4');
      expectStatus(route, res, 401);
      expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
    }
  });

  it('403 for a caller of a type the route does not serve', async () => {
    const served = routes.filter((r) => !r.public && r.callers!.length < 3);
    // The privilege catalogues answer every caller type, and so do the token routes that decide by the
    // token's subject (its subject or the administrator; their own tests check the refusals), the routes on
    // one space (supporting providers and the administrator beside members) and GET /spaces (the
    // administrator, or a user holding a zone privilege).
    const everyone = [...new Set(routes.filter((r) => !r.public && r.callers!.length === 3).map((r) => r.path))].sort();
    expect(everyone).toEqual([
      '/groups/privileges',
      '/privileges',
      '/providers/{id}/tokens/named',
      '/providers/{id}/tokens/named/name/{name}',
      '/providers/{id}/tokens/temporary',
      '/spaces',
      '/spaces/privileges',
      '/spaces/{id}',
      '/spaces/{id}/effective_users',
      '/spaces/{id}/effective_users/{uid}',
      '/spaces/{id}/effective_users/{uid}/membership',
      '/spaces/{id}/effective_users/{uid}/privileges',
      '/spaces/{id}/owners',
      '/spaces/{id}/providers',
      '/spaces/{id}/providers/{pid}/support_parameters',
      '/spaces/{id}/users',
      '/spaces/{id}/users/{uid}',
      '/tokens/named/{id}',
      '/tokens/named/{id}/status',
      '/users/{id}/tokens/named',
      '/users/{id}/tokens/named/name/{name}',
      '/users/{id}/tokens/temporary',
    ]);
    for (const route of served) {
      const other = (['user', 'provider', 'admin'] as const).find((c) => !route.callers!.includes(c))!;
      expectStatus(route, await send(route, wrong[other]), 403);
    }
  });

  it('404 for a space the caller cannot see, however bad the body', async () => {
    const spaceRoutes = routes.filter((r) => r.space);
    // The space, its members, owners, effective users, providers and their support parameters, a user's and a
    // provider's view of it, its Marketplace requests; then its groups.
    expect(spaceRoutes.filter((r) => !r.path.includes('groups')).length).toBe(29);
    expect(spaceRoutes.filter((r) => r.path.includes('groups')).length).toBeGreaterThan(0);
    for (const route of spaceRoutes) {
      const caller = route.callers!.includes('user') ? wrong.user : wrong.provider;
      expectStatus(route, await send(route, caller, (r) => r.set('Content-Type', 'text/plain').send('x')), 404);
      expectStatus(route, await send(route, good[route.callers![0]], undefined, 'f'.repeat(32)), 404);
    }
  });

  it('415, 400 and 413 for body faults, once the caller is authorised', async () => {
    const bodyRoutes = routes.filter((r) => doc.paths[r.path][r.method].requestBody);
    expect(bodyRoutes.length).toBeGreaterThanOrEqual(15);
    for (const route of bodyRoutes) {
      const caller = route.public ? undefined : good[route.callers![0]];
      const text = await send(route, caller, (r) => r.set('Content-Type', 'text/plain').send('name=x'));
      expectStatus(route, text, 415);
      const malformed = await send(route, caller, (r) => r.set('Content-Type', 'application/json').send('{"name":'));
      expectStatus(route, malformed, 400);
      const array = await send(route, caller, (r) => r.send([1, 2]));
      expectStatus(route, array, 400);
      const huge = await send(route, caller, (r) => r.send({ pad: 'x'.repeat(1_100_000) }));
      expectStatus(route, huge, 413);
      const unknown = await send(route, caller, (r) => r.send({ surprise: true }));
      expectStatus(route, unknown, 400);
      expect(unknown.body.error_description).toContain("unknown field 'surprise'");
    }
  });

  // Runs last (tests run in the order they are declared).
  it('documents every status seen above for its operation', () => {
    // Every route but the public ones without a body (GET /configuration), which no caller can fail.
    const failable = routes.filter((r) => !r.public || doc.paths[r.path][r.method].requestBody);
    expect(observed.size).toBe(failable.length);
    for (const [key, statuses] of observed) {
      const [method, path] = key.split(' ');
      const documented = Object.keys(doc.paths[path][method].responses).map(Number);
      for (const status of statuses) expect([key, status, documented.includes(status)]).toEqual([key, status, true]);
    }
  });
});
