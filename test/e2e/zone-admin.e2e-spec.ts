import { SpacePrivileges } from '../../src/access/privileges.js';
import { disposeEnv, startApp, testEnv, type TestApp } from '../support/test-app.js';
import { Factories, SpaceFactories, api, idFrom } from '../support/factories.js';

type Who = { token: string };
type User = Who & { userId: string };

const error = (code: string) => ({ error: code, error_description: expect.any(String) });
const ALL39 = [...SpacePrivileges.all];
const M4 = ['space_read_data', 'space_view', 'space_view_transfers', 'space_write_data'];
/** The privileges this service stores and reports but gives no meaning of its own. */
const MEANINGFUL = [
  'space_add_support',
  'space_add_user',
  'space_delete',
  'space_manage_in_marketplace',
  'space_remove_support',
  'space_remove_user',
  'space_set_privileges',
  'space_update',
  'space_view',
  'space_view_privileges',
];
const STORED_ONLY = ALL39.filter((p) => !MEANINGFUL.includes(p));

/** The administrator over spaces, and the privilege catalogue as callers see it. */
describe('zone administration and privileges', () => {
  let t: TestApp;
  let f: Factories;
  let s: SpaceFactories;
  let o: User, m: User, u: User;
  let p: Who & { providerId: string };
  let a: Who;

  beforeAll(async () => {
    t = await startApp(await testEnv());
    f = new Factories(t.http, t.env.ADMIN_TOKEN);
    s = new SpaceFactories(t.http);
    [o, m, u] = [await f.user('Owner O'), await f.user('Member M'), await f.user('User U')];
    p = await f.provider({ name: 'Provider P' });
    a = { token: t.env.ADMIN_TOKEN };
  });

  afterAll(async () => {
    await t.close();
    await disposeEnv(t.env);
  });

  const as = (who?: Who) => api(t.http, who?.token);
  /** S of O's, M a member with the member level, supported by P. */
  async function space(): Promise<string> {
    const spaceId = await s.space(o.token, 'Meteo');
    await s.join(spaceId, o.token, m.token);
    await s.support(spaceId, o.token, p.token, 10);
    return spaceId;
  }
  /** Z: the administrator's space without members. */
  async function zone(): Promise<string> {
    const res = await as(a).post('/spaces').send({ name: 'Zone' }).expect(201);
    return idFrom(res.headers.location);
  }

  describe('zone administration', () => {
    it('49. GET /spaces lists every space in ID order, paged, for the administrator; others get 403', async () => {
      const made = [await space(), await zone(), await s.space(u.token, 'Other')];
      const all = (await as(a).get('/spaces').expect(200)).body.spaces as string[];
      expect(all).toEqual([...all].sort());
      expect(all).toEqual(expect.arrayContaining(made));
      const seen: string[] = [];
      let pageToken: string | undefined;
      do {
        const res = await as(a)
          .get(`/spaces?limit=2${pageToken ? `&page_token=${pageToken}` : ''}`)
          .expect(200);
        expect(res.body.spaces.length).toBeLessThanOrEqual(2);
        seen.push(...res.body.spaces);
        pageToken = res.body.nextPageToken;
      } while (pageToken);
      expect(seen).toEqual(all);
      for (const who of [o, p]) expect((await as(who).get('/spaces').expect(403)).body).toEqual(error('forbidden'));
      await as().get('/spaces').expect(401);
      await as(a).get('/spaces?limit=0').expect(400);
    });

    it('50. the administrator creates a space without members, creator nobody; token or size is 400', async () => {
      const res = await as(a)
        .post('/spaces')
        .send({ name: 'Zone', description: 'Made by the zone', tags: ['demo'] })
        .expect(201);
      expect(res.headers.location).toMatch(/^\/api\/v3\/onezone\/spaces\/[0-9a-f]{32}$/);
      const z = idFrom(res.headers.location);
      expect((await as(a).get(`/spaces/${z}`).expect(200)).body).toMatchObject({
        spaceId: z,
        name: 'Zone',
        description: 'Made by the zone',
        tags: ['demo'],
        creator: { type: 'nobody', id: null },
        providers: {},
      });
      await as(a).get(`/spaces/${z}/users`).expect(200, { users: [] });
      await as(a).get(`/spaces/${z}/owners`).expect(200, { users: [] });
      for (const extra of [{ token: 'x' }, { size: 1 }, { token: 'x', size: 1 }]) {
        expect(
          (
            await as(a)
              .post('/spaces')
              .send({ name: 'Zone', ...extra })
              .expect(400)
          ).body,
        ).toEqual(error('invalid_request'));
      }
      await as(a).post('/spaces').send({ name: 'Zone', advertisedInMarketplace: true }).expect(400);
    });

    it('51. PUT /spaces/Z/users/O by the administrator: 201, the member level, owner as the first; again 409', async () => {
      const z = await zone();
      const res = await as(a).put(`/spaces/${z}/users/${o.userId}`).expect(201);
      expect(res.headers.location).toBe(`/api/v3/onezone/spaces/${z}/users/${o.userId}`);
      await as(a).get(`/spaces/${z}/users/${o.userId}/privileges`).expect(200, { privileges: M4 });
      await as(a)
        .get(`/spaces/${z}/owners`)
        .expect(200, { users: [o.userId] });
      expect((await as(a).put(`/spaces/${z}/users/${o.userId}`).expect(409)).body).toEqual(error('already_exists'));
      expect(
        (
          await as(a)
            .put(`/spaces/${z}/users/${'f'.repeat(32)}`)
            .expect(404)
        ).body,
      ).toEqual(error('not_found'));
      const s1 = await space();
      expect((await as(o).put(`/spaces/${s1}/users/${u.userId}`).expect(403)).body).toEqual(error('forbidden'));
      // With privileges given, the administrator chooses them.
      await as(a)
        .put(`/spaces/${z}/users/${u.userId}`)
        .send({ privileges: ['space_view', 'space_update'] })
        .expect(201);
      await as(a)
        .get(`/spaces/${z}/users/${u.userId}/privileges`)
        .expect(200, { privileges: ['space_update', 'space_view'] });
    });

    it('52. owners, fields, privileges and deletion of any space by the administrator', async () => {
      const z = await zone();
      const n = await f.user('Second N');
      await as(a).put(`/spaces/${z}/users/${o.userId}`).expect(201);
      expect((await as(a).put(`/spaces/${z}/owners/${o.userId}`).expect(409)).body).toEqual(error('already_exists'));
      await as(a).put(`/spaces/${z}/users/${n.userId}`).expect(201);
      await as(a).put(`/spaces/${z}/owners/${n.userId}`).expect(204);
      expect((await as(a).get(`/spaces/${z}/owners`).expect(200)).body.users.sort()).toEqual([o.userId, n.userId].sort());
      await as(a).delete(`/spaces/${z}/owners/${n.userId}`).expect(204);
      // The last-owner rule still holds for the administrator.
      expect((await as(a).delete(`/spaces/${z}/owners/${o.userId}`).expect(400)).body).toEqual(error('invalid_request'));

      const s1 = await space();
      const d = { advertisedInMarketplace: true, description: 'd', organizationName: 'o', marketplaceContactEmail: 'ops@example.org' };
      await as(a).patch(`/spaces/${s1}`).send(d).expect(204);
      expect((await as(o).get(`/spaces/${s1}`).expect(200)).body).toMatchObject(d);
      await as(a)
        .patch(`/spaces/${s1}/users/${m.userId}/privileges`)
        .send({ grant: ['space_manage_qos'] })
        .expect(204);
      expect((await as(a).get(`/spaces/${s1}/users/${m.userId}/privileges`).expect(200)).body.privileges).toContain('space_manage_qos');
      await as(a)
        .get(`/spaces/${s1}/providers`)
        .expect(200, { providers: [p.providerId] });
      await as(a).get(`/spaces/${s1}/users/${m.userId}`).expect(200, { userId: m.userId, name: 'Member M' });
      // The administrator removes an owner too (the last one stays while others remain).
      expect((await as(a).delete(`/spaces/${s1}/users/${o.userId}`).expect(400)).body).toEqual(error('invalid_request'));
      await as(a).delete(`/spaces/${s1}/users/${m.userId}`).expect(204);
      await as(a).delete(`/spaces/${s1}/providers/${p.providerId}`).expect(204);
      await as(a).delete(`/spaces/${s1}`).expect(204);
      expect((await as(a).get(`/spaces/${s1}`).expect(404)).body).toEqual(error('not_found'));
      await as(o).get(`/spaces/${s1}`).expect(404);
      // Any unknown space is 404 to the administrator.
      await as(a)
        .patch(`/spaces/${'f'.repeat(32)}`)
        .send({ name: 'Gone' })
        .expect(404);
      await as(a)
        .delete(`/spaces/${'f'.repeat(32)}`)
        .expect(404);
    });

    it('the administrator is not a member: it cannot leave, join or mint invites', async () => {
      const s1 = await space();
      await as(a).get('/user/spaces').expect(403);
      await as(a).post(`/spaces/${s1}/users/token`).send({}).expect(403);
      await as(a).delete(`/user/spaces/${s1}`).expect(403);
    });
  });

  describe('admin users (zone privileges)', () => {
    it('53. GET /privileges: the 15 zone privileges and the 4 of a viewer, alphabetically', async () => {
      const res = await as(u).get('/privileges').expect(200);
      expect(res.body.viewer).toEqual(['oz_spaces_list', 'oz_spaces_list_relationships', 'oz_spaces_view', 'oz_users_view']);
      expect(res.body.admin).toHaveLength(15);
      expect(res.body.admin).toEqual([...res.body.admin].sort());
      expect(res.body.admin).toEqual(
        expect.arrayContaining(['oz_set_privileges', 'oz_view_privileges', 'oz_spaces_update', 'oz_users_remove_relationships']),
      );
      await as(a).get('/privileges').expect(200, res.body);
      await as(p).get('/privileges').expect(200, res.body);
    });

    it('54. a user granted oz_spaces_view sees any space with its contact email, and changes nothing', async () => {
      const viewer = await f.user('Zone viewer');
      const s1 = await space();
      const d = { advertisedInMarketplace: true, description: 'd', organizationName: 'o', marketplaceContactEmail: 'ops@example.org' };
      await as(o).patch(`/spaces/${s1}`).send(d).expect(204);
      await as(viewer).get(`/spaces/${s1}`).expect(404);
      await as(a)
        .patch(`/users/${viewer.userId}/privileges`)
        .send({ grant: ['oz_spaces_view'] })
        .expect(204);
      expect((await as(viewer).get(`/spaces/${s1}`).expect(200)).body).toMatchObject({
        spaceId: s1,
        marketplaceContactEmail: 'ops@example.org',
      });
      expect((await as(viewer).patch(`/spaces/${s1}`).send({ name: 'Taken' }).expect(403)).body).toEqual(error('forbidden'));
      await as(viewer).get('/spaces').expect(403);
      await as(viewer)
        .get(`/spaces/${s1}/owners`)
        .expect(200, { users: [o.userId] });
      await as(viewer)
        .get(`/spaces/${'f'.repeat(32)}`)
        .expect(404);
      await as(viewer)
        .get('/user/privileges')
        .expect(200, { privileges: ['oz_spaces_view'] });
      await as(a)
        .get(`/users/${viewer.userId}/privileges`)
        .expect(200, { privileges: ['oz_spaces_view'] });
      // More privileges open more: listing, changing; removing them all closes everything again.
      await as(a)
        .patch(`/users/${viewer.userId}/privileges`)
        .send({ grant: ['oz_spaces_list', 'oz_spaces_update'] })
        .expect(204);
      expect((await as(viewer).get('/spaces').expect(200)).body.spaces).toContain(s1);
      await as(viewer).patch(`/spaces/${s1}`).send({ marketplaceContactEmail: 'zone@example.org' }).expect(204);
      await as(a).delete(`/users/${viewer.userId}/privileges`).expect(204);
      await as(viewer).get('/user/privileges').expect(200, { privileges: [] });
      await as(viewer).get(`/spaces/${s1}`).expect(404);
    });

    it('55. unknown zone privileges are 400; setting them needs oz_set_privileges (403)', async () => {
      const [granter, v] = [await f.user('Granter'), await f.user('Target V')];
      expect(
        (
          await as(a)
            .patch(`/users/${v.userId}/privileges`)
            .send({ grant: ['oz_groups_create'] })
            .expect(400)
        ).body,
      ).toEqual(error('invalid_request'));
      await as(a).patch(`/users/${v.userId}/privileges`).send({}).expect(400);
      await as(a)
        .patch(`/users/${'f'.repeat(32)}/privileges`)
        .send({ grant: ['oz_spaces_view'] })
        .expect(404);
      expect(
        (
          await as(granter)
            .patch(`/users/${v.userId}/privileges`)
            .send({ grant: ['oz_spaces_view'] })
            .expect(403)
        ).body,
      ).toEqual(error('forbidden'));
      // Authorisation first: a bad body from someone who may not set privileges is 403 too.
      await as(granter)
        .patch(`/users/${v.userId}/privileges`)
        .send({ grant: ['oz_groups_create'] })
        .expect(403);
      await as(granter).get(`/users/${v.userId}/privileges`).expect(403);
      await as(a)
        .patch(`/users/${granter.userId}/privileges`)
        .send({ grant: ['oz_set_privileges'] })
        .expect(204);
      await as(granter)
        .patch(`/users/${v.userId}/privileges`)
        .send({ grant: ['oz_spaces_view'] })
        .expect(204);
      await as(a)
        .get(`/users/${v.userId}/privileges`)
        .expect(200, { privileges: ['oz_spaces_view'] });
      await as(p)
        .patch(`/users/${v.userId}/privileges`)
        .send({ grant: ['oz_spaces_view'] })
        .expect(403);
    });

    it('a user with the zone privileges to add users adds anyone; choosing their privileges needs oz_spaces_set_privileges', async () => {
      const [manager, newcomer] = [await f.user('Zone manager'), await f.user('Newcomer')];
      const s1 = await space();
      await as(a)
        .patch(`/users/${manager.userId}/privileges`)
        .send({ grant: ['oz_spaces_add_relationships', 'oz_users_add_relationships'] })
        .expect(204);
      await as(manager)
        .put(`/spaces/${s1}/users/${newcomer.userId}`)
        .send({ privileges: ['space_update'] })
        .expect(403);
      await as(manager).put(`/spaces/${s1}/users/${newcomer.userId}`).expect(201);
      await as(o).get(`/spaces/${s1}/users/${newcomer.userId}/privileges`).expect(200, { privileges: M4 });
      // Without oz_spaces_view, a space it cannot act on stays hidden.
      await as(manager).delete(`/spaces/${s1}`).expect(404);
    });
  });

  describe('reading privileges by zone privilege', () => {
    it("a member holding oz_spaces_view_privileges, not space_view_privileges, reads another member's privileges", async () => {
      const s1 = await space();
      const reader = await f.user('Privilege reader');
      await s.join(s1, o.token, reader.token);
      // The member level holds no space_view_privileges: its own privileges only.
      await as(reader).get(`/spaces/${s1}/users/${reader.userId}/privileges`).expect(200, { privileges: M4 });
      expect((await as(reader).get(`/spaces/${s1}/users/${m.userId}/privileges`).expect(403)).body).toEqual(error('forbidden'));
      expect((await as(reader).get(`/spaces/${s1}/effective_users/${m.userId}/privileges`).expect(403)).body).toEqual(error('forbidden'));
      await as(a)
        .patch(`/users/${reader.userId}/privileges`)
        .send({ grant: ['oz_spaces_view_privileges'] })
        .expect(204);
      await as(reader).get(`/spaces/${s1}/users/${m.userId}/privileges`).expect(200, { privileges: M4 });
      await as(reader).get(`/spaces/${s1}/effective_users/${o.userId}/privileges`).expect(200, { privileges: ALL39 });
      // It still changes nothing.
      await as(reader)
        .patch(`/spaces/${s1}/users/${m.userId}/privileges`)
        .send({ grant: ['space_update'] })
        .expect(403);
    });
  });

  describe('the privilege catalogue', () => {
    it('56. GET /spaces/privileges: member 4, manager 25, admin 39, alphabetical, for every caller type', async () => {
      for (const who of [o, p, a]) {
        const levels = (await as(who).get('/spaces/privileges').expect(200)).body;
        expect(levels.member).toEqual(M4);
        expect([levels.member.length, levels.manager.length, levels.admin.length]).toEqual([4, 25, 39]);
        for (const list of Object.values<string[]>(levels)) expect(list).toEqual([...list].sort());
      }
    });

    it('57. space_manage_in_marketplace can be granted and is reported; an unknown privilege is 400', async () => {
      const s1 = await space();
      await as(o)
        .patch(`/spaces/${s1}/users/${m.userId}/privileges`)
        .send({ grant: ['space_manage_in_marketplace'] })
        .expect(204);
      expect((await as(o).get(`/spaces/${s1}/users/${m.userId}/privileges`).expect(200)).body.privileges).toEqual([
        'space_manage_in_marketplace',
        ...M4,
      ]);
      await as(o)
        .patch(`/spaces/${s1}/users/${m.userId}/privileges`)
        .send({ grant: ['space_fly'] })
        .expect(400);
    });

    it('58. the owner holds all 39; reducing its stored privileges leaves its effective ones whole', async () => {
      const s1 = await space();
      await as(o).get(`/spaces/${s1}/users/${o.userId}/privileges`).expect(200, { privileges: ALL39 });
      await as(o).get(`/spaces/${s1}/effective_users/${o.userId}/privileges`).expect(200, { privileges: ALL39 });
      await as(o)
        .patch(`/spaces/${s1}/users/${o.userId}/privileges`)
        .send({ revoke: ['space_update'] })
        .expect(204);
      await as(o).get(`/spaces/${s1}/effective_users/${o.userId}/privileges`).expect(200, { privileges: ALL39 });
      await as(o).patch(`/spaces/${s1}`).send({ name: 'Still owned' }).expect(204);
    });

    it('59. invites give the member level by default; member-level privileges need no space_set_privileges', async () => {
      const s1 = await space();
      await as(o).get(`/spaces/${s1}/users/${m.userId}/privileges`).expect(200, { privileges: M4 });
      const inviter = await f.user('Inviter');
      await s.join(s1, o.token, inviter.token, ['space_add_user']);
      await as(inviter)
        .post(`/spaces/${s1}/users/token`)
        .send({ privileges: ['space_view_transfers'] })
        .expect(200);
      expect(
        (
          await as(inviter)
            .post(`/spaces/${s1}/users/token`)
            .send({ privileges: ['space_view_qos'] })
            .expect(403)
        ).body,
      ).toEqual(error('forbidden'));
    });

    it('60. every stored-only privilege without space_view opens neither GET, PATCH nor DELETE', async () => {
      expect(STORED_ONLY).toHaveLength(29);
      const s1 = await space();
      const holder = await f.user('Holder');
      await s.join(s1, o.token, holder.token, STORED_ONLY);
      await as(holder).get(`/spaces/${s1}`).expect(403);
      await as(holder).patch(`/spaces/${s1}`).send({ name: 'Nope' }).expect(403);
      await as(holder).delete(`/spaces/${s1}`).expect(403);
    });
  });
});
