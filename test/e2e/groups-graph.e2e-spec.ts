import fc from 'fast-check';
import { EffectiveMemberships } from '../../src/access/effective-membership.repository.js';
import {
  GROUP_PRIVILEGES,
  GroupPrivileges,
  SPACE_PRIVILEGES,
  SpacePrivileges,
  type GroupPrivilege,
  type SpacePrivilege,
} from '../../src/access/privileges.js';
import { Factories, api, idFrom } from '../support/factories.js';
import { disposeEnv, startApp, testEnv, type TestApp } from '../support/test-app.js';

/**
 * Random sequences of changes to the group graph (users in groups, groups in
 * groups, groups in spaces, users in spaces, privileges, deletions), with the
 * effective memberships checked after every step: against a recomputation
 * from scratch (differences()), and through the API against the last-hop rule
 * computed here from a model of the direct relations.
 *
 * Set GROUPS_GRAPH_SEED to replay a failure with another seed.
 */
const SEED = Number(process.env.GROUPS_GRAPH_SEED ?? 20_240_611);
const RUNS = 25;
const MAX_COMMANDS = 25;
const USERS = 4; // A (index 0), who creates everything and stays a direct owner, and three others
const GROUPS = 5;
const SPACES = 2;

type User = { userId: string; token: string };

// ---- the model: direct relations, and the effective ones computed from them -----------------

interface Model {
  groups: string[]; // slot → group id
  spaces: string[];
  groupUsers: Map<string, Map<string, bigint>>; // group → user → group privileges
  children: Map<string, Map<string, bigint>>; // parent → child → group privileges
  spaceGroups: Map<string, Map<string, bigint>>; // space → group → space privileges
  spaceUsers: Map<string, Map<string, { privileges: bigint; owner: boolean }>>;
}

const edges = <V>(m: Map<string, Map<string, V>>, key: string): Map<string, V> => {
  let inner = m.get(key);
  if (!inner) m.set(key, (inner = new Map()));
  return inner;
};

function descendants(m: Model, g: string, seen = new Set<string>()): Set<string> {
  for (const c of edges(m.children, g).keys()) {
    if (!seen.has(c)) {
      seen.add(c);
      descendants(m, c, seen);
    }
  }
  return seen;
}

/** effPriv(U in G) = direct(U,G) ∪ ⋃ priv(C,G) over direct children C of G with U effective in C. */
function groupEffUsers(m: Model, g: string, memo = new Map<string, Map<string, bigint>>()): Map<string, bigint> {
  const known = memo.get(g);
  if (known) return known;
  const result = new Map(edges(m.groupUsers, g));
  for (const [c, hop] of edges(m.children, g)) {
    for (const u of groupEffUsers(m, c, memo).keys()) result.set(u, (result.get(u) ?? 0n) | hop);
  }
  memo.set(g, result);
  return result;
}

interface Effective {
  privileges: bigint;
  via: string[];
  direct: boolean;
}

/** effPriv(U in S) = direct(U,S) ∪ ⋃ priv(G,S) over direct groups G of S with U effective in G; all for an owner. */
function spaceEffUsers(m: Model, s: string): Map<string, Effective> {
  const memo = new Map<string, Map<string, bigint>>();
  const result = new Map<string, Effective>();
  for (const [u, d] of edges(m.spaceUsers, s)) {
    result.set(u, { privileges: d.owner ? SpacePrivileges.allMask : d.privileges, via: [], direct: true });
  }
  for (const [g, hop] of [...edges(m.spaceGroups, s)].sort(([a], [b]) => (a < b ? -1 : 1))) {
    for (const u of groupEffUsers(m, g, memo).keys()) {
      const e = result.get(u) ?? { privileges: 0n, via: [], direct: false };
      e.privileges |= hop;
      e.via.push(g);
      result.set(u, e);
    }
  }
  for (const [u, d] of edges(m.spaceUsers, s)) if (d.owner) result.get(u)!.privileges = SpacePrivileges.allMask;
  return result;
}

function forgetGroup(m: Model, g: string): void {
  m.groupUsers.delete(g);
  m.children.delete(g);
  for (const inner of m.children.values()) inner.delete(g);
  for (const inner of m.spaceGroups.values()) inner.delete(g);
}

// ---- the commands ----------------------------------------------------------------------------

const userIx = fc.integer({ min: 1, max: USERS - 1 });
const groupIx = fc.integer({ min: 0, max: GROUPS - 1 });
const spaceIx = fc.integer({ min: 0, max: SPACES - 1 });
/** Mostly small subsets (so that unions tell something), sometimes any. */
const subset = <P>(all: readonly P[]) =>
  fc.oneof({ arbitrary: fc.subarray([...all], { maxLength: 4 }), weight: 3 }, { arbitrary: fc.subarray([...all]), weight: 1 });
const gPrivs = subset<GroupPrivilege>(GROUP_PRIVILEGES);
const sPrivs = subset<SpacePrivilege>(SPACE_PRIVILEGES);
const gChange = fc.record({ grant: gPrivs, revoke: gPrivs });
const sChange = fc.record({ grant: sPrivs, revoke: sPrivs });

/** Most changes to an existing relation pick one of those there are (the n-th, modulo); the rest, any indices. */
const pick = fc.option(fc.nat(), { freq: 4, nil: undefined });

const command = fc.oneof(
  { arbitrary: fc.record({ k: fc.constant('joinGroup' as const), u: userIx, g: groupIx, privileges: gPrivs }), weight: 4 },
  { arbitrary: fc.record({ k: fc.constant('leaveGroup' as const), u: userIx, g: groupIx, pick, byAdmin: fc.boolean() }), weight: 2 },
  {
    arbitrary: fc.record({ k: fc.constant('nest' as const), p: groupIx, c: groupIx, privileges: fc.option(gPrivs, { nil: undefined }) }),
    weight: 6,
  },
  { arbitrary: fc.record({ k: fc.constant('unnest' as const), p: groupIx, c: groupIx, pick, fromChild: fc.boolean() }), weight: 2 },
  {
    arbitrary: fc.record({
      k: fc.constant('addToSpace' as const),
      s: spaceIx,
      g: groupIx,
      privileges: fc.option(sPrivs, { nil: undefined }),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({ k: fc.constant('removeFromSpace' as const), s: spaceIx, g: groupIx, pick, fromGroup: fc.boolean() }),
    weight: 2,
  },
  { arbitrary: fc.record({ k: fc.constant('patchGroupUser' as const), g: groupIx, u: userIx, pick, change: gChange }), weight: 2 },
  { arbitrary: fc.record({ k: fc.constant('patchChild' as const), p: groupIx, c: groupIx, pick, change: gChange }), weight: 3 },
  { arbitrary: fc.record({ k: fc.constant('patchSpaceGroup' as const), s: spaceIx, g: groupIx, pick, change: sChange }), weight: 3 },
  { arbitrary: fc.record({ k: fc.constant('joinSpace' as const), u: userIx, s: spaceIx, privileges: sPrivs }), weight: 2 },
  { arbitrary: fc.record({ k: fc.constant('leaveSpace' as const), u: userIx, s: spaceIx, pick }), weight: 1 },
  { arbitrary: fc.record({ k: fc.constant('patchSpaceUser' as const), s: spaceIx, u: userIx, pick, change: sChange }), weight: 1 },
  { arbitrary: fc.record({ k: fc.constant('deleteGroup' as const), g: groupIx }), weight: 1 },
);
type Command = typeof command extends fc.Arbitrary<infer C> ? C : never;

describe(`group graph: effective memberships after random changes (seed ${SEED})`, () => {
  let t: TestApp;
  let users: User[];
  let effective: EffectiveMemberships;
  let steps = 0;

  beforeAll(async () => {
    t = await startApp(await testEnv());
    effective = t.app.get(EffectiveMemberships);
    const f = new Factories(t.http, t.env.ADMIN_TOKEN);
    users = [];
    for (let i = 0; i < USERS; i++) users.push(await f.user(i === 0 ? 'User A' : `User ${i}`));
  });

  afterAll(async () => {
    await t?.close();
    if (t) await disposeEnv(t.env);
  });

  const A = () => users[0];
  const as = (who: User) => api(t.http, who.token);

  async function newGroup(slot: number): Promise<string> {
    const res = await as(A())
      .post('/user/groups')
      .send({ name: `Group ${slot}` })
      .expect(201);
    return idFrom(res.headers.location);
  }

  async function universe(): Promise<Model> {
    const m: Model = { groups: [], spaces: [], groupUsers: new Map(), children: new Map(), spaceGroups: new Map(), spaceUsers: new Map() };
    for (let i = 0; i < GROUPS; i++) {
      const g = await newGroup(i);
      m.groups.push(g);
      edges(m.groupUsers, g).set(A().userId, GroupPrivileges.allMask);
    }
    for (let i = 0; i < SPACES; i++) {
      const res = await as(A())
        .post('/user/spaces')
        .send({ name: `Space ${i}` })
        .expect(201);
      const s = idFrom(res.headers.location);
      m.spaces.push(s);
      edges(m.spaceUsers, s).set(A().userId, { privileges: SpacePrivileges.allMask, owner: true });
    }
    return m;
  }

  const changeMasks = <P extends string>(catalogue: { mask(p: Iterable<P>): bigint }, change: { grant: P[]; revoke: P[] }) => {
    const revoke = change.revoke.filter((p) => !change.grant.includes(p));
    return {
      body: { grant: change.grant, revoke },
      grant: catalogue.mask(change.grant),
      revoke: catalogue.mask(revoke),
      empty: change.grant.length + revoke.length === 0,
    };
  };

  /** The command with `pick` turned into the indices of an existing relation, when there is one. */
  function resolve(m: Model, c: Command): Command {
    if (!('pick' in c) || c.pick === undefined) return c;
    const n = c.pick;
    const choose = <T>(candidates: T[], use: (x: T) => Command): Command =>
      candidates.length === 0 ? { ...c, pick: undefined } : use(candidates[n % candidates.length]);
    const pairs = <V>(rel: Map<string, Map<string, V>>, from: string[], to: string[], skip = '') =>
      from.flatMap((x, i) => to.flatMap((y, j) => (y !== skip && edges(rel, x).has(y) ? [[i, j] as const] : [])));
    const ids = users.map((u) => u.userId);
    switch (c.k) {
      case 'leaveGroup':
      case 'patchGroupUser':
        return choose(pairs(m.groupUsers, m.groups, ids, A().userId), ([g, u]) => ({ ...c, g, u, pick: undefined }));
      case 'unnest':
      case 'patchChild':
        return choose(pairs(m.children, m.groups, m.groups), ([p, ch]) => ({ ...c, p, c: ch, pick: undefined }));
      case 'removeFromSpace':
      case 'patchSpaceGroup':
        return choose(pairs(m.spaceGroups, m.spaces, m.groups), ([sp, g]) => ({ ...c, s: sp, g, pick: undefined }));
      case 'leaveSpace':
      case 'patchSpaceUser':
        return choose(pairs(m.spaceUsers, m.spaces, ids, A().userId), ([sp, u]) => ({ ...c, s: sp, u, pick: undefined }));
    }
    return c;
  }

  /** Runs one command through the API, checks its status against the model, and updates the model. */
  async function apply(m: Model, c: Command): Promise<number> {
    const a = as(A());
    switch (c.k) {
      case 'joinGroup': {
        const g = m.groups[c.g];
        const u = users[c.u];
        const { token } = (await a.post(`/groups/${g}/users/token`).send({ privileges: c.privileges }).expect(200)).body;
        const member = edges(m.groupUsers, g).has(u.userId);
        const res = await as(u).post('/user/groups/join').send({ token });
        expect(res.status).toBe(member ? 409 : 201);
        if (!member) edges(m.groupUsers, g).set(u.userId, GroupPrivileges.mask(c.privileges));
        return res.status;
      }
      case 'leaveGroup': {
        const g = m.groups[c.g];
        const u = users[c.u];
        const member = edges(m.groupUsers, g).has(u.userId);
        const res = c.byAdmin ? await a.delete(`/groups/${g}/users/${u.userId}`) : await as(u).delete(`/user/groups/${g}`);
        expect(res.status).toBe(member ? 204 : 404);
        edges(m.groupUsers, g).delete(u.userId);
        return res.status;
      }
      case 'nest': {
        const [p, ch] = [m.groups[c.p], m.groups[c.c]];
        const exists = edges(m.children, p).has(ch);
        const cycle = p === ch || descendants(m, ch).has(p);
        const res = await a.put(`/groups/${p}/children/${ch}`).send(c.privileges === undefined ? {} : { privileges: c.privileges });
        expect(res.status).toBe(exists ? 409 : cycle ? 400 : 201);
        if (res.status === 201) {
          edges(m.children, p).set(ch, c.privileges === undefined ? GroupPrivileges.memberMask : GroupPrivileges.mask(c.privileges));
        }
        return res.status;
      }
      case 'unnest': {
        const [p, ch] = [m.groups[c.p], m.groups[c.c]];
        const exists = edges(m.children, p).has(ch);
        const res = c.fromChild ? await a.delete(`/groups/${ch}/parents/${p}`) : await a.delete(`/groups/${p}/children/${ch}`);
        expect(res.status).toBe(exists ? 204 : 404);
        edges(m.children, p).delete(ch);
        return res.status;
      }
      case 'addToSpace': {
        const [s, g] = [m.spaces[c.s], m.groups[c.g]];
        const exists = edges(m.spaceGroups, s).has(g);
        const res = await a.put(`/spaces/${s}/groups/${g}`).send(c.privileges === undefined ? {} : { privileges: c.privileges });
        expect(res.status).toBe(exists ? 409 : 201);
        if (!exists) {
          edges(m.spaceGroups, s).set(g, c.privileges === undefined ? SpacePrivileges.memberMask : SpacePrivileges.mask(c.privileges));
        }
        return res.status;
      }
      case 'removeFromSpace': {
        const [s, g] = [m.spaces[c.s], m.groups[c.g]];
        const exists = edges(m.spaceGroups, s).has(g);
        const res = c.fromGroup ? await a.delete(`/groups/${g}/spaces/${s}`) : await a.delete(`/spaces/${s}/groups/${g}`);
        expect(res.status).toBe(exists ? 204 : 404);
        edges(m.spaceGroups, s).delete(g);
        return res.status;
      }
      case 'patchGroupUser': {
        const [g, u] = [m.groups[c.g], users[c.u].userId];
        return patch(`/groups/${g}/users/${u}/privileges`, edges(m.groupUsers, g), u, changeMasks(GroupPrivileges, c.change));
      }
      case 'patchChild': {
        const [p, ch] = [m.groups[c.p], m.groups[c.c]];
        return patch(`/groups/${p}/children/${ch}/privileges`, edges(m.children, p), ch, changeMasks(GroupPrivileges, c.change));
      }
      case 'patchSpaceGroup': {
        const [s, g] = [m.spaces[c.s], m.groups[c.g]];
        return patch(`/spaces/${s}/groups/${g}/privileges`, edges(m.spaceGroups, s), g, changeMasks(SpacePrivileges, c.change));
      }
      case 'patchSpaceUser': {
        const [s, u] = [m.spaces[c.s], users[c.u].userId];
        const direct = edges(m.spaceUsers, s);
        const masks = new Map([...direct].map(([k, v]) => [k, v.privileges]));
        const status = await patch(`/spaces/${s}/users/${u}/privileges`, masks, u, changeMasks(SpacePrivileges, c.change));
        if (direct.has(u)) direct.get(u)!.privileges = masks.get(u)!;
        return status;
      }
      case 'joinSpace': {
        const s = m.spaces[c.s];
        const u = users[c.u];
        const { token } = (await a.post(`/spaces/${s}/users/token`).send({ privileges: c.privileges }).expect(200)).body;
        const member = edges(m.spaceUsers, s).has(u.userId);
        const res = await as(u).post('/user/spaces/join').send({ token });
        expect(res.status).toBe(member ? 409 : 201);
        if (!member) edges(m.spaceUsers, s).set(u.userId, { privileges: SpacePrivileges.mask(c.privileges), owner: false });
        return res.status;
      }
      case 'leaveSpace': {
        const s = m.spaces[c.s];
        const u = users[c.u];
        const member = edges(m.spaceUsers, s).has(u.userId);
        const res = await as(u).delete(`/user/spaces/${s}`);
        expect(res.status).toBe(member ? 204 : 404);
        edges(m.spaceUsers, s).delete(u.userId);
        return res.status;
      }
      case 'deleteGroup': {
        const g = m.groups[c.g];
        const res = await a.delete(`/groups/${g}`);
        expect(res.status).toBe(204);
        forgetGroup(m, g);
        // A new group takes its place, so that the universe keeps its size.
        const fresh = await newGroup(c.g);
        m.groups[c.g] = fresh;
        edges(m.groupUsers, fresh).set(A().userId, GroupPrivileges.allMask);
        return res.status;
      }
    }
  }

  /** PATCH …/privileges {grant, revoke} of the edge `key` in `stored`: 400 when empty, 404 without the edge. */
  async function patch(
    path: string,
    stored: Map<string, bigint>,
    key: string,
    change: { body: object; grant: bigint; revoke: bigint; empty: boolean },
  ): Promise<number> {
    const res = await as(A()).patch(path).send(change.body);
    const before = stored.get(key);
    expect(res.status).toBe(change.empty ? 400 : before === undefined ? 404 : 204);
    if (res.status === 204) stored.set(key, (before! | change.grant) & ~change.revoke);
    return res.status;
  }

  /** The materialised tables equal a recomputation, and the API answers what the model implies. */
  async function check(m: Model, thorough: boolean): Promise<void> {
    const a = as(A());
    // The reads are independent: sent together (a failing one names what it checked).
    const reads: Promise<void>[] = [effective.differences().then((d) => expect(d).toEqual([]))];
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a response body, as supertest types it
    const read = (path: string, status: number, pickOut: (body: any) => unknown, want: unknown) =>
      reads.push(
        a.get(path).then((res) => expect([path, res.status, status === 200 ? pickOut(res.body) : undefined]).toEqual([path, status, want])),
      );
    for (const s of m.spaces) {
      const want = spaceEffUsers(m, s);
      read(`/spaces/${s}/effective_users`, 200, (b) => b.users, [...want.keys()].sort());
      if (thorough) read(`/spaces/${s}/groups`, 200, (b) => b.groups, [...edges(m.spaceGroups, s).keys()].sort());
      // Every effective member's privileges (a 404 for the others, checked thoroughly: the list says who they are).
      for (const u of users) {
        const e = want.get(u.userId);
        if (!thorough && (!e || u === A())) continue;
        read(
          `/spaces/${s}/effective_users/${u.userId}/privileges`,
          e ? 200 : 404,
          (b) => b.privileges,
          e && SpacePrivileges.names(e.privileges),
        );
        if (thorough && e) {
          const via = [...e.via.map((id) => ({ type: 'group', id })), ...(e.direct ? [{ type: 'space', id: 'self' }] : [])];
          read(`/spaces/${s}/effective_users/${u.userId}/membership`, 200, (b) => b.intermediaries, via);
        }
      }
    }
    if (thorough) {
      const memo = new Map<string, Map<string, bigint>>();
      for (const g of m.groups) {
        const want = groupEffUsers(m, g, memo);
        read(`/groups/${g}/effective_users`, 200, (b) => b.users, [...want.keys()].sort());
        read(`/groups/${g}/children`, 200, (b) => b.groups, [...edges(m.children, g).keys()].sort());
        for (const [u, mask] of want)
          read(`/groups/${g}/effective_users/${u}/privileges`, 200, (b) => b.privileges, GroupPrivileges.names(mask));
      }
    }
    const results = await Promise.allSettled(reads);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  it(`keeps the effective memberships right (${RUNS} runs of up to ${MAX_COMMANDS} changes)`, async () => {
    const statuses = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: MAX_COMMANDS, size: 'max' }), async (commands) => {
        const m = await universe();
        const log: string[] = [];
        for (const [i, generated] of commands.entries()) {
          const c = resolve(m, generated);
          try {
            const status = await apply(m, c);
            log.push(`${i}: ${JSON.stringify(c)} → ${status}`);
            statuses.set(`${c.k} ${status}`, (statuses.get(`${c.k} ${status}`) ?? 0) + 1);
            steps += 1;
            await check(m, i === commands.length - 1 || c.k === 'deleteGroup');
          } catch (error) {
            log.push(`${i}: ${JSON.stringify(c)} → failed`);
            (error as Error).message = `seed ${SEED}, after\n${log.join('\n')}\n${(error as Error).message}`;
            throw error;
          }
        }
      }),
      { seed: SEED, numRuns: RUNS, interruptAfterTimeLimit: 240_000, markInterruptAsFailure: true },
    );
    // The runs reached the interesting answers (the counts are printed when they did not).
    const reached = [
      'nest 201',
      'nest 400',
      'nest 409',
      'unnest 204',
      'joinGroup 201',
      'leaveGroup 204',
      'addToSpace 201',
      'removeFromSpace 204',
      'patchSpaceGroup 204',
      'patchChild 204',
      'patchGroupUser 204',
      'joinSpace 201',
      'deleteGroup 204',
    ];
    const counts = Object.fromEntries(statuses);
    expect({ missing: reached.filter((k) => !statuses.has(k)), steps: steps > RUNS * 5, counts }).toEqual({
      missing: [],
      steps: true,
      counts,
    });
  }, 300_000);
});
