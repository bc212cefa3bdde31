import { disposeEnv, startApp, testEnv, type TestApp } from '../support/test-app.js';
import { Factories, SpaceFactories, api } from '../support/factories.js';

type User = { userId: string; token: string };

/** PATCH /spaces/{id}, DELETE /spaces/{id}, DELETE /user/spaces/{id}. */
describe('space changes', () => {
  let t: TestApp;
  let f: Factories;
  let s: SpaceFactories;
  let alice: User;
  let bob: User;
  let carol: User;

  beforeAll(async () => {
    t = await startApp(await testEnv());
    f = new Factories(t.http, t.env.ADMIN_TOKEN);
    s = new SpaceFactories(t.http);
    [alice, bob, carol] = [await f.user('Alice'), await f.user('Bob'), await f.user('Carol')];
  });

  afterAll(async () => {
    await t.close();
    await disposeEnv(t.env);
  });

  const as = (who?: { token: string }) => api(t.http, who?.token);
  const nameOf = async (id: string) => (await t.prisma.space.findUnique({ where: { id } }))?.name;
  const members = (spaceId: string) => t.prisma.membership.count({ where: { spaceId } });

  describe('PATCH /spaces/{id}', () => {
    let spaceId: string;

    beforeAll(async () => {
      spaceId = await s.space(alice.token, 'Before');
      await s.join(spaceId, alice.token, bob.token);
    });

    it('renames the space for a member with space_update: 204, no body', async () => {
      const res = await as(alice).patch(`/spaces/${spaceId}`).send({ name: 'After (v2)' }).expect(204);
      expect(res.text).toBe('');
      expect(await nameOf(spaceId)).toBe('After (v2)');
    });

    it.each([
      [{}, 'least one of name'],
      [{ name: ' lead' }, 'name must be'],
      [{ name: 'x' }, 'name must be'],
      [{ name: 'Ok', extra: 1 }, "unknown field 'extra'"],
    ])('refuses %j with 400, changing nothing', async (body, message) => {
      const before = await nameOf(spaceId);
      const res = await as(alice).patch(`/spaces/${spaceId}`).send(body).expect(400);
      expect(res.body).toEqual({ error: 'invalid_request', error_description: expect.stringContaining(message) });
      expect(await nameOf(spaceId)).toBe(before);
    });

    it('authorises before validating: a member without space_update gets 403 even for a bad body', async () => {
      await as(bob).patch(`/spaces/${spaceId}`).send({ name: 'Bob was here' }).expect(403);
      const res = await as(bob).patch(`/spaces/${spaceId}`).send({ name: '' }).expect(403);
      expect(res.body.error).toBe('forbidden');
      expect(await nameOf(spaceId)).not.toBe('Bob was here');
    });

    it('is 404 for a non-member (even with a bad body), 403 for a provider, 401 without a token', async () => {
      await as(carol).patch(`/spaces/${spaceId}`).send({ name: 'Nope' }).expect(404);
      await as(carol).patch(`/spaces/${spaceId}`).send({ name: '' }).expect(404);
      await as(await f.provider())
        .patch(`/spaces/${spaceId}`)
        .send({ name: 'Nope' })
        .expect(403);
      await as().patch(`/spaces/${spaceId}`).send({ name: 'Nope' }).expect(401);
    });

    it('checks in order authenticate → authorise → validate, for body faults too', async () => {
      const malformed = (who?: { token: string }) =>
        as(who).patch(`/spaces/${spaceId}`).set('Content-Type', 'application/json').send('{"name": ');
      expect((await malformed().expect(401)).body.error).toBe('unauthorized');
      expect((await malformed(carol).expect(404)).body.error).toBe('not_found');
      expect((await malformed(bob).expect(403)).body.error).toBe('forbidden');
      expect((await malformed(alice).expect(400)).body.error).toBe('invalid_request');
      const text = (who: { token: string }) => as(who).patch(`/spaces/${spaceId}`).set('Content-Type', 'text/plain').send('name=x');
      await text(bob).expect(403);
      expect((await text(alice).expect(415)).body.error).toBe('unsupported_media_type');
      const huge = (who: { token: string }) =>
        as(who)
          .patch(`/spaces/${spaceId}`)
          .send({ name: 'Big', pad: 'x'.repeat(1_100_000) });
      await huge(carol).expect(404);
      expect((await huge(alice).expect(413)).body.error).toBe('payload_too_large');
    });

    it('follows a granted privilege at once', async () => {
      await as(alice)
        .patch(`/spaces/${spaceId}/users/${bob.userId}/privileges`)
        .send({ grant: ['space_update'] })
        .expect(204);
      await as(bob).patch(`/spaces/${spaceId}`).send({ name: 'Bob renamed it' }).expect(204);
      expect(await nameOf(spaceId)).toBe('Bob renamed it');
    });
  });

  describe('DELETE /spaces/{id}', () => {
    it('deletes the space with its memberships, supports and pending tokens', async () => {
      const provider = await f.provider({ capacity: 100 });
      const spaceId = await s.space(alice.token, 'Doomed');
      await s.join(spaceId, alice.token, bob.token);
      await s.support(spaceId, alice.token, provider.token, 100);
      const invite = await s.invite(spaceId, alice.token, { usageLimit: 5 });
      const supportToken = await s.supportToken(spaceId, alice.token);

      await as(alice).delete(`/spaces/${spaceId}`).expect(204);

      expect(await t.prisma.space.count({ where: { id: spaceId } })).toBe(0);
      expect(await members(spaceId)).toBe(0);
      expect(await t.prisma.support.count({ where: { spaceId } })).toBe(0);
      expect(await t.prisma.token.count({ where: { spaceId } })).toBe(0);
      await as(alice).get(`/spaces/${spaceId}`).expect(404);
      expect((await as(bob).get('/user/spaces').expect(200)).body.spaces).not.toContain(spaceId);
      // The pending tokens no longer work, and the provider's capacity is free again.
      await as(carol).post('/user/spaces/join').send({ token: invite }).expect(400);
      await as(provider).post('/provider/spaces/support').send({ token: supportToken, size: 1 }).expect(400);
      await s.support(await s.space(alice.token), alice.token, provider.token, 100);
    });

    it('needs space_delete (403), membership (404), a user (403)', async () => {
      const spaceId = await s.space(alice.token, 'Kept');
      await s.join(spaceId, alice.token, bob.token, ['space_view', 'space_update']);
      await as(bob).delete(`/spaces/${spaceId}`).expect(403);
      await as(carol).delete(`/spaces/${spaceId}`).expect(404);
      await as(await f.provider())
        .delete(`/spaces/${spaceId}`)
        .expect(403);
      await as(alice)
        .delete(`/spaces/${'0'.repeat(32)}`)
        .expect(404);
      expect(await t.prisma.space.count({ where: { id: spaceId } })).toBe(1);
    });
  });

  describe('DELETE /user/spaces/{id} (leave)', () => {
    it('lets a member leave: 204, and the space is no longer theirs', async () => {
      const spaceId = await s.space(alice.token, 'Leave me');
      await s.join(spaceId, alice.token, bob.token);
      await as(bob).delete(`/user/spaces/${spaceId}`).expect(204);
      await as(bob).get(`/user/spaces/${spaceId}`).expect(404);
      expect(await members(spaceId)).toBe(1);
    });

    it('refuses the last owner while other members remain: 400, nothing changes', async () => {
      const spaceId = await s.space(alice.token, 'Owned');
      await s.join(spaceId, alice.token, bob.token);
      const res = await as(alice).delete(`/user/spaces/${spaceId}`).expect(400);
      expect(res.body).toEqual({ error: 'invalid_request', error_description: expect.stringContaining('last owner') });
      expect(await members(spaceId)).toBe(2);
      // With a second owner, the first may leave.
      await as(alice).put(`/spaces/${spaceId}/owners/${bob.userId}`).expect(204);
      await as(alice).delete(`/user/spaces/${spaceId}`).expect(204);
      await as(bob)
        .get(`/spaces/${spaceId}/owners`)
        .expect(200, { users: [bob.userId] });
    });

    it('lets a sole member leave, removing only their membership', async () => {
      const provider = await f.provider();
      const spaceId = await s.space(carol.token, 'Alone');
      await s.support(spaceId, carol.token, provider.token, 10);
      await as(carol).delete(`/user/spaces/${spaceId}`).expect(204);
      expect(await members(spaceId)).toBe(0);
      expect(await t.prisma.space.count({ where: { id: spaceId } })).toBe(1);
      expect(await t.prisma.support.count({ where: { spaceId } })).toBe(1);
    });

    it('is 404 for a non-member and an unknown space, 403 for a provider', async () => {
      const spaceId = await s.space(alice.token);
      await as(carol).delete(`/user/spaces/${spaceId}`).expect(404);
      await as(carol)
        .delete(`/user/spaces/${'a'.repeat(32)}`)
        .expect(404);
      await as(await f.provider())
        .delete(`/user/spaces/${spaceId}`)
        .expect(403);
    });

    it('keeps one owner when the two owners leave at the same moment', async () => {
      const spaceId = await s.space(alice.token, 'Race');
      await s.join(spaceId, alice.token, bob.token);
      await s.join(spaceId, alice.token, carol.token);
      await as(alice).put(`/spaces/${spaceId}/owners/${bob.userId}`).expect(204);
      const statuses = (await Promise.all([as(alice).delete(`/user/spaces/${spaceId}`), as(bob).delete(`/user/spaces/${spaceId}`)]))
        .map((r) => r.status)
        .sort();
      expect(statuses).toEqual([204, 400]);
      expect(await t.prisma.membership.count({ where: { spaceId, owner: true } })).toBe(1);
    });
  });
});
