import { EffectiveMemberships } from '../../src/access/effective-membership.repository.js';
import { GROUP_PRIVILEGES, SPACE_PRIVILEGES, SpacePrivileges, type SpacePrivilege } from '../../src/access/privileges.js';
import { Factories, api, idFrom } from '../support/factories.js';
import { disposeEnv, startApp, testEnv, type TestApp } from '../support/test-app.js';

type User = { userId: string; token: string };
type Res = { status: number; text: string };

/** A small deterministic generator (mulberry32), so that a failing round can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const SEED = Number(process.env.GROUPS_CONCURRENCY_SEED ?? 7_331);

/** Changes to the group graph racing each other: the graph stays acyclic and the effective memberships right. */
describe(`group graph under concurrent changes (seed ${SEED})`, () => {
  let t: TestApp;
  let effective: EffectiveMemberships;
  let A: User;
  let others: User[];

  beforeAll(async () => {
    t = await startApp(await testEnv());
    effective = t.app.get(EffectiveMemberships);
    const f = new Factories(t.http, t.env.ADMIN_TOKEN);
    A = await f.user('Creator');
    others = [await f.user('User 1'), await f.user('User 2'), await f.user('User 3')];
  });

  afterAll(async () => {
    await t?.close();
    if (t) await disposeEnv(t.env);
  });

  const as = (who: User) => api(t.http, who.token);
  const settle = async (req: PromiseLike<{ status: number; text: string }>): Promise<Res> => {
    const res = await req;
    return { status: res.status, text: res.text };
  };

  async function group(name = 'Group'): Promise<string> {
    return idFrom((await as(A).post('/user/groups').send({ name }).expect(201)).headers.location);
  }

  async function space(name = 'Space'): Promise<string> {
    return idFrom((await as(A).post('/user/spaces').send({ name }).expect(201)).headers.location);
  }

  async function groupInvite(groupId: string): Promise<string> {
    return (await as(A).post(`/groups/${groupId}/users/token`).send({}).expect(200)).body.token;
  }

  /** The direct parent → child edges, and a cycle among them if there is one. */
  async function cycleInGraph(): Promise<string[] | null> {
    const rows = await t.prisma.$queryRawUnsafe<{ parent_id: string; child_id: string }[]>(
      'SELECT parent_id, child_id FROM group_children',
    );
    const next = new Map<string, string[]>();
    for (const r of rows) next.set(r.parent_id, [...(next.get(r.parent_id) ?? []), r.child_id]);
    const state = new Map<string, 'open' | 'done'>();
    const visit = (g: string, path: string[]): string[] | null => {
      if (state.get(g) === 'open') return [...path, g];
      if (state.get(g) === 'done') return null;
      state.set(g, 'open');
      for (const c of next.get(g) ?? []) {
        const found = visit(c, [...path, g]);
        if (found) return found;
      }
      state.set(g, 'done');
      return null;
    };
    for (const g of next.keys()) {
      const found = visit(g, []);
      if (found) return found;
    }
    return null;
  }

  async function consistent(): Promise<void> {
    expect(await cycleInGraph()).toBeNull();
    expect(await effective.differences()).toEqual([]);
  }

  it('two groups nested under each other at once: one nesting wins, the other is a 400 cycle', async () => {
    const [x, y] = [await group('Group X'), await group('Group Y')];
    const seen = new Map<string, number>();
    for (let round = 0; round < 15; round++) {
      // Alternate which request is sent first.
      const [first, second] =
        round % 2 === 0
          ? [
              [x, y],
              [y, x],
            ]
          : [
              [y, x],
              [x, y],
            ];
      const answers = await Promise.all([
        settle(as(A).put(`/groups/${first[0]}/children/${first[1]}`).send({})),
        settle(as(A).put(`/groups/${second[0]}/children/${second[1]}`).send({})),
      ]);
      const statuses = answers.map((r) => r.status);
      expect([round, [...statuses].sort()]).toEqual([round, [201, 400]]);
      for (const r of answers) if (r.status === 400) expect(JSON.parse(r.text).error).toBe('invalid_request');
      const won = answers[0].status === 201 ? first : second;
      seen.set(won.join('>'), (seen.get(won.join('>')) ?? 0) + 1);
      // Exactly the winning edge is there.
      expect((await as(A).get(`/groups/${won[0]}/children`).expect(200)).body.groups).toEqual([won[1]]);
      expect((await as(A).get(`/groups/${won[1]}/children`).expect(200)).body.groups).toEqual([]);
      await consistent();
      await as(A).delete(`/groups/${won[0]}/children/${won[1]}`).expect(204);
    }
    await consistent();
  });

  it('three groups nested in a ring at once: never a cycle', async () => {
    const g = [await group('Ring 0'), await group('Ring 1'), await group('Ring 2')];
    for (let round = 0; round < 8; round++) {
      const answers = await Promise.all(
        g.map((p, i) =>
          settle(
            as(A)
              .put(`/groups/${p}/children/${g[(i + 1) % 3]}`)
              .send({}),
          ),
        ),
      );
      const statuses = answers.map((r) => r.status).sort();
      expect([round, statuses]).toEqual([round, [201, 201, 400]]);
      await consistent();
      for (const [i, r] of answers.entries())
        if (r.status === 201)
          await as(A)
            .delete(`/groups/${g[i]}/children/${g[(i + 1) % 3]}`)
            .expect(204);
    }
  });

  it('20 mixed changes at once over a shared graph: 2xx or 4xx, and the effective memberships stay right', async () => {
    const rnd = random(SEED);
    const pickOf = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
    const subset = <P>(all: readonly P[]): P[] => all.filter(() => rnd() < 0.15);
    const groups = [
      await group('Shared 0'),
      await group('Shared 1'),
      await group('Shared 2'),
      await group('Shared 3'),
      await group('Shared 4'),
    ];
    const spaces = [await space('Shared 0'), await space('Shared 1')];
    const counts = new Map<string, number>();

    for (let round = 0; round < 6; round++) {
      // Invites are minted first (one per join), so that only the changes race.
      const plan: { name: string; allowed: number[]; send: () => PromiseLike<{ status: number; text: string }> }[] = [];
      for (let i = 0; i < 20; i++) {
        const [g, h, s, u] = [pickOf(groups), pickOf(groups), pickOf(spaces), pickOf(others)];
        const kind = pickOf([
          'join',
          'leave',
          'nest',
          'nest',
          'unnest',
          'addToSpace',
          'removeFromSpace',
          'patchSpaceGroup',
          'patchChild',
          'patchUser',
          'joinSpace',
          'leaveSpace',
        ]);
        switch (kind) {
          case 'join': {
            const token = await groupInvite(g);
            plan.push({ name: kind, allowed: [201, 409], send: () => as(u).post('/user/groups/join').send({ token }) });
            break;
          }
          case 'leave':
            plan.push({ name: kind, allowed: [204, 404], send: () => as(u).delete(`/user/groups/${g}`) });
            break;
          case 'nest':
            plan.push({
              name: kind,
              allowed: [201, 400, 409],
              send: () =>
                as(A)
                  .put(`/groups/${g}/children/${h}`)
                  .send({ privileges: subset(GROUP_PRIVILEGES) }),
            });
            break;
          case 'unnest':
            plan.push({ name: kind, allowed: [204, 404], send: () => as(A).delete(`/groups/${g}/children/${h}`) });
            break;
          case 'addToSpace':
            plan.push({
              name: kind,
              allowed: [201, 409],
              send: () =>
                as(A)
                  .put(`/spaces/${s}/groups/${g}`)
                  .send({ privileges: subset(SPACE_PRIVILEGES) }),
            });
            break;
          case 'removeFromSpace':
            plan.push({ name: kind, allowed: [204, 404], send: () => as(A).delete(`/spaces/${s}/groups/${g}`) });
            break;
          case 'patchSpaceGroup':
            plan.push({
              name: kind,
              allowed: [204, 404],
              send: () =>
                as(A)
                  .patch(`/spaces/${s}/groups/${g}/privileges`)
                  .send({ grant: [pickOf(SPACE_PRIVILEGES)] }),
            });
            break;
          case 'patchChild':
            plan.push({
              name: kind,
              allowed: [204, 404],
              send: () =>
                as(A)
                  .patch(`/groups/${g}/children/${h}/privileges`)
                  .send({ revoke: [pickOf(GROUP_PRIVILEGES)] }),
            });
            break;
          case 'patchUser':
            plan.push({
              name: kind,
              allowed: [204, 404],
              send: () =>
                as(A)
                  .patch(`/groups/${g}/users/${u.userId}/privileges`)
                  .send({ grant: [pickOf(GROUP_PRIVILEGES)] }),
            });
            break;
          case 'joinSpace': {
            const token = (await as(A).post(`/spaces/${s}/users/token`).send({}).expect(200)).body.token;
            plan.push({ name: kind, allowed: [201, 409], send: () => as(u).post('/user/spaces/join').send({ token }) });
            break;
          }
          case 'leaveSpace':
            plan.push({ name: kind, allowed: [204, 404], send: () => as(u).delete(`/user/spaces/${s}`) });
            break;
        }
      }
      const answers = await Promise.all(plan.map((p) => settle(p.send())));
      const unexpected = answers
        .map((r, i) => ({ round, op: plan[i].name, status: r.status, text: r.text, allowed: plan[i].allowed }))
        .filter((a) => !a.allowed.includes(a.status));
      expect(unexpected).toEqual([]);
      for (const [i, r] of answers.entries())
        counts.set(`${plan[i].name} ${r.status}`, (counts.get(`${plan[i].name} ${r.status}`) ?? 0) + 1);
      await consistent();
    }
    // The rounds did change things.
    expect([...counts.keys()].filter((k) => / 20[14]$/.test(k)).length).toBeGreaterThan(5);
  });

  it("a user joining a group while the group is added to a space ends up in the space with the group's privileges", async () => {
    const privileges: SpacePrivilege[] = ['space_manage_qos', 'space_view', 'space_view_qos'];
    for (let round = 0; round < 8; round++) {
      const [g, s] = [await group(`Joined ${round}`), await space(`Joined ${round}`)];
      const u = others[round % others.length];
      const token = await groupInvite(g);
      const answers = await Promise.all(
        round % 2 === 0
          ? [settle(as(u).post('/user/groups/join').send({ token })), settle(as(A).put(`/spaces/${s}/groups/${g}`).send({ privileges }))]
          : [settle(as(A).put(`/spaces/${s}/groups/${g}`).send({ privileges })), settle(as(u).post('/user/groups/join').send({ token }))],
      );
      expect([round, answers.map((r) => r.status)]).toEqual([round, [201, 201]]);
      expect((await as(A).get(`/spaces/${s}/effective_users`).expect(200)).body.users).toEqual([A.userId, u.userId].sort());
      expect((await as(A).get(`/spaces/${s}/effective_users/${u.userId}/privileges`).expect(200)).body.privileges).toEqual(
        SpacePrivileges.list(privileges),
      );
      expect((await as(u).get(`/spaces/${s}/effective_users/${u.userId}/membership`).expect(200)).body.intermediaries).toEqual([
        { type: 'group', id: g },
      ]);
      await consistent();
    }
  });

  it('a user joining a child while it is nested and its parent added to a space: in the space through the parent', async () => {
    const privileges: SpacePrivilege[] = ['space_read_data', 'space_view', 'space_write_data', 'space_add_user'];
    for (let round = 0; round < 6; round++) {
      const [child, parent, s] = [await group(`Child ${round}`), await group(`Parent ${round}`), await space(`Nested ${round}`)];
      const u = others[round % others.length];
      const token = await groupInvite(child);
      const sends = [
        () => as(u).post('/user/groups/join').send({ token }),
        () => as(A).put(`/groups/${parent}/children/${child}`).send({}),
        () => as(A).put(`/spaces/${s}/groups/${parent}`).send({ privileges }),
      ];
      const order = [round % 3, (round + 1) % 3, (round + 2) % 3];
      const answers = await Promise.all(order.map((i) => settle(sends[i]())));
      expect([round, answers.map((r) => r.status)]).toEqual([round, [201, 201, 201]]);
      expect((await as(A).get(`/spaces/${s}/effective_users`).expect(200)).body.users).toEqual([A.userId, u.userId].sort());
      expect((await as(A).get(`/spaces/${s}/effective_users/${u.userId}/privileges`).expect(200)).body.privileges).toEqual(
        SpacePrivileges.list(privileges),
      );
      expect((await as(A).get(`/groups/${parent}/effective_users`).expect(200)).body.users).toEqual([A.userId, u.userId].sort());
      await consistent();
    }
  });

  it('a user leaving a group while the group is added to a space is not left in the space', async () => {
    for (let round = 0; round < 6; round++) {
      const [g, s] = [await group(`Left ${round}`), await space(`Left ${round}`)];
      const u = others[round % others.length];
      await as(u)
        .post('/user/groups/join')
        .send({ token: await groupInvite(g) })
        .expect(201);
      const answers = await Promise.all([
        settle(as(u).delete(`/user/groups/${g}`)),
        settle(as(A).put(`/spaces/${s}/groups/${g}`).send({})),
      ]);
      expect([round, answers.map((r) => r.status)]).toEqual([round, [204, 201]]);
      expect((await as(A).get(`/spaces/${s}/effective_users`).expect(200)).body.users).toEqual([A.userId]);
      await as(A).get(`/spaces/${s}/effective_users/${u.userId}/privileges`).expect(404);
      await consistent();
    }
  });
});
