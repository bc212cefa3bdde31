import { MARKETPLACE_EVENT_LISTENER, type MarketplaceEvent } from '../../src/spaces/marketplace-events.js';
import { disposeEnv, startApp, testEnv, type TestApp } from '../support/test-app.js';
import { Factories, SpaceFactories, api, idFrom } from '../support/factories.js';

type Who = { token: string };
type User = Who & { userId: string };

const error = (code: string) => ({ error: code, error_description: expect.any(String) });
const HEX32 = /^[0-9a-f]{32}$/;
const M4 = ['space_read_data', 'space_view', 'space_view_transfers', 'space_write_data'];
/** Fields that make a space advertisable. */
const D = {
  advertisedInMarketplace: true,
  description: 'd',
  organizationName: 'o',
  marketplaceContactEmail: 'ops@example.org',
};
const indexOf = (name: string, id: string) => `${name}\u0000${id}`;
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const random = () => 'f'.repeat(32);

/** The users and providers of the statements, on one app. */
async function people(t: TestApp) {
  const f = new Factories(t.http, t.env.ADMIN_TOKEN);
  const [o, m, k, g, w, u, v] = [
    await f.user('Owner O'),
    await f.user('Member M'),
    await f.user('Updater K'),
    await f.user('Marketer G'),
    await f.user('Granter W'),
    await f.user('User U'),
    await f.user('User V'),
  ];
  const [p, p2, q] = [
    await f.provider({ name: 'Provider P' }),
    await f.provider({ name: 'Provider P2' }),
    await f.provider({ name: 'Provider Q' }),
  ];
  return { f, o, m, k, g, w, u, v, p, p2, q, a: { token: t.env.ADMIN_TOKEN } };
}

/**
 * The Space Marketplace: the list of advertised spaces and their pages, the
 * requests to join them, how managers read and resolve them, and what the
 * space's lifecycle does to them.
 */
describe('the Space Marketplace', () => {
  describe('the list', () => {
    let t: TestApp;
    let x: Awaited<ReturnType<typeof people>>;
    const ids = {} as Record<'a' | 'b' | 'c' | 'aa', string>;

    beforeAll(async () => {
      t = await startApp(await testEnv());
      x = await people(t);
      const create = async (name: string, body: object) =>
        idFrom(
          (
            await api(t.http, x.o.token)
              .post('/user/spaces')
              .send({ name, ...body })
              .expect(201)
          ).headers.location,
        );
      // Names of two characters at least; b1, a1, c1 stand for the statements' b, a, c.
      ids.b = await create('b1', { ...D, tags: ['science'] });
      ids.a = await create('a1', { ...D, tags: ['demo'] });
      ids.c = await create('c1', { ...D, tags: ['demo', 'science'] });
      ids.aa = await create('a1a', { tags: ['demo'] });
    });

    afterAll(async () => {
      await t.close();
      await disposeEnv(t.env);
    });

    const list = (body: object | undefined, who: Who | undefined = x.u) => {
      const req = api(t.http, who?.token).post('/spaces/marketplace/list');
      return body === undefined ? req : req.send(body);
    };
    const names = { a: 'a1', b: 'b1', c: 'c1' } as const;
    const entry = (k: 'a' | 'b' | 'c') => ({ spaceId: ids[k], index: indexOf(names[k], ids[k]) });
    const listed = async (body: object) => (await list(body).expect(200)).body.spaces.map((s: { spaceId: string }) => s.spaceId);

    it('19. lists the advertised spaces by name, each {spaceId, index}, the whole list in one page', async () => {
      expect((await list({}).expect(200)).body).toEqual({
        spaces: [entry('a'), entry('b'), entry('c')],
        isLast: true,
        nextPageToken: null,
      });
      // No body at all, and null options, are the same as {}.
      expect((await list(undefined).expect(200)).body.spaces).toEqual([entry('a'), entry('b'), entry('c')]);
      expect(await listed({ limit: null, index: null, token: null, offset: null, tags: null })).toEqual([ids.a, ids.b, ids.c]);
    });

    it('20. pages by limit; nextPageToken is the unpadded base64url of the last index and starts after it', async () => {
      const first = (await list({ limit: 2 }).expect(200)).body;
      expect(first).toEqual({ spaces: [entry('a'), entry('b')], isLast: false, nextPageToken: b64(entry('b').index) });
      expect(first.nextPageToken).not.toContain('=');
      const second = (await list({ limit: 2, token: first.nextPageToken }).expect(200)).body;
      expect(second).toEqual({ spaces: [entry('c')], isLast: true, nextPageToken: null });
      // isLast says whether anything follows, even when the page is full.
      expect((await list({ limit: 3 }).expect(200)).body).toMatchObject({ isLast: true, nextPageToken: null });
    });

    it('21. index is an inclusive start, any string; offset moves it', async () => {
      expect(await listed({ index: 'b' })).toEqual([ids.b, ids.c]);
      expect(await listed({ index: 'b', offset: -1 })).toEqual([ids.a, ids.b, ids.c]);
      expect(await listed({ index: 'b', offset: 1 })).toEqual([ids.c]);
      expect(await listed({ index: 'bz' })).toEqual([ids.c]);
      expect(await listed({ index: 'b', offset: -100 })).toEqual([ids.a, ids.b, ids.c]);
      expect(await listed({ offset: 100 })).toEqual([]);
      expect((await list({ offset: 100 }).expect(200)).body).toMatchObject({ isLast: true, nextPageToken: null });
      // A whole index is inclusive; its token exclusive.
      expect(await listed({ index: entry('b').index })).toEqual([ids.b, ids.c]);
      expect(await listed({ token: b64(entry('b').index) })).toEqual([ids.c]);
      // Past the name, the ID decides; odd strings are only strings.
      expect(await listed({ index: `b1\u0000${'0'.repeat(32)}` })).toEqual([ids.b, ids.c]);
      expect(await listed({ index: `b1\u0000${'g'.repeat(32)}` })).toEqual([ids.c]);
      expect(await listed({ index: `b1\u0000${ids.b}\u0000x` })).toEqual([ids.c]);
      expect(await listed({ index: '\ud800' })).toEqual([]);
      expect(await listed({ index: '' })).toEqual([ids.a, ids.b, ids.c]);
      expect(await listed({ token: b64('b') })).toEqual([ids.b, ids.c]);
    });

    it('22. token with index, a limit out of range, an empty or malformed token, a non-integer offset, an unknown field: 400', async () => {
      const token = (await list({ limit: 1 }).expect(200)).body.nextPageToken;
      const bad = [
        { token, index: 'a' },
        { limit: 0 },
        { limit: 1001 },
        { limit: 1.5 },
        { limit: '2' },
        { token: '' },
        { token: 'not base64!' },
        { token: `${token}=` },
        { token: '_w' }, // 0xFF: not UTF-8
        { token: 'A' },
        { offset: 'a' },
        { offset: 0.5 },
        { index: 5 },
        { order: 'name' },
        { tags: 'demo' },
        { tags: [null] },
      ];
      for (const body of bad) {
        expect([body, (await list(body).expect(400)).body]).toEqual([body, error('invalid_request')]);
      }
      expect((await list({ offset: 'a' }).expect(400)).body.error_description).toContain('offset');
    });

    it('23. tags: spaces with at least one of them, each once; [] lists none; an unconfigured tag is 400', async () => {
      expect(await listed({ tags: ['demo', 'science'] })).toEqual([ids.a, ids.b, ids.c]);
      expect(await listed({ tags: ['demo'] })).toEqual([ids.a, ids.c]);
      expect(await listed({ tags: ['science'], limit: 1 })).toEqual([ids.b]);
      expect(await listed({ tags: [] })).toEqual([]);
      expect((await list({ tags: [] }).expect(200)).body).toEqual({ spaces: [], isLast: true, nextPageToken: null });
      expect((await list({ tags: ['troll'] }).expect(400)).body).toEqual(error('invalid_request'));
    });

    it('24. providers get 403, no credentials 401, the administrator 200', async () => {
      expect((await list({}, x.p).expect(403)).body).toEqual(error('forbidden'));
      expect((await api(t.http).post('/spaces/marketplace/list').send({}).expect(401)).body).toEqual(error('unauthorized'));
      expect((await list({}, x.a).expect(200)).body.spaces).toEqual([entry('a'), entry('b'), entry('c')]);
    });

    it('26. GET /spaces/marketplace/{id}: exactly the Marketplace data, with the providers and the total support', async () => {
      const s = new SpaceFactories(t.http);
      await s.support(ids.a, x.o.token, x.p.token, 10);
      await s.support(ids.a, x.o.token, x.p2.token, 20);
      const body = (await api(t.http, x.u.token).get(`/spaces/marketplace/${ids.a}`).expect(200)).body;
      const providers = [x.p, x.p2].sort((l, r) => (l.providerId < r.providerId ? -1 : 1));
      const names = { [x.p.providerId]: 'Provider P', [x.p2.providerId]: 'Provider P2' };
      expect(body).toEqual({
        spaceId: ids.a,
        name: 'a1',
        index: indexOf('a1', ids.a),
        description: 'd',
        organizationName: 'o',
        tags: ['demo'],
        providerNames: providers.map((p) => names[p.providerId]),
        totalSupportSize: 30,
        creationTime: expect.any(Number),
      });
      expect((await api(t.http, x.a.token).get(`/spaces/marketplace/${ids.a}`).expect(200)).body.spaceId).toBe(ids.a);
    });

    it('27. an unadvertised or unknown space is 404 to everyone, its owner too; a provider gets 403', async () => {
      for (const who of [x.o, x.u, x.a]) {
        expect((await api(t.http, who.token).get(`/spaces/marketplace/${ids.aa}`).expect(404)).body).toEqual(error('not_found'));
        expect((await api(t.http, who.token).get(`/spaces/marketplace/${random()}`).expect(404)).body).toEqual(error('not_found'));
      }
      expect((await api(t.http, x.p.token).get(`/spaces/marketplace/${ids.a}`).expect(403)).body).toEqual(error('forbidden'));
    });

    // Runs last: it changes the list.
    it('25. a rename re-indexes the space; un-advertising removes it at once', async () => {
      await api(t.http, x.o.token).patch(`/spaces/${ids.a}`).send({ name: 'z1' }).expect(204);
      expect((await list({}).expect(200)).body.spaces).toEqual([entry('b'), entry('c'), { spaceId: ids.a, index: indexOf('z1', ids.a) }]);
      await api(t.http, x.o.token).patch(`/spaces/${ids.b}`).send({ advertisedInMarketplace: false }).expect(204);
      expect(await listed({})).toEqual([ids.c, ids.a]);
      expect((await api(t.http, x.u.token).get(`/spaces/marketplace/${ids.b}`).expect(404)).body).toEqual(error('not_found'));
      // Bytewise order: upper case before lower case, and after the ASCII letters any accented one.
      const upper = idFrom(
        (
          await api(t.http, x.o.token)
            .post('/user/spaces')
            .send({ name: 'Zz', ...D })
            .expect(201)
        ).headers.location,
      );
      const accented = idFrom(
        (
          await api(t.http, x.o.token)
            .post('/user/spaces')
            .send({ name: 'Ää', ...D })
            .expect(201)
        ).headers.location,
      );
      expect(await listed({})).toEqual([upper, ids.c, ids.a, accented]);
      // A deleted space leaves the list.
      await api(t.http, x.o.token).delete(`/spaces/${upper}`).expect(204);
      expect(await listed({})).toEqual([ids.c, ids.a, accented]);
    });
  });

  describe('membership requests', () => {
    let t: TestApp;
    let x: Awaited<ReturnType<typeof people>>;
    let s: SpaceFactories;
    const events: MarketplaceEvent[] = [];
    let failListener = false;

    beforeAll(async () => {
      t = await startApp(await testEnv(), (b) =>
        b.overrideProvider(MARKETPLACE_EVENT_LISTENER).useValue(async (event: MarketplaceEvent) => {
          events.push(event);
          if (failListener) throw new Error('the host listener fails');
        }),
      );
      x = await people(t);
      s = new SpaceFactories(t.http);
    });

    afterAll(async () => {
      await t.close();
      await disposeEnv(t.env);
    });

    const as = (who?: Who) => api(t.http, who?.token);
    /** S: O's advertised space, with M (member level), K, G and W as in the fixtures, supported by P and P2. */
    async function meteo(): Promise<string> {
      const id = idFrom(
        (
          await as(x.o)
            .post('/user/spaces')
            .send({ name: 'Meteo', ...D })
            .expect(201)
        ).headers.location,
      );
      await s.join(id, x.o.token, x.m.token);
      await s.join(id, x.o.token, x.k.token, ['space_view', 'space_update']);
      await s.join(id, x.o.token, x.g.token, ['space_view', 'space_manage_in_marketplace']);
      await s.join(id, x.o.token, x.w.token, ['space_view', 'space_manage_in_marketplace', 'space_add_user']);
      return id;
    }
    const ask = (id: string, who: Who = x.u, body: object = { contactEmail: 'u@example.org', message: 'please' }) =>
      as(who).post(`/spaces/marketplace/${id}/request`).send(body);
    const request = async (id: string, who: Who = x.u, body?: object) => (await ask(id, who, body).expect(200)).body.requestId as string;
    const mine = async (who: Who = x.u) => (await as(who).get('/user/space_membership_requests').expect(200)).body;
    const resolve = (id: string, rid: string, body: object, who: Who = x.o) =>
      as(who).post(`/spaces/marketplace/${id}/request/${rid}/resolve`).send(body);
    const info = (id: string, rid: string, who: Who = x.o) => as(who).get(`/spaces/marketplace/${id}/request/${rid}/requester_info`);
    const isMember = async (id: string, who: User) => (await as(x.o).get(`/spaces/${id}/users/${who.userId}`)).status === 200;

    it('28. a user asks to join: 200 {requestId}; its pending requests show it', async () => {
      const id = await meteo();
      const res = await ask(id).expect(200);
      expect(Object.keys(res.body)).toEqual(['requestId']);
      expect(res.body.requestId).toMatch(HEX32);
      expect(await mine()).toEqual({
        pending: { [id]: { requestId: res.body.requestId, contactEmail: 'u@example.org', lastActivity: expect.any(Number) } },
        rejected: {},
      });
      expect(Math.abs((await mine()).pending[id].lastActivity - Date.now() / 1000)).toBeLessThan(60);
    });

    it('29. contactEmail is required and checked; the message takes up to 2000 characters', async () => {
      const id = await meteo();
      for (const body of [
        {},
        { message: 'please' },
        { contactEmail: 'x' },
        { contactEmail: null },
        { contactEmail: 'u@example.org', message: 'm'.repeat(2001) },
        { contactEmail: 'u@example.org', message: 5 },
        { contactEmail: 'u@example.org', extra: 1 },
      ]) {
        expect([body, (await ask(id, x.u, body).expect(400)).body]).toEqual([body, error('invalid_request')]);
      }
      expect((await mine()).pending[id]).toBeUndefined();
      await request(id, x.u, { contactEmail: 'u@example.org', message: '😀'.repeat(2000) });
      expect((await info(id, (await mine()).pending[id].requestId).expect(200)).body.message).toBe('😀'.repeat(2000));
      // The message is optional.
      await request(id, x.v, { contactEmail: 'v@example.org' });
    });

    it('30. members get 409; an unadvertised space 404; providers and the administrator 403', async () => {
      const id = await meteo();
      for (const who of [x.o, x.m]) expect((await ask(id, who).expect(409)).body).toEqual(error('already_exists'));
      const hidden = await s.space(x.o.token, 'Hidden');
      expect((await ask(hidden).expect(404)).body).toEqual(error('not_found'));
      expect((await ask(random()).expect(404)).body).toEqual(error('not_found'));
      // 404 comes before the body is read.
      expect((await ask(hidden, x.u, { color: 'red' }).expect(404)).body).toEqual(error('not_found'));
      for (const who of [x.p, x.a]) expect((await ask(id, who).expect(403)).body).toEqual(error('forbidden'));
      expect((await mine()).pending[hidden]).toBeUndefined();
    });

    it('31. repeating the request at once is 403, naming when, and changes nothing', async () => {
      const id = await meteo();
      const rid = await request(id);
      const before = await mine();
      const res = await ask(id, x.u, { contactEmail: 'other@example.org', message: 'again' }).expect(403);
      expect(res.body).toEqual(error('forbidden'));
      expect(res.body.error_description).toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/);
      expect(await mine()).toEqual(before);
      expect((await info(id, rid).expect(200)).body).toMatchObject({ contactEmail: 'u@example.org', message: 'please' });
    });

    it('32. requester_info: for managers of the Marketplace and the administrator; members 403, others 404', async () => {
      const id = await meteo();
      const rid = await request(id);
      const expected = {
        userId: x.u.userId,
        fullName: 'User U',
        username: null,
        contactEmail: 'u@example.org',
        message: 'please',
        lastActivity: expect.any(Number),
      };
      expect((await info(id, rid).expect(200)).body).toEqual(expected);
      expect((await info(id, rid, x.g).expect(200)).body).toEqual(expected);
      expect((await info(id, rid, x.a).expect(200)).body).toEqual(expected);
      expect((await info(id, rid, x.m).expect(403)).body).toEqual(error('forbidden'));
      expect((await info(id, rid, x.v).expect(404)).body).toEqual(error('not_found'));
      expect((await info(id, rid, x.p).expect(403)).body).toEqual(error('forbidden'));
      expect((await info(id, random()).expect(404)).body).toEqual(error('not_found'));
      // A request of another space is not one of this space.
      const other = await meteo();
      expect((await info(other, rid).expect(404)).body).toEqual(error('not_found'));
    });

    it('33. a grant makes the requester a member with the member level and ends the request', async () => {
      const id = await meteo();
      const rid = await request(id);
      await resolve(id, rid, { decision: 'grant' }).expect(204);
      expect((await as(x.o).get(`/spaces/${id}/users/${x.u.userId}/privileges`).expect(200)).body).toEqual({ privileges: M4 });
      expect((await mine()).pending[id]).toBeUndefined();
      expect((await mine()).rejected[id]).toBeUndefined();
      expect((await resolve(id, rid, { decision: 'grant' }).expect(404)).body).toEqual(error('not_found'));
      expect((await as(x.u).get('/user/spaces').expect(200)).body.spaces).toContain(id);
      // An owner stays the only owner.
      expect((await as(x.o).get(`/spaces/${id}/owners`).expect(200)).body).toEqual({ users: [x.o.userId] });
    });

    it('34. a rejection keeps the request among the rejected ones, with the reason', async () => {
      const id = await meteo();
      const rid = await request(id);
      await resolve(id, rid, { decision: 'reject', rejectionReason: 'no' }).expect(204);
      expect(await isMember(id, x.u)).toBe(false);
      const { pending, rejected } = await mine();
      expect(pending[id]).toBeUndefined();
      expect(rejected[id]).toEqual({
        requestId: rid,
        contactEmail: 'u@example.org',
        lastActivity: expect.any(Number),
        rejectionReason: 'no',
      });
      expect((await info(id, rid).expect(404)).body).toEqual(error('not_found'));
      // Without a reason, it is "".
      const other = await meteo();
      await resolve(other, await request(other), { decision: 'reject' }).expect(204);
      expect((await mine()).rejected[other].rejectionReason).toBe('');
    });

    it('35. after a rejection, asking again is 403 while the rejection backoff runs', async () => {
      const id = await meteo();
      await resolve(id, await request(id), { decision: 'reject' }).expect(204);
      const res = await ask(id).expect(403);
      expect(res.body.error_description).toMatch(/rejected.*\d{4}-\d\d-\d\dT/);
    });

    it('36. G rejects but cannot grant; W grants; K and the administrator can do neither', async () => {
      const id = await meteo();
      const r1 = await request(id, x.u);
      const r2 = await request(id, x.v);
      expect((await resolve(id, r1, { decision: 'grant' }, x.g).expect(403)).body).toEqual(error('forbidden'));
      await resolve(id, r1, { decision: 'reject' }, x.g).expect(204);
      for (const who of [x.k, x.a]) {
        for (const decision of ['grant', 'reject']) {
          expect((await resolve(id, r2, { decision }, who).expect(403)).body).toEqual(error('forbidden'));
        }
      }
      await resolve(id, r2, { decision: 'grant' }, x.w).expect(204);
      expect(await isMember(id, x.v)).toBe(true);
      // A provider, and an outsider (404: it cannot see the space).
      expect((await resolve(id, r2, { decision: 'reject' }, x.p).expect(403)).body).toEqual(error('forbidden'));
      expect((await resolve(id, r2, { decision: 'reject' }, x.u).expect(404)).body).toEqual(error('not_found'));
    });

    it('37. the decision and the reason are checked; a requestId in the body must be the one of the path', async () => {
      const id = await meteo();
      const rid = await request(id);
      for (const body of [
        { decision: 'maybe' },
        {},
        { decision: null },
        { decision: 'reject', rejectionReason: 'r'.repeat(2001) },
        { decision: 'grant', rejectionReason: 5 },
        { decision: 'reject', requestId: random() },
        { decision: 'reject', note: 'x' },
      ]) {
        expect([body, (await resolve(id, rid, body).expect(400)).body]).toEqual([body, error('invalid_request')]);
      }
      expect((await resolve(id, rid, { decision: 'maybe' }, x.m).expect(403)).body).toEqual(error('forbidden'));
      // Nothing was resolved.
      expect((await mine()).pending[id].requestId).toBe(rid);
      // The reason is checked with a grant too, and kept only with a rejection.
      await resolve(id, rid, { requestId: rid, decision: 'reject', rejectionReason: 'r'.repeat(2000) }).expect(204);
      expect((await mine()).rejected[id].rejectionReason).toBe('r'.repeat(2000));
    });

    it('38. un-advertising, joining by invite or deleting the space ends a pending request', async () => {
      // Un-advertised.
      const s1 = await meteo();
      const r1 = await request(s1);
      await as(x.o).patch(`/spaces/${s1}`).send({ advertisedInMarketplace: false }).expect(204);
      expect((await mine()).pending[s1]).toBeUndefined();
      expect((await resolve(s1, r1, { decision: 'grant' }).expect(404)).body).toEqual(error('not_found'));
      expect((await info(s1, r1).expect(404)).body).toEqual(error('not_found'));
      // Advertised again, the request does not come back.
      await as(x.o).patch(`/spaces/${s1}`).send({ advertisedInMarketplace: true }).expect(204);
      expect((await info(s1, r1).expect(404)).body).toEqual(error('not_found'));

      // Joined by invite.
      const s2 = await meteo();
      const r2 = await request(s2);
      await s.join(s2, x.o.token, x.u.token);
      expect((await mine()).pending[s2]).toBeUndefined();
      expect((await resolve(s2, r2, { decision: 'grant' }).expect(404)).body).toEqual(error('not_found'));
      expect((await info(s2, r2).expect(404)).body).toEqual(error('not_found'));

      // Joined through a group, or added by the administrator.
      const s3 = await meteo();
      const r3 = await request(s3);
      const group = idFrom((await as(x.u).post('/user/groups').send({ name: 'U group' }).expect(201)).headers.location);
      await as(x.a).put(`/spaces/${s3}/groups/${group}`).expect(201);
      expect((await info(s3, r3).expect(404)).body).toEqual(error('not_found'));
      const s4 = await meteo();
      const r4 = await request(s4, x.v);
      await as(x.a).put(`/spaces/${s4}/users/${x.v.userId}`).expect(201);
      expect((await info(s4, r4).expect(404)).body).toEqual(error('not_found'));

      // Deleted: the pending request and the rejected one go.
      const s5 = await meteo();
      const s6 = await meteo();
      const r5 = await request(s5);
      await resolve(s6, await request(s6), { decision: 'reject' }).expect(204);
      expect((await mine()).rejected[s6]).toBeDefined();
      await as(x.o).delete(`/spaces/${s5}`).expect(204);
      await as(x.o).delete(`/spaces/${s6}`).expect(204);
      const after = await mine();
      expect([after.pending[s5], after.rejected[s6]]).toEqual([undefined, undefined]);
      expect((await resolve(s5, r5, { decision: 'grant' }).expect(404)).body).toEqual(error('not_found'));
      expect(await t.prisma.spaceMembershipRequest.count({ where: { spaceId: { in: [s5, s6] } } })).toBe(0);
    });

    it('40. a user with 1000 pending requests gets 400 for another one, and may still remind', async () => {
      const y = await x.f.user('Busy Y');
      const spaces = Array.from({ length: 1000 }, (_, i) => ({
        id: `${'e'.repeat(24)}${String(i).padStart(8, '0')}`,
        name: `Bulk ${i}`,
        ...D,
      }));
      await t.prisma.space.createMany({ data: spaces });
      await t.prisma.spaceMembershipRequest.createMany({
        data: spaces.map((sp, i) => ({
          id: `${'d'.repeat(24)}${String(i).padStart(8, '0')}`,
          spaceId: sp.id,
          userId: y.userId,
          contactEmail: 'y@example.org',
        })),
      });
      const id = await meteo();
      const res = await ask(id, y).expect(400);
      expect(res.body).toEqual(error('invalid_request'));
      expect(res.body.error_description).toContain('1000');
      expect(Object.keys((await mine(y)).pending)).toHaveLength(1000);
      // A repetition of a pending request is not a new one (here still within the reminder backoff: 403).
      await t.prisma.spaceMembershipRequest.updateMany({
        where: { userId: y.userId },
        data: { lastActivity: new Date(Date.now() - 2 * 86_400_000) },
      });
      expect((await ask(spaces[0].id, y).expect(200)).body.requestId).toBe(`${'d'.repeat(24)}00000000`);
      await t.prisma.space.deleteMany({ where: { id: { in: spaces.map((sp) => sp.id) } } });
    });

    it('41. GET …/requests lists the pending requests for the managers of the Marketplace; members 403, others 404', async () => {
      const id = await meteo();
      const ru = await request(id, x.u);
      const rv = await request(id, x.v, { contactEmail: 'v@example.org' });
      const expected = [
        { requestId: ru, userId: x.u.userId, contactEmail: 'u@example.org', message: 'please', lastActivity: expect.any(Number) },
        { requestId: rv, userId: x.v.userId, contactEmail: 'v@example.org', message: '', lastActivity: expect.any(Number) },
      ].sort((l, r) => (l.requestId < r.requestId ? -1 : 1));
      expect((await as(x.o).get(`/spaces/marketplace/${id}/requests`).expect(200)).body).toEqual({ requests: expected });
      expect((await as(x.a).get(`/spaces/marketplace/${id}/requests`).expect(200)).body).toEqual({ requests: expected });
      const first = (await as(x.g).get(`/spaces/marketplace/${id}/requests?limit=1`).expect(200)).body;
      expect(first.requests).toEqual([expected[0]]);
      const second = (await as(x.g).get(`/spaces/marketplace/${id}/requests?limit=1&page_token=${first.nextPageToken}`).expect(200)).body;
      expect(second).toEqual({ requests: [expected[1]] });
      expect((await as(x.m).get(`/spaces/marketplace/${id}/requests`).expect(403)).body).toEqual(error('forbidden'));
      expect((await as(x.u).get(`/spaces/marketplace/${id}/requests`).expect(404)).body).toEqual(error('not_found'));
      expect((await as(x.o).get(`/spaces/marketplace/${random()}/requests`).expect(404)).body).toEqual(error('not_found'));
    });

    it('a user holding oz_spaces_view reads the requests of any space, and resolves none', async () => {
      const id = await meteo();
      const rid = await request(id);
      const viewer = await x.f.user('Viewer');
      await as(x.a)
        .patch(`/users/${viewer.userId}/privileges`)
        .send({ grant: ['oz_spaces_view'] })
        .expect(204);
      expect((await info(id, rid, viewer).expect(200)).body.userId).toBe(x.u.userId);
      expect((await as(viewer).get(`/spaces/marketplace/${id}/requests`).expect(200)).body.requests).toHaveLength(1);
      expect((await resolve(id, rid, { decision: 'reject' }, viewer).expect(404)).body).toEqual(error('not_found'));
      // A member holding it, without space_manage_in_marketplace, reads them too.
      await as(x.a)
        .patch(`/users/${x.m.userId}/privileges`)
        .send({ grant: ['oz_spaces_view'] })
        .expect(204);
      expect((await info(id, rid, x.m).expect(200)).body.userId).toBe(x.u.userId);
      expect((await resolve(id, rid, { decision: 'reject' }, x.m).expect(403)).body).toEqual(error('forbidden'));
      await as(x.a).delete(`/users/${x.m.userId}/privileges`).expect(204);
    });

    it('two managers resolving one request at once: one does it, the other gets 404', async () => {
      for (let round = 0; round < 5; round++) {
        const id = await meteo();
        const rid = await request(id);
        const decisions = round % 2 === 0 ? ['grant', 'grant'] : ['grant', 'reject'];
        const answers = await Promise.all([
          resolve(id, rid, { decision: decisions[0] }, x.o),
          resolve(id, rid, { decision: decisions[1] }, x.w),
        ]);
        expect(answers.map((r) => r.status).sort()).toEqual([204, 404]);
        const lost = answers.find((r) => r.status === 404)!;
        expect(lost.body).toEqual(error('not_found'));
        const won = decisions[answers.findIndex((r) => r.status === 204)];
        expect(await isMember(id, x.u)).toBe(won === 'grant');
        expect(await t.prisma.membership.count({ where: { spaceId: id, userId: x.u.userId } })).toBe(won === 'grant' ? 1 : 0);
      }
    });

    it('a grant racing the space deletion: the space goes, no membership is left behind, each gets a clear answer', async () => {
      for (let round = 0; round < 5; round++) {
        const id = await meteo();
        const rid = await request(id);
        const [granted, deleted] = await Promise.all([resolve(id, rid, { decision: 'grant' }), as(x.o).delete(`/spaces/${id}`)]);
        expect(deleted.status).toBe(204);
        expect([204, 404]).toContain(granted.status);
        if (granted.status === 404) expect(granted.body).toEqual(error('not_found'));
        expect(await t.prisma.space.count({ where: { id } })).toBe(0);
        expect(await t.prisma.membership.count({ where: { spaceId: id } })).toBe(0);
        expect(await t.prisma.spaceEffUser.count({ where: { spaceId: id } })).toBe(0);
        expect(await t.prisma.spaceMembershipRequest.count({ where: { spaceId: id } })).toBe(0);
        expect((await as(x.u).get('/user/spaces').expect(200)).body.spaces).not.toContain(id);
      }
    });

    it('a request racing the un-advertising: no pending request to an unadvertised space remains', async () => {
      for (let round = 0; round < 5; round++) {
        const id = await meteo();
        const [asked] = await Promise.all([ask(id), as(x.o).patch(`/spaces/${id}`).send({ advertisedInMarketplace: false }).expect(204)]);
        expect([200, 404]).toContain(asked.status);
        expect(await t.prisma.spaceMembershipRequest.count({ where: { spaceId: id } })).toBe(0);
      }
    });

    it('the host hears of requests, reminders, resolutions and cancellations after commit; its failures fail nothing', async () => {
      const id = await meteo();
      events.length = 0;
      const r1 = await request(id, x.u);
      await request(id, x.v, { contactEmail: 'v@example.org', message: 'hi' });
      await resolve(id, r1, { decision: 'reject', rejectionReason: 'no' }).expect(204);
      failListener = true;
      await as(x.o).patch(`/spaces/${id}`).send({ advertisedInMarketplace: false }).expect(204);
      failListener = false;
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(events.map((e) => e.type)).toEqual([
        'membership_requested',
        'membership_requested',
        'membership_request_resolved',
        'membership_request_cancelled',
      ]);
      expect(events[0]).toEqual({
        type: 'membership_requested',
        spaceId: id,
        requestId: r1,
        userId: x.u.userId,
        reminder: false,
        spaceContactEmail: 'ops@example.org',
        requesterContactEmail: 'u@example.org',
        message: 'please',
      });
      expect(events[2]).toMatchObject({ decision: 'reject', rejectionReason: 'no', requestId: r1 });
      expect(events[3]).toMatchObject({ userId: x.v.userId, reason: 'space_unadvertised' });
      // A refused request tells nothing.
      events.length = 0;
      await ask(id).expect(404);
      expect(events).toEqual([]);
    });
  });

  describe('with both backoffs 0', () => {
    let t: TestApp;
    let x: Awaited<ReturnType<typeof people>>;

    beforeAll(async () => {
      t = await startApp(await testEnv({ MARKETPLACE_REMINDER_BACKOFF_SECONDS: '0', MARKETPLACE_REJECTION_BACKOFF_SECONDS: '0' }));
      x = await people(t);
    });

    afterAll(async () => {
      await t.close();
      await disposeEnv(t.env);
    });

    const as = (who?: Who) => api(t.http, who?.token);
    const advertised = async () =>
      idFrom(
        (
          await as(x.o)
            .post('/user/spaces')
            .send({ name: 'Meteo', ...D })
            .expect(201)
        ).headers.location,
      );
    const ask = (id: string, body: object) => as(x.u).post(`/spaces/marketplace/${id}/request`).send(body);

    it('31. a repetition is a reminder: the same requestId, with the new contact email and message', async () => {
      const id = await advertised();
      const rid = (await ask(id, { contactEmail: 'u@example.org', message: 'please' }).expect(200)).body.requestId;
      const again = (await ask(id, { contactEmail: 'new@example.org', message: 'again' }).expect(200)).body.requestId;
      expect(again).toBe(rid);
      const info = (await as(x.o).get(`/spaces/marketplace/${id}/request/${rid}/requester_info`).expect(200)).body;
      expect(info).toMatchObject({ contactEmail: 'new@example.org', message: 'again' });
      expect((await as(x.u).get('/user/space_membership_requests').expect(200)).body.pending[id]).toMatchObject({
        requestId: rid,
        contactEmail: 'new@example.org',
      });
    });

    it('35. after a rejection, a new request gets a new requestId, and the rejection is no longer listed', async () => {
      const id = await advertised();
      const rid = (await ask(id, { contactEmail: 'u@example.org' }).expect(200)).body.requestId;
      await as(x.o).post(`/spaces/marketplace/${id}/request/${rid}/resolve`).send({ decision: 'reject' }).expect(204);
      const again = (await ask(id, { contactEmail: 'u@example.org' }).expect(200)).body.requestId;
      expect(again).toMatch(HEX32);
      expect(again).not.toBe(rid);
      const mine = (await as(x.u).get('/user/space_membership_requests').expect(200)).body;
      expect(mine.rejected[id]).toBeUndefined();
      expect(mine.pending[id].requestId).toBe(again);
    });
  });

  describe('with SPACE_MARKETPLACE_ENABLED=false', () => {
    let t: TestApp;
    let x: Awaited<ReturnType<typeof people>>;

    beforeAll(async () => {
      t = await startApp(await testEnv({ SPACE_MARKETPLACE_ENABLED: 'false' }));
      x = await people(t);
    });

    afterAll(async () => {
      await t.close();
      await disposeEnv(t.env);
    });

    it('39. every Marketplace route is 400 invalid_request; advertising still works; unauthenticated is 401', async () => {
      const as = (who?: Who) => api(t.http, who?.token);
      const id = await new SpaceFactories(t.http).space(x.o.token, 'Meteo');
      await as(x.o).patch(`/spaces/${id}`).send(D).expect(204);
      expect((await as(x.o).get(`/spaces/${id}`).expect(200)).body).toMatchObject(D);
      const rid = random();
      const calls = [
        (w?: Who) => as(w).post('/spaces/marketplace/list').send({}),
        (w?: Who) => as(w).get(`/spaces/marketplace/${id}`),
        (w?: Who) => as(w).post(`/spaces/marketplace/${id}/request`).send({ contactEmail: 'u@example.org' }),
        (w?: Who) => as(w).get(`/spaces/marketplace/${id}/request/${rid}/requester_info`),
        (w?: Who) => as(w).post(`/spaces/marketplace/${id}/request/${rid}/resolve`).send({ decision: 'grant' }),
        (w?: Who) => as(w).get(`/spaces/marketplace/${id}/requests`),
        (w?: Who) => as(w).get('/user/space_membership_requests'),
      ];
      for (const call of calls) {
        const res = await call(x.u);
        expect([res.status, res.body]).toEqual([
          400,
          { error: 'invalid_request', error_description: 'The space marketplace is disabled.' },
        ]);
        expect((await call(x.o)).status).toBe(400);
        expect((await call(undefined)).status).toBe(401);
      }
      expect((await t.http.get('/api/v3/onezone/configuration').expect(200)).body.spaceMarketplaceEnabled).toBe(false);
    });
  });
});
