import { disposeEnv, startApp, testEnv, type TestApp } from '../support/test-app.js';
import { Factories, SpaceFactories, api } from '../support/factories.js';
import { SpacePrivileges } from '../../src/access/privileges.js';

type User = { userId: string; token: string };

// Answers list privileges alphabetically.
const ALL39 = [...SpacePrivileges.all];
const M4 = ['space_read_data', 'space_view', 'space_view_transfers', 'space_write_data'];
const MGR25 = [...SpacePrivileges.manager];

const error = (code: string) => ({ error: code, error_description: expect.any(String) });

/**
 * Ownership of a space without groups: the creator is the only owner; owners
 * hold every privilege whatever is stored; only owners manage owners; the
 * last owner stays while others remain.
 */
describe('space owners', () => {
  let t: TestApp;
  let f: Factories;
  let s: SpaceFactories;

  beforeAll(async () => {
    t = await startApp(await testEnv());
    f = new Factories(t.http, t.env.ADMIN_TOKEN);
    s = new SpaceFactories(t.http);
  });

  afterAll(async () => {
    await t.close();
    await disposeEnv(t.env);
  });

  const as = (who?: { token: string }) => api(t.http, who?.token);
  const owners = async (spaceId: string, who: User) => (await as(who).get(`/spaces/${spaceId}/owners`).expect(200)).body;
  const stored = (spaceId: string, userId: string) => t.prisma.membership.findUnique({ where: { spaceId_userId: { spaceId, userId } } });

  /** A fresh space of a fresh user A, with fresh users joined through A's member-level invites. */
  async function space(joining = 0): Promise<{ spaceId: string; a: User; others: User[] }> {
    const a = await f.user('Owner A');
    const spaceId = await s.space(a.token, 'Owned');
    const others: User[] = [];
    for (let i = 0; i < joining; i += 1) {
      const u = await f.user();
      await s.join(spaceId, a.token, u.token);
      others.push(u);
    }
    return { spaceId, a, others };
  }

  it('an owner made and unmade keeps only its stored member privileges: no escalation', async () => {
    const {
      spaceId,
      a,
      others: [b],
    } = await space(1);
    await as(a).put(`/spaces/${spaceId}/owners/${b.userId}`).expect(204);
    await as(a).delete(`/spaces/${spaceId}/owners/${b.userId}`).expect(204);
    expect((await as(b).delete(`/spaces/${spaceId}`).expect(403)).body).toEqual(error('forbidden'));
    await as(b).get(`/spaces/${spaceId}/users/${b.userId}/privileges`).expect(200, { privileges: M4 });
    expect(await stored(spaceId, b.userId)).toMatchObject({ owner: false, privileges: SpacePrivileges.memberMask });
    await as(a).get(`/spaces/${spaceId}`).expect(200);
  });

  it('the creator is the only owner, stored with all 39 privileges; the levels are 4, 25 and 39', async () => {
    const { spaceId, a } = await space();
    expect(await owners(spaceId, a)).toEqual({ users: [a.userId] });
    await as(a).get(`/spaces/${spaceId}/users/${a.userId}/privileges`).expect(200, { privileges: ALL39 });
    const levels = (await as(a).get('/spaces/privileges').expect(200)).body;
    expect(levels).toEqual({ member: M4, manager: MGR25, admin: ALL39 });
    expect([levels.member.length, levels.manager.length, levels.admin.length]).toEqual([4, 25, 39]);
  });

  it('an owner revoking its own stored privileges still holds them all', async () => {
    const { spaceId, a } = await space();
    await as(a)
      .patch(`/spaces/${spaceId}/users/${a.userId}/privileges`)
      .send({ revoke: ['space_update', 'space_view'] })
      .expect(204);
    await as(a)
      .get(`/spaces/${spaceId}/users/${a.userId}/privileges`)
      .expect(200, { privileges: ALL39.filter((p) => p !== 'space_update' && p !== 'space_view') });
    await as(a).patch(`/spaces/${spaceId}`).send({ name: 'Still mine' }).expect(204);
    expect((await as(a).get(`/spaces/${spaceId}`).expect(200)).body).toMatchObject({ spaceId, name: 'Still mine' });
  });

  it('a member made an owner keeps its stored privileges and holds every one', async () => {
    const {
      spaceId,
      a,
      others: [b],
    } = await space(1);
    await as(a).put(`/spaces/${spaceId}/owners/${b.userId}`).expect(204);
    await as(b).get(`/spaces/${spaceId}/users/${b.userId}/privileges`).expect(200, { privileges: M4 });
    await as(b).patch(`/spaces/${spaceId}`).send({ name: 'Renamed by B' }).expect(204);
    expect(await owners(spaceId, a)).toEqual({ users: [a.userId, b.userId].sort() });
  });

  it('an ownership ended leaves a member with its stored privileges', async () => {
    const {
      spaceId,
      a,
      others: [b],
    } = await space(1);
    await as(a).put(`/spaces/${spaceId}/owners/${b.userId}`).expect(204);
    await as(a).delete(`/spaces/${spaceId}/owners/${b.userId}`).expect(204);
    expect((await as(b).patch(`/spaces/${spaceId}`).send({ name: 'Mine?' }).expect(403)).body).toEqual(error('forbidden'));
    expect((await as(b).get(`/spaces/${spaceId}/users`).expect(200)).body).toEqual({ users: [a.userId, b.userId].sort() });
    expect(await owners(spaceId, b)).toEqual({ users: [a.userId] });
  });

  it('granting an owner again is 409 already_exists; revoking again is 404', async () => {
    const {
      spaceId,
      a,
      others: [b],
    } = await space(1);
    await as(a).put(`/spaces/${spaceId}/owners/${b.userId}`).expect(204);
    expect((await as(a).put(`/spaces/${spaceId}/owners/${b.userId}`).expect(409)).body).toEqual(error('already_exists'));
    expect((await as(a).put(`/spaces/${spaceId}/owners/${a.userId}`).expect(409)).body).toEqual(error('already_exists'));
    await as(a).delete(`/spaces/${spaceId}/owners/${b.userId}`).expect(204);
    expect((await as(a).delete(`/spaces/${spaceId}/owners/${b.userId}`).expect(404)).body).toEqual(error('not_found'));
    expect(await owners(spaceId, a)).toEqual({ users: [a.userId] });
  });

  it('all 39 stored privileges do not make an owner: owners are managed and removed by owners only', async () => {
    const {
      spaceId,
      a,
      others: [b, c],
    } = await space(2);
    await as(a).patch(`/spaces/${spaceId}/users/${b.userId}/privileges`).send({ grant: SpacePrivileges.all }).expect(204);
    await as(b).get(`/spaces/${spaceId}/users/${b.userId}/privileges`).expect(200, { privileges: ALL39 });
    expect((await as(b).put(`/spaces/${spaceId}/owners/${c.userId}`).expect(403)).body).toEqual(error('forbidden'));
    expect((await as(b).delete(`/spaces/${spaceId}/owners/${a.userId}`).expect(403)).body).toEqual(error('forbidden'));
    expect((await as(b).delete(`/spaces/${spaceId}/users/${a.userId}`).expect(403)).body).toEqual(error('forbidden'));
    await as(b).delete(`/spaces/${spaceId}/users/${c.userId}`).expect(204);
    expect(await owners(spaceId, b)).toEqual({ users: [a.userId] });
    expect((await as(b).get(`/spaces/${spaceId}/users`).expect(200)).body).toEqual({ users: [a.userId, b.userId].sort() });
  });

  it('the only owner cannot give up ownership, alone or not (400)', async () => {
    const { spaceId, a } = await space();
    expect((await as(a).delete(`/spaces/${spaceId}/owners/${a.userId}`).expect(400)).body).toEqual(error('invalid_request'));
    const b = await f.user();
    await s.join(spaceId, a.token, b.token);
    expect((await as(a).delete(`/spaces/${spaceId}/owners/${a.userId}`).expect(400)).body).toEqual(error('invalid_request'));
    expect(await owners(spaceId, a)).toEqual({ users: [a.userId] });
  });

  it('the last owner may not leave nor be removed while others remain; after handing over it may leave', async () => {
    const {
      spaceId,
      a,
      others: [b],
    } = await space(1);
    expect((await as(a).delete(`/user/spaces/${spaceId}`).expect(400)).body).toEqual(error('invalid_request'));
    expect((await as(a).delete(`/spaces/${spaceId}/users/${a.userId}`).expect(400)).body).toEqual(error('invalid_request'));
    expect(await stored(spaceId, a.userId)).toMatchObject({ owner: true });
    await as(a).put(`/spaces/${spaceId}/owners/${b.userId}`).expect(204);
    await as(a).delete(`/user/spaces/${spaceId}`).expect(204);
    expect(await owners(spaceId, b)).toEqual({ users: [b.userId] });
    expect(await stored(spaceId, a.userId)).toBeNull();
    await as(a).get(`/spaces/${spaceId}`).expect(404);
  });

  it('a removed owner who joins again is not an owner', async () => {
    const {
      spaceId,
      a,
      others: [b],
    } = await space(1);
    await as(a).put(`/spaces/${spaceId}/owners/${b.userId}`).expect(204);
    await as(a).delete(`/spaces/${spaceId}/users/${b.userId}`).expect(204);
    expect(await owners(spaceId, a)).toEqual({ users: [a.userId] });
    const invite = await s.invite(spaceId, a.token);
    await as(b).post('/user/spaces/join').send({ token: invite }).expect(201);
    expect(await owners(spaceId, a)).toEqual({ users: [a.userId] });
    await as(b).get(`/spaces/${spaceId}/users/${b.userId}/privileges`).expect(200, { privileges: M4 });
    expect(await stored(spaceId, b.userId)).toMatchObject({ owner: false });
  });

  it('only a member can become an owner (400 invalid_request)', async () => {
    const { spaceId, a } = await space();
    const d = await f.user('Outsider D');
    expect((await as(a).put(`/spaces/${spaceId}/owners/${d.userId}`).expect(400)).body).toEqual(error('invalid_request'));
    expect(await stored(spaceId, d.userId)).toBeNull();
    expect(await owners(spaceId, a)).toEqual({ users: [a.userId] });
  });

  it('the last owner, alone, may leave: the space then has no owners', async () => {
    const { spaceId, a } = await space();
    await as(a).delete(`/user/spaces/${spaceId}`).expect(204);
    expect(await t.prisma.membership.count({ where: { spaceId } })).toBe(0);
    expect(await t.prisma.spaceEffUser.count({ where: { spaceId } })).toBe(0);
    expect(await t.prisma.space.findUnique({ where: { id: spaceId } })).not.toBeNull();
    expect((await as(a).get(`/spaces/${spaceId}`).expect(404)).body).toEqual(error('not_found'));
  });

  it('effective privileges of an owner are all 39, whatever is stored', async () => {
    const {
      spaceId,
      a,
      others: [b],
    } = await space(1);
    await as(a).put(`/spaces/${spaceId}/owners/${b.userId}`).expect(204);
    await as(b).get(`/spaces/${spaceId}/effective_users/${b.userId}/privileges`).expect(200, { privileges: ALL39 });
    await as(a).delete(`/spaces/${spaceId}/owners/${b.userId}`).expect(204);
    await as(b).get(`/spaces/${spaceId}/effective_users/${b.userId}/privileges`).expect(200, { privileges: M4 });
  });
});
