import { PREFIX, disposeEnv, startApp, testEnv, type TestApp } from '../support/test-app.js';
import { Factories, SpaceFactories, api } from '../support/factories.js';

type Who = { token: string };

/** GET routes on spaces: details, lists, pagination, who may see what. */
describe('space reads', () => {
  let t: TestApp;
  let f: Factories;
  let s: SpaceFactories;
  let alice: Who & { userId: string };
  let bob: Who & { userId: string };
  let carol: Who & { userId: string };
  let p: Who & { providerId: string };
  let q: Who & { providerId: string };
  let spaceId: string;

  beforeAll(async () => {
    t = await startApp(await testEnv());
    f = new Factories(t.http, t.env.ADMIN_TOKEN);
    s = new SpaceFactories(t.http);
    [alice, bob, carol] = [await f.user('Alice'), await f.user('Bob'), await f.user('Carol')];
    [p, q] = [await f.provider({ capacity: '20000000000000000' }), await f.provider()];
    spaceId = await s.space(alice.token, 'Shared');
    await s.join(spaceId, alice.token, bob.token);
    await s.support(spaceId, alice.token, p.token, '9007199254740993');
    await s.support(spaceId, alice.token, q.token, 150);
  });

  afterAll(async () => {
    await t.close();
    await disposeEnv(t.env);
  });

  const as = (who?: Who) => api(t.http, who?.token);

  describe('GET /spaces/{id}', () => {
    it('gives a member with space_view the details, sizes exact (number, or string beyond 2^53)', async () => {
      const res = await as(bob).get(`/spaces/${spaceId}`).expect(200);
      expect(res.body).toEqual({
        spaceId,
        name: 'Shared',
        creator: { type: 'user', id: alice.userId },
        creationTime: expect.any(Number),
        providers: { [p.providerId]: '9007199254740993', [q.providerId]: 150 },
        description: '',
        organizationName: '',
        tags: [],
        advertisedInMarketplace: false,
        marketplaceContactEmail: '',
        supportParametersRegistry: {
          [p.providerId]: { accountingEnabled: false, dirStatsServiceEnabled: false, dirStatsServiceStatus: 'disabled' },
          [q.providerId]: { accountingEnabled: false, dirStatsServiceEnabled: false, dirStatsServiceStatus: 'disabled' },
        },
      });
      expect(Math.abs(res.body.creationTime - Date.now() / 1000)).toBeLessThan(300);
    });

    it('gives a supporting provider the details', async () => {
      expect((await as(p).get(`/spaces/${spaceId}`).expect(200)).body.spaceId).toBe(spaceId);
    });

    it('is 404 for a user who is not a member, a provider that does not support it, and an unknown id', async () => {
      const other = await f.provider();
      for (const [who, id] of [
        [carol, spaceId],
        [other, spaceId],
        [alice, 'f'.repeat(32)],
        [alice, 'not-an-id'],
      ] as const) {
        const res = await as(who).get(`/spaces/${id}`).expect(404);
        expect(res.body.error).toBe('not_found');
      }
    });

    it('is 403 for a member without space_view', async () => {
      const dave = await f.user('Dave');
      await s.join(spaceId, alice.token, dave.token, ['space_read_data']);
      const res = await as(dave).get(`/spaces/${spaceId}`).expect(403);
      expect(res.body).toEqual({ error: 'forbidden', error_description: expect.stringContaining('space_view') });
      await as(alice).delete(`/spaces/${spaceId}/users/${dave.userId}`).expect(204);
    });

    it('is 401 without credentials, with WWW-Authenticate', async () => {
      const res = await as().get(`/spaces/${spaceId}`).expect(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    });
  });

  describe('GET /user/spaces/{id}', () => {
    it('gives any member the details', async () => {
      expect((await as(bob).get(`/user/spaces/${spaceId}`).expect(200)).body.name).toBe('Shared');
    });

    it('is 404 for a non-member, 403 for a provider', async () => {
      await as(carol).get(`/user/spaces/${spaceId}`).expect(404);
      await as(p).get(`/user/spaces/${spaceId}`).expect(403);
    });
  });

  describe('GET /provider/spaces/{id}', () => {
    it('gives the supporting provider the details, 404 to another, 403 to a user', async () => {
      expect((await as(q).get(`/provider/spaces/${spaceId}`).expect(200)).body.providers[q.providerId]).toBe(150);
      await as(await f.provider())
        .get(`/provider/spaces/${spaceId}`)
        .expect(404);
      await as(alice).get(`/provider/spaces/${spaceId}`).expect(403);
    });
  });

  describe('GET /spaces/privileges', () => {
    it("lists Onezone's three levels, each containing the one below", async () => {
      const { body } = await as(carol).get('/spaces/privileges').expect(200);
      expect(Object.keys(body)).toEqual(['member', 'manager', 'admin']);
      expect(body.member).toEqual(['space_read_data', 'space_view', 'space_view_transfers', 'space_write_data']);
      expect([body.member.length, body.manager.length, body.admin.length]).toEqual([4, 25, 39]);
      expect(body.manager).toEqual(
        expect.arrayContaining([...body.member, 'space_view_privileges', 'space_add_user', 'space_remove_user', 'space_add_group']),
      );
      expect(body.admin).toEqual(expect.arrayContaining([...body.manager, 'space_delete', 'space_remove_support', 'space_set_privileges']));
      expect(body.manager).not.toContain('space_set_privileges');
      // Each level alphabetically.
      for (const level of [body.member, body.manager, body.admin]) expect(level).toEqual([...level].sort());
      await as(p).get('/spaces/privileges').expect(200);
      await as().get('/spaces/privileges').expect(401);
    });
  });

  describe('lists and pagination', () => {
    let erin: Who & { userId: string };
    let erinSpaces: string[];

    beforeAll(async () => {
      erin = await f.user('Erin');
      erinSpaces = [];
      for (let i = 0; i < 7; i += 1) erinSpaces.push(await s.space(erin.token, `Erin ${i}`));
      erinSpaces.sort();
    });

    it('GET /user/spaces lists the spaces of the caller in id order', async () => {
      expect((await as(erin).get('/user/spaces').expect(200)).body).toEqual({ spaces: erinSpaces });
      expect((await as(carol).get('/user/spaces').expect(200)).body).toEqual({ spaces: [] });
      expect((await as(bob).get('/user/spaces').expect(200)).body).toEqual({ spaces: [spaceId] });
    });

    it('pages with limit and page_token, and says when more remain', async () => {
      const first = await as(erin).get('/user/spaces?limit=3').expect(200);
      expect(first.body.spaces).toEqual(erinSpaces.slice(0, 3));
      expect(first.body.nextPageToken).toEqual(expect.any(String));
      const second = await as(erin).get(`/user/spaces?limit=3&page_token=${first.body.nextPageToken}`).expect(200);
      expect(second.body.spaces).toEqual(erinSpaces.slice(3, 6));
      const third = await as(erin).get(`/user/spaces?limit=3&page_token=${second.body.nextPageToken}`).expect(200);
      expect(third.body).toEqual({ spaces: erinSpaces.slice(6) });
      // Exactly one page's worth: no token, as nothing remains.
      expect((await as(erin).get('/user/spaces?limit=7').expect(200)).body.nextPageToken).toBeUndefined();
    });

    it('returns every row once, with none skipped, while rows are added between pages', async () => {
      const seen: string[] = [];
      const mustAppear: string[] = []; // added ahead of the cursor while pages remained
      let token: string | undefined;
      do {
        const res = await as(erin)
          .get(`/user/spaces?limit=2${token ? `&page_token=${token}` : ''}`)
          .expect(200);
        seen.push(...res.body.spaces);
        token = res.body.nextPageToken;
        for (let i = 0; i < 2; i += 1) {
          const id = await s.space(erin.token, 'Added meanwhile');
          if (token && id > seen[seen.length - 1]) mustAppear.push(id);
        }
      } while (token);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual([...seen].sort());
      expect(seen).toEqual(expect.arrayContaining([...erinSpaces, ...mustAppear]));
      erinSpaces = (await as(erin).get('/user/spaces').expect(200)).body.spaces;
    });

    it.each([
      ['limit=0', 'limit must be an integer from 1 to 1000'],
      ['limit=1001', 'limit must be an integer from 1 to 1000'],
      ['limit=abc', 'limit must be an integer from 1 to 1000'],
      ['limit=2.5', 'limit must be an integer from 1 to 1000'],
      ['limit=1&limit=2', 'limit must be an integer from 1 to 1000'],
      ['page_token=xyz', 'page_token is not a token this API returned.'],
      ['page_token=', 'page_token must be the nextPageToken of a previous page'],
      ['offset=3', "unknown field 'offset'"],
    ])('refuses ?%s with 400 invalid_request', async (query, message) => {
      const res = await as(erin).get(`/user/spaces?${query}`).expect(400);
      expect(res.body).toEqual({ error: 'invalid_request', error_description: expect.stringContaining(message) });
    });

    it('GET /provider/spaces lists the supported spaces, paged; a user gets 403', async () => {
      const r = await f.provider();
      const ids = [spaceId, await s.space(erin.token), await s.space(erin.token)];
      for (const id of ids.slice(1)) await s.support(id, erin.token, r.token, 10);
      await s.support(spaceId, alice.token, r.token, 10);
      ids.sort();
      const first = await as(r).get('/provider/spaces?limit=2').expect(200);
      expect(first.body.spaces).toEqual(ids.slice(0, 2));
      const rest = await as(r).get(`/provider/spaces?page_token=${first.body.nextPageToken}`).expect(200);
      expect(rest.body).toEqual({ spaces: ids.slice(2) });
      await as(alice).get('/provider/spaces').expect(403);
      await as(r).get('/user/spaces').expect(403);
    });
  });

  it('answers reads with JSON under the prefix only', async () => {
    await t.http.get(`/spaces/${spaceId}`).set('Authorization', `Bearer ${alice.token}`).expect(404);
    const res = await t.http.get(`${PREFIX}/spaces/${spaceId}`).set('X-Auth-Token', alice.token).expect(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
  });
});
