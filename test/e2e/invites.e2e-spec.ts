import { disposeEnv, startApp, testEnv, type TestApp, PREFIX } from '../support/test-app.js';
import { Factories, SpaceFactories, api, tokenIdOf } from '../support/factories.js';
import { SpacePrivileges } from '../../src/access/privileges.js';

type User = { userId: string; token: string };

const INVALID_TOKEN = { error: 'invalid_token', error_description: 'Provided token could not be validated.' };

/** POST /spaces/{id}/users/token and POST /user/spaces/join. */
describe('invites', () => {
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
  const join = (who: { token: string }, token: unknown) => as(who).post('/user/spaces/join').send({ token });
  const usage = async (token: string) =>
    (await t.prisma.token.findUniqueOrThrow({ where: { id: await tokenIdOf(t.http, token) } })).usageCount;
  const stored = (spaceId: string, userId: string) => t.prisma.membership.findUnique({ where: { spaceId_userId: { spaceId, userId } } });
  /** A direct member's stored privileges, by name (alphabetical); null for a non-member. */
  const storedPrivileges = async (spaceId: string, userId: string) => {
    const row = await stored(spaceId, userId);
    return row && SpacePrivileges.names(row.privileges);
  };

  describe('POST /spaces/{id}/users/token', () => {
    it('mints a single-use invite by default (200 {token}); joining gives member privileges', async () => {
      const spaceId = await s.space(owner.token);
      const res = await as(owner).post(`/spaces/${spaceId}/users/token`).expect(200);
      expect(Object.keys(res.body)).toEqual(['token']);
      const minted = await t.prisma.token.findUniqueOrThrow({ where: { id: await tokenIdOf(t.http, res.body.token) } });
      expect(minted).toMatchObject({ type: 'user_join_space', usageLimit: 1, privileges: SpacePrivileges.memberMask });
      const [u1, u2] = [await f.user(), await f.user()];
      const joined = await join(u1, res.body.token).expect(201);
      expect(joined.headers.location).toBe(`${PREFIX}/user/spaces/${spaceId}`);
      expect(joined.text).toBe('');
      expect(await stored(spaceId, u1.userId)).toMatchObject({ owner: false, privileges: SpacePrivileges.memberMask });
      expect(await storedPrivileges(spaceId, u1.userId)).toEqual([
        'space_read_data',
        'space_view',
        'space_view_transfers',
        'space_write_data',
      ]);
      expect((await join(u2, res.body.token).expect(400)).body).toEqual(INVALID_TOKEN);
    });

    it('honours usageLimit and the privileges it grants', async () => {
      const spaceId = await s.space(owner.token);
      const token = await s.invite(spaceId, owner.token, { usageLimit: 2, privileges: ['space_view', 'space_add_user'] });
      const [u1, u2, u3] = [await f.user(), await f.user(), await f.user()];
      await join(u1, token).expect(201);
      await join(u2, token).expect(201);
      await join(u3, token).expect(400);
      expect(await storedPrivileges(spaceId, u2.userId)).toEqual(['space_add_user', 'space_view']);
    });

    it('needs space_add_user (403), and space_set_privileges to grant beyond member level (403)', async () => {
      const spaceId = await s.space(owner.token);
      const [plain, inviter] = [await f.user(), await f.user()];
      await s.join(spaceId, owner.token, plain.token);
      await s.join(spaceId, owner.token, inviter.token, ['space_view', 'space_add_user']);
      await as(plain).post(`/spaces/${spaceId}/users/token`).expect(403);
      await as(plain).post(`/spaces/${spaceId}/users/token`).send({ usageLimit: 'x' }).expect(403);
      await as(inviter)
        .post(`/spaces/${spaceId}/users/token`)
        .send({ privileges: ['space_view'] })
        .expect(200);
      // The member level is the four member privileges; anything beyond needs space_set_privileges.
      await as(inviter).post(`/spaces/${spaceId}/users/token`).send({ privileges: SpacePrivileges.member }).expect(200);
      await as(inviter)
        .post(`/spaces/${spaceId}/users/token`)
        .send({ privileges: ['space_view_privileges'] })
        .expect(403);
      await as(inviter).post(`/spaces/${spaceId}/users/token`).send({ privileges: SpacePrivileges.manager }).expect(403);
      const res = await as(inviter)
        .post(`/spaces/${spaceId}/users/token`)
        .send({ privileges: ['space_delete'] })
        .expect(403);
      expect(res.body.error_description).toContain('space_set_privileges');
    });

    it.each([
      [{ usageLimit: 0 }, 'usageLimit must be an integer from 1 to 1000000'],
      [{ validUntil: 1000 }, 'validUntil must be in the future.'],
      [{ privileges: ['space_sing'] }, 'privileges has unknown privileges'],
      [{ maxSize: 10 }, "unknown field 'maxSize'"],
    ])('refuses %j with 400, minting nothing', async (body, message) => {
      const spaceId = await s.space(owner.token);
      const before = await t.prisma.token.count();
      const res = await as(owner).post(`/spaces/${spaceId}/users/token`).send(body).expect(400);
      expect(res.body).toEqual({ error: 'invalid_request', error_description: expect.stringContaining(message) });
      expect(await t.prisma.token.count()).toBe(before);
    });

    it('is 404 for an outsider and 403 for a provider', async () => {
      const spaceId = await s.space(owner.token);
      await as(await f.user())
        .post(`/spaces/${spaceId}/users/token`)
        .expect(404);
      await as(await f.provider())
        .post(`/spaces/${spaceId}/users/token`)
        .expect(403);
    });
  });

  describe('POST /user/spaces/join', () => {
    it('is 409 already_exists for a member, and consumes nothing', async () => {
      const spaceId = await s.space(owner.token);
      const token = await s.invite(spaceId, owner.token, { usageLimit: 3 });
      const u = await f.user();
      await join(u, token).expect(201);
      const res = await join(u, token).expect(409);
      expect(res.body).toEqual({ error: 'already_exists', error_description: 'You are already a member of this space.' });
      expect((await join(owner, token).expect(409)).body.error).toBe('already_exists');
      expect(await usage(token)).toBe(1);
    });

    it('refuses the invite once its issuer lost space_add_user, without consuming it', async () => {
      const spaceId = await s.space(owner.token);
      const inviter = await f.user();
      await s.join(spaceId, owner.token, inviter.token, ['space_view', 'space_add_user']);
      const token = await s.invite(spaceId, inviter.token);
      await as(owner)
        .patch(`/spaces/${spaceId}/users/${inviter.userId}/privileges`)
        .send({ revoke: ['space_add_user'] })
        .expect(204);
      const u = await f.user();
      expect((await join(u, token).expect(400)).body).toEqual(INVALID_TOKEN);
      expect(await usage(token)).toBe(0);
      // Given back the privilege, the same invite works again.
      await as(owner)
        .patch(`/spaces/${spaceId}/users/${inviter.userId}/privileges`)
        .send({ grant: ['space_add_user'] })
        .expect(204);
      await join(u, token).expect(201);
    });

    it('refuses the invite once its issuer left the space', async () => {
      const spaceId = await s.space(owner.token);
      const inviter = await f.user();
      await s.join(spaceId, owner.token, inviter.token, ['space_view', 'space_add_user']);
      const token = await s.invite(spaceId, inviter.token);
      await as(inviter).delete(`/user/spaces/${spaceId}`).expect(204);
      await join(await f.user(), token).expect(400);
    });

    it('refuses an elevated invite once its issuer lost space_set_privileges', async () => {
      const spaceId = await s.space(owner.token);
      const admin = await f.user();
      await s.join(spaceId, owner.token, admin.token, ['space_view', 'space_add_user', 'space_set_privileges']);
      const token = await s.invite(spaceId, admin.token, { privileges: ['space_view', 'space_delete'] });
      await as(owner)
        .patch(`/spaces/${spaceId}/users/${admin.userId}/privileges`)
        .send({ revoke: ['space_set_privileges'] })
        .expect(204);
      await join(await f.user(), token).expect(400);
    });

    it('refuses other token types, garbage, a revoked or expired invite, each with the one 400 answer', async () => {
      const spaceId = await s.space(owner.token);
      const provider = await f.provider();
      const revoked = await s.invite(spaceId, owner.token);
      const revokedId = await tokenIdOf(t.http, revoked);
      await as(owner).delete(`/user/tokens/${revokedId}`).expect(204);
      const u = await f.user();
      for (const token of [
        await s.supportToken(spaceId, owner.token),
        await f.supportToken(provider.token),
        await f.creationToken(owner.token),
        u.token,
        revoked,
        'garbage',
      ]) {
        expect((await join(u, token).expect(400)).body).toEqual(INVALID_TOKEN);
      }
      expect(await stored(spaceId, u.userId)).toBeNull();
    });

    it('validates the body: token required, a string (400 invalid_request)', async () => {
      const u = await f.user();
      for (const body of [{}, { token: 5 }, { token: 'x', extra: true }]) {
        const res = await as(u).post('/user/spaces/join').send(body).expect(400);
        expect(res.body.error).toBe('invalid_request');
      }
      await as(await f.provider())
        .post('/user/spaces/join')
        .send({ token: 'x' })
        .expect(403);
      await as().post('/user/spaces/join').send({ token: 'x' }).expect(401);
    });

    it('lets exactly one of many users racing for a single-use invite in', async () => {
      const spaceId = await s.space(owner.token);
      const token = await s.invite(spaceId, owner.token);
      const users = await Promise.all(Array.from({ length: 8 }, () => f.user()));
      const statuses = (await Promise.all(users.map((u) => join(u, token)))).map((r) => r.status).sort();
      expect(statuses).toEqual([201, 400, 400, 400, 400, 400, 400, 400]);
      expect(await t.prisma.membership.count({ where: { spaceId } })).toBe(2);
    });

    it('joining is idempotent in effect under a race of one user with a multi-use invite: one 201, one 409', async () => {
      const spaceId = await s.space(owner.token);
      const token = await s.invite(spaceId, owner.token, { usageLimit: 5 });
      const u = await f.user();
      const statuses = (await Promise.all([join(u, token), join(u, token)])).map((r) => r.status).sort();
      expect(statuses).toEqual([201, 409]);
      expect(await usage(token)).toBe(1);
      await as(u)
        .get('/user/spaces')
        .expect(200, { spaces: [spaceId] });
    });
  });
});
