import { GroupPrivileges, SpacePrivileges } from '../../src/access/privileges.js';
import { api, Factories, idFrom } from '../support/factories.js';
import { disposeEnv, PREFIX, startApp, testEnv, type TestApp } from '../support/test-app.js';

type User = { userId: string; token: string };

const ALL39 = [...SpacePrivileges.all];
const M4 = [...SpacePrivileges.member];
const MGR25 = [...SpacePrivileges.manager];
const ALL23 = [...GroupPrivileges.all];
const GMGR12 = [...GroupPrivileges.manager];
const sorted = (ids: string[]) => [...ids].sort();
const HEX32 = /^[0-9a-f]{32}$/;

/** Groups, nested groups and groups in spaces, each case from a fresh set of users. */
describe('groups', () => {
  let t: TestApp;
  let f: Factories;

  beforeAll(async () => {
    t = await startApp(await testEnv());
    f = new Factories(t.http, t.env.ADMIN_TOKEN);
  });

  afterAll(async () => {
    await t.close();
    await disposeEnv(t.env);
  });

  const as = (u: User | { token: string }) => api(t.http, u.token);

  async function users(): Promise<{ A: User; B: User; C: User; D: User }> {
    const [A, B, C, D] = [await f.user('Alice'), await f.user('Bob'), await f.user('Carol'), await f.user('Dave')];
    return { A, B, C, D };
  }

  async function group(owner: User, name = 'Team'): Promise<string> {
    const res = await as(owner).post('/user/groups').send({ name }).expect(201);
    return idFrom(res.headers.location);
  }

  async function space(owner: User, name = 'Space'): Promise<string> {
    const res = await as(owner).post('/user/spaces').send({ name }).expect(201);
    return idFrom(res.headers.location);
  }

  /** "B joins G": A mints an invite, B joins. */
  async function joinGroup(g: string, issuer: User, who: User, body: object = {}): Promise<void> {
    const token = (await as(issuer).post(`/groups/${g}/users/token`).send(body).expect(200)).body.token;
    await as(who).post('/user/groups/join').send({ token }).expect(201);
  }

  async function joinSpace(s: string, issuer: User, who: User, body: object = {}): Promise<void> {
    const token = (await as(issuer).post(`/spaces/${s}/users/token`).send(body).expect(200)).body.token;
    await as(who).post('/user/spaces/join').send({ token }).expect(201);
  }

  const groupInSpace = (s: string, g: string, by: User, body?: object) => as(by).put(`/spaces/${s}/groups/${g}`).send(body).expect(201);
  const nest = (parent: string, child: string, by: User) => as(by).put(`/groups/${parent}/children/${child}`).expect(201);

  describe('group CRUD and users', () => {
    it('1: POST /user/groups creates a team owned by no one, the creator a member', async () => {
      const { A } = await users();
      const res = await as(A).post('/user/groups').send({ name: 'Team' }).expect(201);
      expect(res.text).toBe('');
      expect(res.headers.location).toMatch(new RegExp(`^${PREFIX}/user/groups/[0-9a-f]{32}$`));
      const g = idFrom(res.headers.location);
      const got = await as(A).get(`/groups/${g}`).expect(200);
      expect(got.body).toEqual({
        groupId: g,
        name: 'Team',
        type: 'team',
        creator: { type: 'user', id: A.userId },
        creationTime: expect.any(Number),
      });
      expect(Number.isInteger(got.body.creationTime)).toBe(true);
    });

    it('2: bad names and types are 400, providers 403, no token 401', async () => {
      const { A } = await users();
      const p = await f.provider();
      expect((await as(A).post('/user/groups').send({ name: 'T' }).expect(400)).body.error).toBe('invalid_request');
      expect((await as(A).post('/user/groups').send({ name: 'Team', type: 'kingdom' }).expect(400)).body.error).toBe('invalid_request');
      expect((await as(p).post('/user/groups').send({ name: 'Team' }).expect(403)).body.error).toBe('forbidden');
      expect((await t.http.post(`${PREFIX}/user/groups`).send({ name: 'Team' }).expect(401)).body.error).toBe('unauthorized');
    });

    it('3, 4: the creator holds all 23; an outsider sees nothing (404)', async () => {
      const { A, B } = await users();
      const g = await group(A);
      expect(sorted((await as(A).get(`/groups/${g}/users/${A.userId}/privileges`).expect(200)).body.privileges)).toEqual(sorted(ALL23));
      expect((await as(A).get('/user/groups').expect(200)).body).toEqual({ groups: [g] });
      await as(B).get(`/groups/${g}`).expect(404);
      await as(B).patch(`/groups/${g}`).send({ name: 'Xy' }).expect(404);
      await as(B).post(`/groups/${g}/users/token`).send({}).expect(404);
    });

    it('5: PATCH changes the type alone; an empty body is 400', async () => {
      const { A } = await users();
      const g = await group(A);
      await as(A).patch(`/groups/${g}`).send({ type: 'unit' }).expect(204);
      expect((await as(A).get(`/groups/${g}`).expect(200)).body).toMatchObject({ type: 'unit', name: 'Team' });
      expect((await as(A).patch(`/groups/${g}`).send({}).expect(400)).body.error).toBe('invalid_request');
    });

    it('6, 7: joining gives group_view; a second join is 409 and lists the user once', async () => {
      const { A, B } = await users();
      const g = await group(A);
      const token = (await as(A).post(`/groups/${g}/users/token`).send({ usageLimit: 2 }).expect(200)).body.token;
      const res = await as(B).post('/user/groups/join').send({ token }).expect(201);
      expect(res.headers.location).toBe(`${PREFIX}/user/groups/${g}`);
      expect((await as(A).get(`/groups/${g}/users/${B.userId}/privileges`).expect(200)).body).toEqual({ privileges: ['group_view'] });
      expect((await as(B).post('/user/groups/join').send({ token }).expect(409)).body.error).toBe('already_exists');
      expect((await as(A).get(`/groups/${g}/users`).expect(200)).body.users).toEqual(sorted([A.userId, B.userId]));
    });

    it('8, 9: a plain member reads but may not change; sees only its own privileges', async () => {
      const { A, B } = await users();
      const g = await group(A);
      await joinGroup(g, A, B);
      await as(B).get(`/groups/${g}`).expect(200);
      expect((await as(B).get(`/groups/${g}/users`).expect(200)).body.users).toEqual(sorted([A.userId, B.userId]));
      await as(B).patch(`/groups/${g}`).send({ name: 'New' }).expect(403);
      await as(B).post(`/groups/${g}/users/token`).send({}).expect(403);
      await as(B).get(`/groups/${g}/users/${B.userId}/privileges`).expect(200);
      await as(B).get(`/groups/${g}/users/${A.userId}/privileges`).expect(403);
    });

    it("10, 11: an invite beyond group_view needs group_set_privileges; a revoked issuer's invite fails and adds no one", async () => {
      const { A, B, C } = await users();
      const g = await group(A);
      await joinGroup(g, A, B);
      await as(A)
        .patch(`/groups/${g}/users/${B.userId}/privileges`)
        .send({ grant: ['group_add_user'] })
        .expect(204);
      const token = (await as(B).post(`/groups/${g}/users/token`).send({}).expect(200)).body.token;
      await as(B)
        .post(`/groups/${g}/users/token`)
        .send({ privileges: ['group_view', 'group_update'] })
        .expect(403);
      await as(A)
        .patch(`/groups/${g}/users/${B.userId}/privileges`)
        .send({ revoke: ['group_add_user'] })
        .expect(204);
      expect((await as(C).post('/user/groups/join').send({ token }).expect(400)).body.error).toBe('invalid_token');
      expect((await as(A).get(`/groups/${g}/users`).expect(200)).body.users).not.toContain(C.userId);
    });

    it('12, 13: members leave (the last one too)', async () => {
      const { A, B } = await users();
      const g = await group(A);
      await joinGroup(g, A, B);
      await as(B).delete(`/user/groups/${g}`).expect(204);
      expect((await as(B).get('/user/groups').expect(200)).body).toEqual({ groups: [] });
      await as(B).delete(`/user/groups/${g}`).expect(404);
      await as(A).delete(`/user/groups/${g}`).expect(204);
      await as(A).get(`/groups/${g}`).expect(404);
    });

    it('14, 15: groups have no owners; only group_delete deletes', async () => {
      const { A, B } = await users();
      const g = await group(A);
      await joinGroup(g, A, B);
      await as(A)
        .patch(`/groups/${g}/users/${B.userId}/privileges`)
        .send({ grant: ['group_remove_user'] })
        .expect(204);
      await as(B).delete(`/groups/${g}`).expect(403);
      await as(B).delete(`/groups/${g}/users/${A.userId}`).expect(204);
      const g2 = await group(A);
      await as(A).get(`/groups/${g2}/owners`).expect(404);
      await joinGroup(g2, A, B);
      await as(B).delete(`/groups/${g2}`).expect(403);
      await as(A).delete(`/groups/${g2}`).expect(204);
      expect((await as(B).get('/user/groups').expect(200)).body.groups).not.toContain(g2);
    });

    it('PUT /groups/{id}/users/{uid}: only the user itself with group_add_user; the administrator for anyone', async () => {
      const { A, B, C } = await users();
      const g = await group(A);
      await as(A).put(`/groups/${g}/users/${B.userId}`).expect(403);
      const admin = { token: t.env.ADMIN_TOKEN };
      const res = await as(admin).put(`/groups/${g}/users/${B.userId}`).expect(201);
      expect(res.headers.location).toBe(`${PREFIX}/groups/${g}/users/${B.userId}`);
      await as(admin).put(`/groups/${g}/users/${B.userId}`).expect(409);
      expect((await as(A).get(`/groups/${g}/users/${B.userId}/privileges`).expect(200)).body.privileges).toEqual(['group_view']);
      await as(admin).put(`/groups/${g}/users/nobody00000000000000000000000000`).expect(404);
      await as(C).put(`/groups/${g}/users/${C.userId}`).expect(404);
    });

    it('the administrator creates and lists groups, and reads and deletes any', async () => {
      const { A } = await users();
      const admin = { token: t.env.ADMIN_TOKEN };
      const res = await as(admin).post('/groups').send({ name: 'Zone group' }).expect(201);
      const g = idFrom(res.headers.location);
      expect(res.headers.location).toBe(`${PREFIX}/groups/${g}`);
      expect((await as(admin).get(`/groups/${g}`).expect(200)).body).toMatchObject({ creator: null, name: 'Zone group' });
      expect((await as(admin).get('/groups').query({ limit: 1000 }).expect(200)).body.groups).toContain(g);
      await as(A).get('/groups').expect(403);
      await as(A).post('/groups').send({ name: 'Nope' }).expect(403);
      expect((await as(admin).get(`/groups/${g}/users`).expect(403)).body.error).toBe('forbidden');
      await as(admin).delete(`/groups/${g}`).expect(204);
      await as(admin).get(`/groups/${g}`).expect(404);
    });
  });

  describe('nested groups', () => {
    it('16, 17: a child created or joined by token', async () => {
      const { A } = await users();
      const g1 = await group(A, 'One');
      const res = await as(A).post(`/groups/${g1}/children`).send({ name: 'Sub' }).expect(201);
      const g2 = idFrom(res.headers.location);
      expect(res.headers.location).toBe(`${PREFIX}/groups/${g1}/children/${g2}`);
      expect((await as(A).get(`/groups/${g1}/children/${g2}/privileges`).expect(200)).body).toEqual({ privileges: ['group_view'] });
      expect(sorted((await as(A).get(`/groups/${g2}/users/${A.userId}/privileges`).expect(200)).body.privileges)).toEqual(sorted(ALL23));
      const g3 = await group(A, 'Three');
      const token = (await as(A).post(`/groups/${g1}/children/token`).send({}).expect(200)).body.token;
      const joined = await as(A).post(`/groups/${g3}/parents/join`).send({ token }).expect(201);
      expect(joined.headers.location).toBe(`${PREFIX}/groups/${g3}/parents/${g1}`);
      expect(sorted((await as(A).get(`/groups/${g1}/children`).expect(200)).body.groups)).toEqual(sorted([g2, g3]));
    });

    it('18: joining itself as a parent is 400 and keeps the token', async () => {
      const { A } = await users();
      const [g1, g2] = [await group(A), await group(A)];
      const token = (await as(A).post(`/groups/${g1}/children/token`).send({}).expect(200)).body.token;
      expect((await as(A).post(`/groups/${g1}/parents/join`).send({ token }).expect(400)).body.error).toBe('invalid_request');
      await as(A).post(`/groups/${g2}/parents/join`).send({ token }).expect(201);
    });

    it('19: cycles are refused', async () => {
      const { A } = await users();
      const [g1, g2, g3] = [await group(A), await group(A), await group(A)];
      await nest(g1, g2, A);
      await nest(g2, g3, A);
      await as(A).put(`/groups/${g1}/children/${g1}`).expect(400);
      await as(A).put(`/groups/${g2}/children/${g1}`).expect(400);
      await as(A).put(`/groups/${g3}/children/${g1}`).expect(400);
      expect((await as(A).get(`/groups/${g3}/children`).expect(200)).body).toEqual({ groups: [] });
    });

    it('20: nesting needs group_add_child in the parent and group_add_parent in the child', async () => {
      const { A, B } = await users();
      const [g1, g2] = [await group(A), await group(A)];
      await joinGroup(g1, A, B);
      await joinGroup(g2, A, B);
      await as(A)
        .patch(`/groups/${g1}/users/${B.userId}/privileges`)
        .send({ grant: ['group_add_child'] })
        .expect(204);
      await as(B).put(`/groups/${g1}/children/${g2}`).expect(403);
      await as(A)
        .patch(`/groups/${g2}/users/${B.userId}/privileges`)
        .send({ grant: ['group_add_parent'] })
        .expect(204);
      const res = await as(B).put(`/groups/${g1}/children/${g2}`).expect(201);
      expect(res.headers.location).toBe(`${PREFIX}/groups/${g1}/children/${g2}`);
      await as(B).put(`/groups/${g1}/children/${g2}`).expect(409);
    });

    it('21-24: effective users, last-hop privileges and intermediaries', async () => {
      const { A, B } = await users();
      const [g1, g2] = [await group(A, 'One'), await group(A, 'Two')];
      await joinGroup(g2, A, B);
      await nest(g1, g2, A);
      expect((await as(A).get(`/groups/${g1}/users`).expect(200)).body.users).not.toContain(B.userId);
      expect((await as(A).get(`/groups/${g1}/effective_users`).expect(200)).body.users).toContain(B.userId);
      expect((await as(B).get('/user/groups').expect(200)).body).toEqual({ groups: [g2] });
      expect((await as(B).get('/user/effective_groups').expect(200)).body).toEqual({ groups: sorted([g1, g2]) });
      await as(B).get(`/groups/${g1}`).expect(200);
      await as(B).get(`/user/groups/${g1}`).expect(200);
      await as(A).patch(`/groups/${g2}/users/${B.userId}/privileges`).send({ grant: ALL23 }).expect(204);
      expect((await as(A).get(`/groups/${g1}/effective_users/${B.userId}/privileges`).expect(200)).body).toEqual({
        privileges: ['group_view'],
      });
      await as(B).patch(`/groups/${g1}`).send({ name: 'Renamed' }).expect(403);
      await as(A)
        .patch(`/groups/${g1}/children/${g2}/privileges`)
        .send({ grant: ['group_update'] })
        .expect(204);
      await as(B).patch(`/groups/${g1}`).send({ name: 'Renamed' }).expect(204);
      expect((await as(B).get(`/groups/${g1}/effective_users/${B.userId}/membership`).expect(200)).body).toEqual({
        intermediaries: [{ type: 'group', id: g2 }],
      });
      expect((await as(A).get(`/groups/${g1}/effective_users/${A.userId}/membership`).expect(200)).body).toEqual({
        intermediaries: [
          { type: 'group', id: g2 },
          { type: 'group', id: 'self' },
        ],
      });
    });

    it('25, 26: effective children through two levels, and what leaving a parent undoes', async () => {
      const { A, C } = await users();
      const [g1, g2, g3] = [await group(A), await group(A), await group(A)];
      await nest(g1, g2, A);
      await nest(g2, g3, A);
      await joinGroup(g3, A, C);
      expect((await as(A).get(`/groups/${g1}/effective_children`).expect(200)).body).toEqual({ groups: sorted([g2, g3]) });
      expect((await as(A).get(`/groups/${g1}/effective_children/${g3}/membership`).expect(200)).body).toEqual({
        intermediaries: [{ type: 'group', id: g2 }],
      });
      await as(C).get(`/groups/${g1}`).expect(200);
      expect((await as(C).get(`/groups/${g3}/effective_parents`).expect(200)).body.groups).toEqual(expect.arrayContaining([]));
      await as(A).delete(`/groups/${g2}/parents/${g1}`).expect(204);
      await as(C).get(`/groups/${g1}`).expect(404);
      expect((await as(A).get(`/groups/${g1}/effective_children`).expect(200)).body).toEqual({ groups: [] });
      await as(A).delete(`/groups/${g2}/parents/${g1}`).expect(404);
    });

    it('parents: created with the group as a child holding everything; read by any member', async () => {
      const { A, B } = await users();
      const g = await group(A);
      await joinGroup(g, A, B);
      const res = await as(A).post(`/groups/${g}/parents`).send({ name: 'Parent' }).expect(201);
      const p = idFrom(res.headers.location);
      expect(res.headers.location).toBe(`${PREFIX}/groups/${g}/parents/${p}`);
      expect(sorted((await as(A).get(`/groups/${p}/children/${g}/privileges`).expect(200)).body.privileges)).toEqual(sorted(ALL23));
      await as(A).get(`/groups/${p}/users/${A.userId}/privileges`).expect(404);
      expect((await as(B).get(`/groups/${g}/parents/${p}`).expect(200)).body).toMatchObject({
        groupId: p,
        creator: { type: 'user', id: A.userId },
      });
      expect((await as(B).get(`/groups/${g}/effective_parents/${p}`).expect(200)).body.groupId).toBe(p);
      expect(Object.keys((await as(B).get(`/groups/${p}/children/${g}`).expect(200)).body).sort()).toEqual([
        'creationTime',
        'groupId',
        'name',
        'type',
      ]);
    });

    it('nesting deeper than GROUP_MAX_DEPTH, or recomputing more than MEMBERSHIP_CHANGE_MAX_ROWS, is refused and writes nothing', async () => {
      const env = await testEnv({ GROUP_MAX_DEPTH: '3', MEMBERSHIP_CHANGE_MAX_ROWS: '4' });
      const small = await startApp(env);
      try {
        const admin = new Factories(small.http, env.ADMIN_TOKEN);
        const A = await admin.user('Alice');
        const as2 = (u: User) => api(small.http, u.token);
        const make = async () => idFrom((await as2(A).post('/user/groups').send({ name: 'Deep' }).expect(201)).headers.location);
        const [g1, g2, g3, g4] = [await make(), await make(), await make(), await make()];
        await as2(A).put(`/groups/${g1}/children/${g2}`).expect(201);
        await as2(A).put(`/groups/${g2}/children/${g3}`).expect(201);
        const deep = await as2(A).put(`/groups/${g3}/children/${g4}`).expect(400);
        expect(deep.body.error).toBe('invalid_request');
        expect((await as2(A).get(`/groups/${g3}/children`).expect(200)).body).toEqual({ groups: [] });

        const wide = await make();
        for (let i = 0; i < 4; i++) {
          const u = await admin.user();
          const token = (await as2(A).post(`/groups/${wide}/users/token`).send({}).expect(200)).body.token;
          await as2(u).post('/user/groups/join').send({ token }).expect(201);
        }
        const s = idFrom((await as2(A).post('/user/spaces').send({ name: 'Space' }).expect(201)).headers.location);
        const res = await as2(A).put(`/spaces/${s}/groups/${wide}`).expect(400);
        expect(res.body.error).toBe('invalid_request');
        expect((await as2(A).get(`/spaces/${s}/groups`).expect(200)).body).toEqual({ groups: [] });
        expect((await as2(A).get(`/spaces/${s}/effective_users`).expect(200)).body).toEqual({ users: [A.userId] });
      } finally {
        await small.close();
        await disposeEnv(env);
      }
    });
  });

  describe('groups in spaces', () => {
    it('27, 28: adding a group; 409 again; both privileges needed, 404 for a group not seen', async () => {
      const { A, B, C } = await users();
      const [s, g] = [await space(A), await group(A)];
      const res = await as(A).put(`/spaces/${s}/groups/${g}`).expect(201);
      expect(res.text).toBe('');
      expect(res.headers.location).toBe(`${PREFIX}/spaces/${s}/groups/${g}`);
      expect(sorted((await as(A).get(`/spaces/${s}/groups/${g}/privileges`).expect(200)).body.privileges)).toEqual(sorted(M4));
      expect((await as(A).get(`/spaces/${s}/groups`).expect(200)).body).toEqual({ groups: [g] });
      expect((await as(A).put(`/spaces/${s}/groups/${g}`).expect(409)).body.error).toBe('already_exists');
      const g0 = await group(A);
      await joinSpace(s, A, B);
      await joinGroup(g0, A, B);
      await as(A).patch(`/spaces/${s}/users/${B.userId}/privileges`).send({ grant: ALL39 }).expect(204);
      await as(B).put(`/spaces/${s}/groups/${g0}`).expect(403);
      await joinSpace(s, A, C);
      await as(A).patch(`/spaces/${s}/users/${C.userId}/privileges`).send({ grant: ALL39 }).expect(204);
      await as(C).put(`/spaces/${s}/groups/${g0}`).expect(404);
    });

    it("29: choosing a group's privileges needs space_set_privileges", async () => {
      const { A, B } = await users();
      const [s, g, g0] = [await space(A), await group(A), await group(A)];
      await groupInSpace(s, g, A, { privileges: ['space_view', 'space_add_user'] });
      expect((await as(A).get(`/spaces/${s}/groups/${g}/privileges`).expect(200)).body).toEqual({
        privileges: ['space_add_user', 'space_view'],
      });
      await joinSpace(s, A, B);
      await joinGroup(g0, A, B);
      await as(A)
        .patch(`/spaces/${s}/users/${B.userId}/privileges`)
        .send({ grant: ['space_add_group'] })
        .expect(204);
      await as(A)
        .patch(`/groups/${g0}/users/${B.userId}/privileges`)
        .send({ grant: ['group_add_space'] })
        .expect(204);
      await as(B)
        .put(`/spaces/${s}/groups/${g0}`)
        .send({ privileges: ['space_view'] })
        .expect(403);
      await as(B).put(`/spaces/${s}/groups/${g0}`).expect(201);
    });

    it('30-32: access through a group, and losing it', async () => {
      const { A, B, C } = await users();
      const [s, g] = [await space(A), await group(A)];
      await joinGroup(g, A, B);
      await groupInSpace(s, g, A);
      await as(B).get(`/spaces/${s}`).expect(200);
      expect((await as(B).get('/user/spaces').expect(200)).body).toEqual({ spaces: [] });
      expect((await as(B).get('/user/effective_spaces').expect(200)).body).toEqual({ spaces: [s] });
      await as(B).get(`/user/spaces/${s}`).expect(200);
      await as(B).get(`/user/effective_spaces/${s}`).expect(200);
      await as(B).delete(`/user/spaces/${s}`).expect(404);
      await as(A).get(`/spaces/${s}/users/${B.userId}/privileges`).expect(404);
      await as(B).delete(`/user/groups/${g}`).expect(204);
      await as(B).get(`/spaces/${s}`).expect(404);
      expect((await as(B).get('/user/effective_spaces').expect(200)).body).toEqual({ spaces: [] });

      const [g1, g2] = [await group(A), await group(A)];
      await joinGroup(g2, A, C);
      await nest(g1, g2, A);
      await groupInSpace(s, g1, A, { privileges: ['space_view'] });
      await as(C).get(`/spaces/${s}`).expect(200);
      await as(A).delete(`/groups/${g2}/parents/${g1}`).expect(204);
      await as(C).get(`/spaces/${s}`).expect(404);
    });

    it("33-36: a group's privileges reach its members; direct and inherited add up", async () => {
      const { A, B, C } = await users();
      const [s, g] = [await space(A), await group(A)];
      await joinGroup(g, A, B);
      await groupInSpace(s, g, A, { privileges: ['space_view'] });
      await as(B).patch(`/spaces/${s}`).send({ name: 'Renamed' }).expect(403);
      await as(A)
        .patch(`/spaces/${s}/groups/${g}/privileges`)
        .send({ grant: ['space_update'] })
        .expect(204);
      await as(B).patch(`/spaces/${s}`).send({ name: 'Renamed' }).expect(204);

      const s2 = await space(A);
      const g2 = await group(A);
      await joinSpace(s2, A, B, { privileges: ['space_view'] });
      await groupInSpace(s2, g2, A, { privileges: [...M4, 'space_add_user'] });
      await joinGroup(g2, A, B);
      expect((await as(A).get(`/spaces/${s2}/users/${B.userId}/privileges`).expect(200)).body).toEqual({ privileges: ['space_view'] });
      expect((await as(A).get(`/spaces/${s2}/effective_users/${B.userId}/privileges`).expect(200)).body).toEqual({
        privileges: sorted([...M4, 'space_add_user']),
      });
      await as(B).post(`/spaces/${s2}/users/token`).send({}).expect(200);
      await joinGroup(g2, A, C);
      expect((await as(B).get(`/spaces/${s2}/effective_users/${B.userId}/membership`).expect(200)).body).toEqual({
        intermediaries: [
          { type: 'group', id: g2 },
          { type: 'space', id: 'self' },
        ],
      });
      expect((await as(A).get(`/spaces/${s2}/users`).expect(200)).body.users).not.toContain(C.userId);
      expect((await as(A).get(`/spaces/${s2}/effective_users`).expect(200)).body.users).toEqual(sorted([A.userId, B.userId, C.userId]));
      expect((await as(A).get(`/spaces/${s2}/users/${C.userId}`).expect(200)).body).toEqual({ userId: C.userId, name: 'Carol' });
      await as(A)
        .patch(`/spaces/${s2}/groups/${g2}/privileges`)
        .send({ revoke: ['space_add_user'] })
        .expect(204);
      await as(B).post(`/spaces/${s2}/users/token`).send({}).expect(403);
    });

    it('37, 38: effective groups, and what a supporting provider sees', async () => {
      const { A } = await users();
      const [s, g1, g2, g0] = [await space(A), await group(A), await group(A), await group(A)];
      await nest(g1, g2, A);
      await groupInSpace(s, g1, A);
      expect((await as(A).get(`/spaces/${s}/groups`).expect(200)).body).toEqual({ groups: [g1] });
      expect((await as(A).get(`/spaces/${s}/effective_groups`).expect(200)).body).toEqual({ groups: sorted([g1, g2]) });
      expect(sorted((await as(A).get(`/spaces/${s}/effective_groups/${g2}/privileges`).expect(200)).body.privileges)).toEqual(sorted(M4));
      expect((await as(A).get(`/spaces/${s}/effective_groups/${g2}/membership`).expect(200)).body).toEqual({
        intermediaries: [{ type: 'group', id: g1 }],
      });
      expect(Object.keys((await as(A).get(`/spaces/${s}/groups/${g2}`).expect(200)).body).sort()).toEqual([
        'creationTime',
        'groupId',
        'name',
        'type',
      ]);

      const [P, Q] = [await f.provider(), await f.provider()];
      const token = (await as(A).post(`/spaces/${s}/providers/token`).send({}).expect(200)).body.token;
      await as(P).post('/provider/spaces/support').send({ token, size: 100 }).expect(201);
      expect((await as(P).get(`/spaces/${s}/groups`).expect(200)).body).toEqual({ groups: [g1] });
      expect(sorted((await as(P).get(`/spaces/${s}/effective_users/${A.userId}/privileges`).expect(200)).body.privileges)).toEqual(
        sorted(ALL39),
      );
      await as(Q).get(`/spaces/${s}/groups`).expect(404);
      await as(P).put(`/spaces/${s}/groups/${g0}`).expect(403);
    });

    it('39, 40: removing a group, from either side', async () => {
      const { A, B, C } = await users();
      const [s, g] = [await space(A), await group(A)];
      await joinSpace(s, A, B);
      await joinGroup(g, A, C);
      await groupInSpace(s, g, A);
      await as(B).delete(`/spaces/${s}/groups/${g}`).expect(403);
      await as(A).delete(`/spaces/${s}/groups/${g}`).expect(204);
      await as(C).get(`/spaces/${s}`).expect(404);
      await as(A).delete(`/spaces/${s}/groups/${g}`).expect(404);
      await groupInSpace(s, g, A);
      await joinGroup(g, A, B);
      await as(B).delete(`/groups/${g}/spaces/${s}`).expect(403);
      await as(A).delete(`/groups/${g}/spaces/${s}`).expect(204);
      expect((await as(A).get(`/spaces/${s}/groups`).expect(200)).body).toEqual({ groups: [] });
    });

    it('41, 42: a group joins by token; tokens of the wrong kind fail; joining needs group_add_space', async () => {
      const { A, B, C } = await users();
      const s = await space(A);
      const token = (await as(A).post(`/spaces/${s}/groups/token`).send({}).expect(200)).body.token;
      const g3 = await group(C, 'Other');
      expect((await as(C).post('/user/spaces/join').send({ token }).expect(400)).body.error).toBe('invalid_token');
      const userInvite = (await as(A).post(`/spaces/${s}/users/token`).send({}).expect(200)).body.token;
      expect((await as(C).post(`/groups/${g3}/spaces/join`).send({ token: userInvite }).expect(400)).body.error).toBe('invalid_token');
      await joinGroup(g3, C, B);
      await as(B).post(`/groups/${g3}/spaces/join`).send({ token }).expect(403);
      const res = await as(C).post(`/groups/${g3}/spaces/join`).send({ token }).expect(201);
      expect(res.headers.location).toBe(`${PREFIX}/groups/${g3}/spaces/${s}`);
      expect(sorted((await as(A).get(`/spaces/${s}/groups/${g3}/privileges`).expect(200)).body.privileges)).toEqual(sorted(M4));
      await as(C).get(`/spaces/${s}`).expect(200);
    });

    it('43, 44: a group creates a space; its creator owns it', async () => {
      const { A, B, D } = await users();
      const g = await group(A);
      const res = await as(A).post(`/groups/${g}/spaces`).send({ name: 'GS' }).expect(201);
      const s2 = idFrom(res.headers.location);
      expect(res.headers.location).toBe(`${PREFIX}/groups/${g}/spaces/${s2}`);
      expect((await as(A).get(`/spaces/${s2}/owners`).expect(200)).body).toEqual({ users: [A.userId] });
      expect(sorted((await as(A).get(`/spaces/${s2}/groups/${g}/privileges`).expect(200)).body.privileges)).toEqual(sorted(ALL39));
      expect(sorted((await as(A).get(`/spaces/${s2}/users/${A.userId}/privileges`).expect(200)).body.privileges)).toEqual(sorted(ALL39));
      expect((await as(A).get(`/groups/${g}/spaces/${s2}`).expect(200)).body.spaceId).toBe(s2);
      expect((await as(A).get(`/groups/${g}/effective_spaces`).expect(200)).body).toEqual({ spaces: [s2] });
      await joinGroup(g, A, B);
      await as(B).post(`/groups/${g}/spaces`).send({ name: 'GS' }).expect(403);
      await as(D).post(`/groups/${g}/spaces`).send({ name: 'GS' }).expect(404);
    });

    it('45: a space creates a group', async () => {
      const { A } = await users();
      const s = await space(A);
      const res = await as(A).post(`/spaces/${s}/groups`).send({ name: 'New group' }).expect(201);
      const ng = idFrom(res.headers.location);
      expect(res.headers.location).toBe(`${PREFIX}/spaces/${s}/groups/${ng}`);
      expect(ng).toMatch(HEX32);
      expect(sorted((await as(A).get(`/groups/${ng}/users/${A.userId}/privileges`).expect(200)).body.privileges)).toEqual(sorted(ALL23));
      expect(sorted((await as(A).get(`/spaces/${s}/groups/${ng}/privileges`).expect(200)).body.privileges)).toEqual(sorted(M4));
    });

    it('46: PUT /spaces/{id}/users/{uid}, only for oneself', async () => {
      const { A, B, C } = await users();
      const [s, g] = [await space(A), await group(A)];
      await groupInSpace(s, g, A, { privileges: [...M4, 'space_add_user'] });
      await joinGroup(g, A, B);
      await as(B)
        .put(`/spaces/${s}/users/${B.userId}`)
        .send({ privileges: ['space_view'] })
        .expect(403);
      const res = await as(B).put(`/spaces/${s}/users/${B.userId}`).expect(201);
      expect(res.headers.location).toBe(`${PREFIX}/spaces/${s}/users/${B.userId}`);
      expect(sorted((await as(A).get(`/spaces/${s}/users/${B.userId}/privileges`).expect(200)).body.privileges)).toEqual(sorted(M4));
      await as(B).put(`/spaces/${s}/users/${B.userId}`).expect(409);
      await as(A).put(`/spaces/${s}/users/${C.userId}`).expect(403);
    });

    it('the administrator adds any user or group to any space', async () => {
      const { A, B, C } = await users();
      const admin = { token: t.env.ADMIN_TOKEN };
      const [s, g] = [await space(A), await group(C)];
      const res = await as(admin)
        .put(`/spaces/${s}/users/${B.userId}`)
        .send({ privileges: ['space_view'] })
        .expect(201);
      expect(res.headers.location).toBe(`${PREFIX}/spaces/${s}/users/${B.userId}`);
      expect((await as(A).get(`/spaces/${s}/users/${B.userId}/privileges`).expect(200)).body).toEqual({ privileges: ['space_view'] });
      expect((await as(A).get(`/spaces/${s}/owners`).expect(200)).body).toEqual({ users: [A.userId] });
      await as(admin).put(`/spaces/${s}/users/${B.userId}`).expect(409);
      await as(admin).put(`/spaces/${s}/users/nobody00000000000000000000000000`).expect(404);
      await as(admin).put(`/spaces/00000000000000000000000000000000/users/${B.userId}`).expect(404);
      await as(admin).put(`/spaces/${s}/groups/${g}`).expect(201);
      await as(C).get(`/spaces/${s}`).expect(200);
      await as(admin).put(`/spaces/${s}/groups/00000000000000000000000000000000`).expect(404);
      // The administrator reads any space too.
      await as(admin).get(`/spaces/${s}`).expect(200);
    });

    it('47: the privilege levels', async () => {
      const { A } = await users();
      const levels = (await as(A).get('/spaces/privileges').expect(200)).body;
      expect(sorted(levels.member)).toEqual(sorted(M4));
      expect(sorted(levels.manager)).toEqual(sorted(MGR25));
      expect(sorted(levels.admin)).toEqual(sorted(ALL39));
      const group = (await as(A).get('/groups/privileges').expect(200)).body;
      expect(group).toEqual({ member: ['group_view'], manager: GMGR12, admin: ALL23 });
    });
  });

  describe('owners with groups', () => {
    it('54: an effective-only member made owner becomes a direct member with all 39; a non-member cannot', async () => {
      const { A, C, D } = await users();
      const [s, g] = [await space(A), await group(A)];
      await joinGroup(g, A, C);
      await groupInSpace(s, g, A);
      await as(A).put(`/spaces/${s}/owners/${C.userId}`).expect(204);
      expect((await as(A).get(`/spaces/${s}/users`).expect(200)).body.users).toContain(C.userId);
      expect(sorted((await as(A).get(`/spaces/${s}/users/${C.userId}/privileges`).expect(200)).body.privileges)).toEqual(sorted(ALL39));
      expect((await as(A).put(`/spaces/${s}/owners/${D.userId}`).expect(400)).body.error).toBe('invalid_request');
    });

    it('56, 57: the last owner stays while users reach the space through groups; may leave once they are gone', async () => {
      const { A, B } = await users();
      const [s, g] = [await space(A), await group(A)];
      await joinGroup(g, A, B);
      await groupInSpace(s, g, A);
      await as(A).delete(`/user/spaces/${s}`).expect(400);
      expect((await as(A).get(`/spaces/${s}/owners`).expect(200)).body).toEqual({ users: [A.userId] });

      const s2 = await space(A);
      const g0 = await group(A);
      await groupInSpace(s2, g0, A);
      await as(A).delete(`/user/groups/${g0}`).expect(204);
      await as(A).delete(`/user/spaces/${s2}`).expect(204);
      await as(A).get(`/spaces/${s2}`).expect(404);
    });

    it('58-60: the first user into an ownerless space owns it; a group never does', async () => {
      const { A, B, C } = await users();
      const ownerless = async () => {
        const [s, g] = [await space(A), await group(A)];
        await groupInSpace(s, g, A, { privileges: [...M4, 'space_add_user', 'space_add_group'] });
        await as(A).delete(`/user/spaces/${s}`).expect(204);
        expect((await as(A).get(`/spaces/${s}/owners`).expect(200)).body).toEqual({ users: [] });
        return s;
      };
      const s1 = await ownerless();
      await as(A).put(`/spaces/${s1}/users/${A.userId}`).expect(201);
      expect((await as(A).get(`/spaces/${s1}/owners`).expect(200)).body).toEqual({ users: [A.userId] });
      expect(sorted((await as(A).get(`/spaces/${s1}/users/${A.userId}/privileges`).expect(200)).body.privileges)).toEqual(sorted(M4));

      const s2 = await ownerless();
      await joinSpace(s2, A, B);
      expect((await as(A).get(`/spaces/${s2}/owners`).expect(200)).body).toEqual({ users: [B.userId] });
      await as(A).put(`/spaces/${s2}/users/${A.userId}`).expect(201);
      expect((await as(A).get(`/spaces/${s2}/owners`).expect(200)).body).toEqual({ users: [B.userId] });

      const s3 = await ownerless();
      const token = (await as(A).post(`/spaces/${s3}/groups/token`).send({}).expect(200)).body.token;
      const g3 = await group(C);
      await as(C).post(`/groups/${g3}/spaces/join`).send({ token }).expect(201);
      expect((await as(A).get(`/spaces/${s3}/owners`).expect(200)).body).toEqual({ users: [] });
    });
  });

  describe('validation and deletion', () => {
    it('62: privilege patches of a group in a space are validated', async () => {
      const { A } = await users();
      const [s, g, g0] = [await space(A), await group(A), await group(A)];
      await groupInSpace(s, g, A);
      await as(A)
        .patch(`/spaces/${s}/groups/${g}/privileges`)
        .send({ grant: ['space_fly'] })
        .expect(400);
      await as(A).patch(`/spaces/${s}/groups/${g}/privileges`).send({}).expect(400);
      await as(A)
        .patch(`/spaces/${s}/groups/${g}/privileges`)
        .send({ grant: ['space_view'], revoke: ['space_view'] })
        .expect(400);
      await as(A)
        .patch(`/spaces/${s}/groups/${g0}/privileges`)
        .send({ grant: ['space_view'] })
        .expect(404);
    });

    it('63: deleting a group removes the access it gave and voids its invites', async () => {
      const { A, B } = await users();
      const [s, g] = [await space(A), await group(A)];
      await joinGroup(g, A, B);
      await groupInSpace(s, g, A);
      const invite = (await as(A).post(`/groups/${g}/users/token`).send({}).expect(200)).body.token;
      await as(A).delete(`/groups/${g}`).expect(204);
      await as(B).get(`/spaces/${s}`).expect(404);
      expect((await as(A).get(`/spaces/${s}/groups`).expect(200)).body).toEqual({ groups: [] });
      expect((await as(B).post('/user/groups/join').send({ token: invite }).expect(400)).body.error).toBe('invalid_token');
    });

    it('deleting a middle group of a chain cuts what came through it', async () => {
      const { A, C } = await users();
      const [s, g1, g2, g3] = [await space(A), await group(A), await group(A), await group(A)];
      await nest(g1, g2, A);
      await nest(g2, g3, A);
      await joinGroup(g3, A, C);
      await groupInSpace(s, g1, A);
      await as(C).get(`/spaces/${s}`).expect(200);
      await as(A).delete(`/groups/${g2}`).expect(204);
      await as(C).get(`/spaces/${s}`).expect(404);
      expect((await as(A).get(`/groups/${g1}/effective_children`).expect(200)).body).toEqual({ groups: [] });
      expect((await as(A).get(`/spaces/${s}/effective_groups`).expect(200)).body).toEqual({ groups: [g1] });
    });

    it('64: deleting a space removes it from its groups', async () => {
      const { A } = await users();
      const [s, g] = [await space(A), await group(A)];
      await groupInSpace(s, g, A);
      await as(A).delete(`/spaces/${s}`).expect(204);
      expect((await as(A).get(`/groups/${g}/spaces`).expect(200)).body).toEqual({ spaces: [] });
    });
  });
});
