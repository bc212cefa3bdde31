import { disposeEnv, startApp, testEnv, type TestApp } from '../support/test-app.js';
import { Factories, SpaceFactories, api } from '../support/factories.js';
import { SpacePrivileges } from '../../src/access/privileges.js';

type User = { userId: string; token: string };

// Answers list privileges alphabetically.
const ALL = [...SpacePrivileges.all];
const MEMBER = [...SpacePrivileges.member];
const MANAGER = [...SpacePrivileges.manager];

/** /spaces/{id}/users…, privileges and owners. */
describe('space members', () => {
  let t: TestApp;
  let f: Factories;
  let s: SpaceFactories;
  let owner: User;
  let manager: User;
  let member: User;
  let outsider: User;
  let spaceId: string;

  beforeAll(async () => {
    t = await startApp(await testEnv());
    f = new Factories(t.http, t.env.ADMIN_TOKEN);
    s = new SpaceFactories(t.http);
    [owner, manager, member, outsider] = [await f.user('Owner'), await f.user('Manager'), await f.user('Member'), await f.user('Outsider')];
    spaceId = await s.space(owner.token, 'Team');
    await s.join(spaceId, owner.token, manager.token, MANAGER);
    await s.join(spaceId, owner.token, member.token);
  });

  afterAll(async () => {
    await t.close();
    await disposeEnv(t.env);
  });

  const as = (who?: { token: string }) => api(t.http, who?.token);
  const stored = async (sid: string, userId: string) =>
    t.prisma.membership.findUnique({ where: { spaceId_userId: { spaceId: sid, userId } } });
  /** A direct member's stored privileges by name (alphabetical), undefined for a non-member. */
  const storedNames = async (sid: string, userId: string) => {
    const row = await stored(sid, userId);
    return row ? SpacePrivileges.names(row.privileges) : undefined;
  };

  /** A fresh space: owner + the given members with their privileges. */
  async function team(...rest: [User, string[]?][]): Promise<string> {
    const id = await s.space(owner.token, 'Fresh');
    for (const [user, privileges] of rest) await s.join(id, owner.token, user.token, privileges);
    return id;
  }

  describe('GET /spaces/{id}/users and /users/{uid}', () => {
    it('lists member ids in id order for members with space_view and supporting providers', async () => {
      const expected = [owner.userId, manager.userId, member.userId].sort();
      expect((await as(member).get(`/spaces/${spaceId}/users`).expect(200)).body).toEqual({ users: expected });
      const provider = await f.provider();
      await s.support(spaceId, owner.token, provider.token, 1);
      expect((await as(provider).get(`/spaces/${spaceId}/users`).expect(200)).body.users).toEqual(expected);
      const page = await as(member).get(`/spaces/${spaceId}/users?limit=2`).expect(200);
      expect(page.body.users).toEqual(expected.slice(0, 2));
      const rest = await as(member).get(`/spaces/${spaceId}/users?page_token=${page.body.nextPageToken}`).expect(200);
      expect(rest.body).toEqual({ users: expected.slice(2) });
    });

    it('is 404 for an outsider, 403 without space_view, 400 for a bad limit', async () => {
      await as(outsider).get(`/spaces/${spaceId}/users`).expect(404);
      const blind = await f.user();
      const id = await team([blind, []]);
      await as(blind).get(`/spaces/${id}/users`).expect(403);
      await as(member).get(`/spaces/${spaceId}/users?limit=-1`).expect(400);
    });

    it("gives a member's id and name; 404 for a user who is not a member", async () => {
      expect((await as(member).get(`/spaces/${spaceId}/users/${manager.userId}`).expect(200)).body).toEqual({
        userId: manager.userId,
        name: 'Manager',
      });
      const res = await as(member).get(`/spaces/${spaceId}/users/${outsider.userId}`).expect(404);
      expect(res.body.error).toBe('not_found');
      await as(outsider).get(`/spaces/${spaceId}/users/${member.userId}`).expect(404);
    });
  });

  describe('GET /spaces/{id}/users/{uid}/privileges', () => {
    it('gives the stored direct privileges, alphabetically: the creator has all 39, a member the member level', async () => {
      expect((await as(manager).get(`/spaces/${spaceId}/users/${owner.userId}/privileges`).expect(200)).body).toEqual({
        privileges: ALL,
      });
      expect(ALL).toHaveLength(39);
      expect(ALL).toEqual([...ALL].sort());
      expect((await as(manager).get(`/spaces/${spaceId}/users/${member.userId}/privileges`).expect(200)).body).toEqual({
        privileges: ['space_read_data', 'space_view', 'space_view_transfers', 'space_write_data'],
      });
      expect((await as(manager).get(`/spaces/${spaceId}/users/${manager.userId}/privileges`).expect(200)).body).toEqual({
        privileges: MANAGER,
      });
    });

    it("does not expand an owner's stored privileges", async () => {
      const u = await f.user();
      const id = await team([u]);
      await as(owner).put(`/spaces/${id}/owners/${u.userId}`).expect(204);
      await as(owner).get(`/spaces/${id}/users/${u.userId}/privileges`).expect(200, { privileges: MEMBER });
      await as(u).get(`/spaces/${id}/users/${u.userId}/privileges`).expect(200, { privileges: MEMBER });
    });

    it("lets any member read their own, and needs space_view_privileges for another's (403)", async () => {
      await as(member).get(`/spaces/${spaceId}/users/${member.userId}/privileges`).expect(200, { privileges: MEMBER });
      const res = await as(member).get(`/spaces/${spaceId}/users/${manager.userId}/privileges`).expect(403);
      expect(res.body.error_description).toContain('space_view_privileges');
    });

    it('is 404 for a non-member target or an outsider, 403 for a provider', async () => {
      await as(manager).get(`/spaces/${spaceId}/users/${outsider.userId}/privileges`).expect(404);
      await as(outsider).get(`/spaces/${spaceId}/users/${outsider.userId}/privileges`).expect(404);
      await as(await f.provider())
        .get(`/spaces/${spaceId}/users/${member.userId}/privileges`)
        .expect(403);
    });
  });

  describe('PATCH /spaces/{id}/users/{uid}/privileges', () => {
    it('grants and revokes in one request: 204', async () => {
      const u = await f.user();
      const id = await team([u]);
      await as(owner)
        .patch(`/spaces/${id}/users/${u.userId}/privileges`)
        .send({ grant: ['space_add_user', 'space_add_user'], revoke: ['space_write_data'] })
        .expect(204);
      expect(await storedNames(id, u.userId)).toEqual(['space_add_user', 'space_read_data', 'space_view', 'space_view_transfers']);
    });

    it.each([
      [{ grant: ['space_fly'] }, 'grant has unknown privileges: "space_fly"'],
      [{ revoke: ['space_view', 7] }, 'revoke has unknown privileges: 7'],
      [{ grant: 'space_view' }, 'grant must be an array of privilege names'],
      [{}, 'grant or revoke must name at least one privilege.'],
      [{ grant: [], revoke: [] }, 'grant or revoke must name at least one privilege.'],
      [{ grant: ['space_view'], revoke: ['space_view'] }, 'Both granted and revoked: space_view.'],
      [{ grant: ['space_view'], add: ['x'] }, "unknown field 'add'"],
    ])('refuses %j with 400, changing nothing', async (body, message) => {
      const res = await as(owner).patch(`/spaces/${spaceId}/users/${member.userId}/privileges`).send(body).expect(400);
      expect(res.body).toEqual({ error: 'invalid_request', error_description: expect.stringContaining(message) });
      expect(await storedNames(spaceId, member.userId)).toEqual(MEMBER);
    });

    it("changes an owner's stored privileges freely (204); the owner still holds every privilege", async () => {
      const id = await team([await f.user()]);
      await as(owner)
        .patch(`/spaces/${id}/users/${owner.userId}/privileges`)
        .send({ revoke: ['space_delete'] })
        .expect(204);
      await as(owner)
        .get(`/spaces/${id}/users/${owner.userId}/privileges`)
        .expect(200, { privileges: ALL.filter((p) => p !== 'space_delete') });
      await as(owner)
        .patch(`/spaces/${id}/users/${owner.userId}/privileges`)
        .send({ grant: ['space_delete'] })
        .expect(204);
      await as(owner).get(`/spaces/${id}/users/${owner.userId}/privileges`).expect(200, { privileges: ALL });
      await as(owner).patch(`/spaces/${id}/users/${owner.userId}/privileges`).send({ revoke: ALL }).expect(204);
      await as(owner).get(`/spaces/${id}/users/${owner.userId}/privileges`).expect(200, { privileges: [] });
      // Still an owner: it may set privileges and delete the space.
      await as(owner)
        .patch(`/spaces/${id}/users/${owner.userId}/privileges`)
        .send({ grant: ['space_view'] })
        .expect(204);
      await as(owner).delete(`/spaces/${id}`).expect(204);
    });

    it('needs space_set_privileges (403, checked before the body), membership (404), a user (403)', async () => {
      await as(manager)
        .patch(`/spaces/${spaceId}/users/${member.userId}/privileges`)
        .send({ grant: ['space_delete'] })
        .expect(403);
      await as(manager)
        .patch(`/spaces/${spaceId}/users/${member.userId}/privileges`)
        .send({ grant: ['bogus'] })
        .expect(403);
      await as(outsider)
        .patch(`/spaces/${spaceId}/users/${member.userId}/privileges`)
        .send({ grant: ['bogus'] })
        .expect(404);
      await as(owner)
        .patch(`/spaces/${spaceId}/users/${outsider.userId}/privileges`)
        .send({ grant: ['space_view'] })
        .expect(404);
      await as(await f.provider())
        .patch(`/spaces/${spaceId}/users/${member.userId}/privileges`)
        .send({ grant: ['space_view'] })
        .expect(403);
      expect(await storedNames(spaceId, member.userId)).toEqual(MEMBER);
    });

    it('takes effect at once: a revoked privilege is refused on the next request', async () => {
      const u = await f.user();
      const id = await team([u, ['space_view', 'space_update']]);
      await as(u).patch(`/spaces/${id}`).send({ name: 'Mine now' }).expect(204);
      await as(owner)
        .patch(`/spaces/${id}/users/${u.userId}/privileges`)
        .send({ revoke: ['space_update'] })
        .expect(204);
      await as(u).patch(`/spaces/${id}`).send({ name: 'Again' }).expect(403);
    });
  });

  describe('DELETE /spaces/{id}/users/{uid}', () => {
    it('removes a member for a holder of space_remove_user: 204', async () => {
      const [m, u] = [await f.user(), await f.user()];
      const id = await team([m, MANAGER], [u]);
      await as(m).delete(`/spaces/${id}/users/${u.userId}`).expect(204);
      expect(await stored(id, u.userId)).toBeNull();
      await as(u).get(`/user/spaces/${id}`).expect(404);
    });

    it('lets only an owner remove another owner (403 for a manager)', async () => {
      const [m, o2] = [await f.user(), await f.user()];
      const id = await team([m, MANAGER], [o2]);
      await as(owner).put(`/spaces/${id}/owners/${o2.userId}`).expect(204);
      const res = await as(m).delete(`/spaces/${id}/users/${o2.userId}`).expect(403);
      expect(res.body.error_description).toBe('Only an owner may remove an owner.');
      expect((await stored(id, o2.userId))?.owner).toBe(true);
      await as(owner).delete(`/spaces/${id}/users/${o2.userId}`).expect(204);
      expect(await stored(id, o2.userId)).toBeNull();
    });

    it('keeps the last owner while other members remain (400)', async () => {
      const u = await f.user();
      const id = await team([u]);
      await as(owner).delete(`/spaces/${id}/users/${owner.userId}`).expect(400);
      expect((await stored(id, owner.userId))?.owner).toBe(true);
    });

    it('needs space_remove_user (403), is 404 for a non-member target or an outsider', async () => {
      await as(member).delete(`/spaces/${spaceId}/users/${manager.userId}`).expect(403);
      await as(owner).delete(`/spaces/${spaceId}/users/${outsider.userId}`).expect(404);
      await as(outsider).delete(`/spaces/${spaceId}/users/${member.userId}`).expect(404);
      expect(await stored(spaceId, manager.userId)).not.toBeNull();
    });
  });

  describe('owners', () => {
    it('GET /spaces/{id}/owners lists the owners for members with space_view (404 for outsiders)', async () => {
      await as(member)
        .get(`/spaces/${spaceId}/owners`)
        .expect(200, { users: [owner.userId] });
      await as(outsider).get(`/spaces/${spaceId}/owners`).expect(404);
      await as(member).get(`/spaces/${spaceId}/owners?limit=0`).expect(400);
    });

    it('PUT makes a member an owner, keeping its stored privileges (204; again: 409)', async () => {
      const u = await f.user();
      const id = await team([u]);
      await as(owner).put(`/spaces/${id}/owners/${u.userId}`).expect(204);
      const again = await as(owner).put(`/spaces/${id}/owners/${u.userId}`).expect(409);
      expect(again.body.error).toBe('already_exists');
      expect(await stored(id, u.userId)).toMatchObject({ owner: true, privileges: SpacePrivileges.memberMask });
      expect((await as(u).get(`/spaces/${id}/owners`).expect(200)).body.users).toEqual([owner.userId, u.userId].sort());
      // An owner holds every privilege, whatever is stored.
      await as(u).patch(`/spaces/${id}`).send({ name: 'Renamed by the new owner' }).expect(204);
    });

    it('PUT: the target must be a member (400); only owners may call it (403)', async () => {
      const res = await as(owner).put(`/spaces/${spaceId}/owners/${outsider.userId}`).expect(400);
      expect(res.body.error_description).toContain('Only a member');
      await as(manager).put(`/spaces/${spaceId}/owners/${manager.userId}`).expect(403);
      await as(outsider).put(`/spaces/${spaceId}/owners/${outsider.userId}`).expect(404);
      expect((await stored(spaceId, manager.userId))?.owner).toBe(false);
    });

    it('DELETE ends an ownership, keeping the membership; the last owner stays (400)', async () => {
      const u = await f.user();
      const id = await team([u]);
      await as(owner).put(`/spaces/${id}/owners/${u.userId}`).expect(204);
      await as(u).delete(`/spaces/${id}/owners/${owner.userId}`).expect(204);
      expect(await stored(id, owner.userId)).toMatchObject({ owner: false, privileges: SpacePrivileges.allMask });
      const res = await as(u).delete(`/spaces/${id}/owners/${u.userId}`).expect(400);
      expect(res.body).toEqual({ error: 'invalid_request', error_description: expect.stringContaining('only owner') });
      expect(await stored(id, u.userId)).toMatchObject({ owner: true, privileges: SpacePrivileges.memberMask });
    });

    it('DELETE: 404 for a member who is not an owner, 403 for a non-owner caller', async () => {
      await as(owner).delete(`/spaces/${spaceId}/owners/${member.userId}`).expect(404);
      await as(manager).delete(`/spaces/${spaceId}/owners/${owner.userId}`).expect(403);
      await as(await f.provider())
        .delete(`/spaces/${spaceId}/owners/${owner.userId}`)
        .expect(403);
    });
  });
});
