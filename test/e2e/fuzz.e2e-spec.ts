import fc from 'fast-check';
import { ERRORS } from '../../src/common/error-codes.js';
import type { CallerType } from '../../src/auth/caller.js';
import { Factories, SpaceFactories, api, idFrom } from '../support/factories.js';
import { listRoutes, type Route } from '../support/routes.js';
import { PREFIX, disposeEnv, startApp, testEnv, type TestApp } from '../support/test-app.js';

/** Every field name any route reads: generated bodies use them with values of every type. */
const FIELDS = [
  'name',
  'type',
  'token',
  'size',
  'privileges',
  'grant',
  'revoke',
  'validUntil',
  'usageLimit',
  'maxSize',
  'capacity',
  'ttl',
  'description',
  'organizationName',
  'tags',
  'advertisedInMarketplace',
  'marketplaceContactEmail',
  'accountingEnabled',
  'dirStatsServiceEnabled',
  'dirStatsServiceStatus',
  'spaceSupportParameters',
  'limit',
  'index',
  'offset',
  'contactEmail',
  'message',
  'decision',
  'rejectionReason',
  'requestId',
];

/** A space's descriptive fields, mostly well formed, so that requests reach the advertised rule and the tag check. */
const metadata = fc.record(
  {
    name: fc.constantFrom('Fuzzed space', 'Zz'),
    description: fc.oneof(fc.string({ maxLength: 50 }), fc.constant('')),
    organizationName: fc.oneof(fc.string({ maxLength: 50 }), fc.constant(''), fc.constant('o'.repeat(257))),
    tags: fc.array(fc.constantFrom('demo', 'science', 'open-data', 'troll', ''), { maxLength: 4 }),
    advertisedInMarketplace: fc.oneof(fc.boolean(), fc.constant(null)),
    marketplaceContactEmail: fc.constantFrom('', 'ops@example.org', 'x', 'a@b', null),
  },
  { requiredKeys: [] },
);

/** Support parameters, of every combination and a few wrong values. */
const supportParameters = fc.record(
  {
    accountingEnabled: fc.oneof(fc.boolean(), fc.constant(null), fc.constant('yes')),
    dirStatsServiceEnabled: fc.oneof(fc.boolean(), fc.constant(null)),
    dirStatsServiceStatus: fc.constantFrom('initializing', 'enabled', 'stopping', 'disabled', 'text', null),
  },
  { requiredKeys: [] },
);

/** Marketplace list options: in range and out, with tokens of every kind, so that most reach the list itself. */
const marketplaceList = fc.record(
  {
    limit: fc.oneof(fc.integer({ min: -2, max: 1002 }), fc.constant(null), fc.double()),
    index: fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc.constant('Owner\u0000'),
      fc.constant(null),
    ),
    token: fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.string({ unit: 'binary', maxLength: 20 }).map((x) => Buffer.from(x, 'utf8').toString('base64url')),
      fc.constantFrom('', '_w', 'A', null),
    ),
    offset: fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constant(2 ** 60), fc.constant(null), fc.constant('1')),
    tags: fc.oneof(fc.array(fc.constantFrom('demo', 'science', 'troll', ''), { maxLength: 3 }), fc.constant(null)),
  },
  { requiredKeys: [] },
);

/** Membership request submissions and resolutions, mostly well formed. */
const membershipRequest = fc.record(
  {
    contactEmail: fc.constantFrom('u@example.org', 'x', '', null),
    message: fc.oneof(fc.string({ maxLength: 50 }), fc.constant('m'.repeat(2001)), fc.constant(null)),
  },
  { requiredKeys: [] },
);
const resolution = fc.record(
  {
    decision: fc.constantFrom('grant', 'reject', 'maybe', null),
    rejectionReason: fc.oneof(fc.string({ maxLength: 50 }), fc.constant('r'.repeat(2001)), fc.constant(null)),
    requestId: fc.oneof(fc.stringMatching(/^[0-9a-f]{32}$/), fc.constant(null)),
  },
  { requiredKeys: [] },
);

const json = (value: unknown) => JSON.stringify(value) ?? 'null';

/** Bodies: any JSON, known fields of the wrong type, huge, deep, odd Unicode, prototype keys, not JSON at all. */
const bodies: fc.Arbitrary<string | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue().map(json),
  fc.dictionary(fc.constantFrom(...FIELDS), fc.jsonValue(), { maxKeys: 4 }).map(json),
  fc.record({ name: fc.string({ unit: 'binary', maxLength: 200 }) }).map(json),
  metadata.map(json),
  supportParameters.map(json),
  marketplaceList.map(json),
  membershipRequest.map(json),
  resolution.map(json),
  fc.record({ size: fc.constant(10), spaceSupportParameters: supportParameters }).map(json),
  fc
    .record({
      name: fc.string({ unit: 'grapheme', minLength: 2, maxLength: 64 }),
      size: fc.oneof(fc.bigInt().map(String), fc.double().map(json)),
    })
    .map((o) => json({ ...o, size: o.size })),
  fc.integer({ min: 1, max: 2_000_000 }).map((n) => json({ name: 'x'.repeat(n) })),
  fc.integer({ min: 1, max: 200_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
  fc.integer({ min: 1, max: 20_000 }).map((depth) => `{"name":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`),
  fc.constantFrom(
    '{"__proto__":{"admin":true,"owner":true},"name":"Proto"}',
    '{"constructor":{"prototype":{"admin":true}},"name":"Ctor"}',
    '{"name":"ab","__proto__":null}',
    '{"privileges":{"__proto__":["space_view"]}}',
    '{"grant":["__proto__"],"revoke":["constructor"]}',
  ),
  fc.string({ maxLength: 300 }),
);

const contentTypes = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/merge-patch+json',
  'application/json; charset=utf-16',
  'text/plain',
  'application/x-www-form-urlencoded',
  undefined,
);

type Credentials = Record<CallerType | 'outsider', string>;

/**
 * Authorization as a client might send it: right, wrong, malformed, oversized
 * or absent. Mostly a caller of a type the route accepts, holding every
 * privilege where it acts, so that most requests reach validation and the
 * routes themselves.
 */
function authorizations(c: Credentials, allowed: CallerType[] | undefined): fc.Arbitrary<[string, string] | undefined> {
  const visible = fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((n) => String.fromCharCode(n)), maxLength: 200 });
  const right = (allowed ?? ['user', 'provider', 'admin']).map((type) => c[type]);
  return fc.oneof(
    fc.constant(undefined),
    { arbitrary: fc.constantFrom(...right).map((t): [string, string] => ['Authorization', `Bearer ${t}`]), weight: 16 },
    {
      arbitrary: fc.constantFrom(c.user, c.provider, c.admin, c.outsider).map((t): [string, string] => ['Authorization', `Bearer ${t}`]),
      weight: 2,
    },
    fc.constantFrom(c.user, c.provider).map((t): [string, string] => ['X-Auth-Token', t]),
    visible.map((s): [string, string] => ['Authorization', s]),
    visible.map((s): [string, string] => ['Authorization', `Bearer ${s}`]),
    fc.constantFrom(c.user, c.provider).map((t): [string, string] => ['Authorization', `Bearer ${t}${'A'.repeat(9000)}`]),
    fc.constant<[string, string]>(['Authorization', 'Basic dXNlcjpwYXNz']),
  );
}

/**
 * Fuzzing from the contract: every route, generated bodies, headers and
 * content types. Never a 5xx; every error has the error body; a rejected
 * request changes nothing.
 */
describe('fuzzing every route', () => {
  let t: TestApp;
  let routes: Route[];
  let credentials: Credentials;
  /** A fresh space, owner, provider and group for each batch: the batch before may have deleted them. */
  let fixture: () => Promise<void>;
  const ids = {} as Record<'id' | 'uid' | 'pid' | 'gid' | 'rid', string>;
  let requests = 0;
  const statuses = new Map<number, number>();

  beforeAll(async () => {
    t = await startApp(await testEnv());
    const f = new Factories(t.http, t.env.ADMIN_TOKEN);
    const s = new SpaceFactories(t.http);
    fixture = async () => {
      const [owner, outsider] = [await f.user('Owner'), await f.user('Outsider')];
      const provider = await f.provider({ capacity: 1_000_000 });
      const spaceId = await s.space(owner.token);
      await s.support(spaceId, owner.token, provider.token, 1000);
      credentials = { user: owner.token, provider: provider.token, admin: t.env.ADMIN_TOKEN, outsider: outsider.token };
      // Advertised, with a pending request of the outsider's, so that the Marketplace routes reach their work.
      await api(t.http, owner.token)
        .patch(`/spaces/${spaceId}`)
        .send({ advertisedInMarketplace: true, description: 'd', organizationName: 'o', marketplaceContactEmail: 'ops@example.org' })
        .expect(204);
      const asked = await api(t.http, outsider.token)
        .post(`/spaces/marketplace/${spaceId}/request`)
        .send({ contactEmail: 'x@example.org' })
        .expect(200);
      ids.rid = asked.body.requestId;
      // The owner's own group (it holds every group privilege there), a member of the space.
      const group = await api(t.http, owner.token).post('/user/groups').send({ name: 'Fuzzed group' }).expect(201);
      const gid = idFrom(group.headers.location);
      await api(t.http, owner.token).put(`/spaces/${spaceId}/groups/${gid}`).expect(201);
      Object.assign(ids, { id: spaceId, uid: owner.userId, pid: provider.providerId, gid });
    };
    // Routes that take things away go last, so the rest meet the space as it was.
    routes = listRoutes(t.app)
      .filter((r) => !r.path.startsWith('/health'))
      .sort((a, b) => Number(a.method === 'delete') - Number(b.method === 'delete'));
  });

  afterAll(async () => {
    const stopped = (statuses.get(401) ?? 0) + (statuses.get(403) ?? 0);
    process.stdout.write(
      `fuzzing: ${requests} requests, statuses ${JSON.stringify(Object.fromEntries(statuses))}, ` +
        `${Math.round((100 * stopped) / requests)}% stopped at 401/403\n`,
    );
    await t.close();
    await disposeEnv(t.env);
  });

  /** Row counts of every table, and how often tokens were used: what a rejected request must leave alone. */
  async function state(): Promise<string> {
    const [row] = await t.prisma.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM providers) AS providers,
              (SELECT count(*) FROM spaces) AS spaces, (SELECT count(*) FROM memberships) AS memberships,
              (SELECT count(*) FROM supports) AS supports, (SELECT count(*) FROM tokens) AS tokens,
              (SELECT coalesce(sum(usage_count), 0) FROM tokens) AS used,
              (SELECT count(*) FROM tokens WHERE revoked) AS revoked,
              (SELECT string_agg(name, ',' ORDER BY id) FROM spaces) AS names,
              (SELECT string_agg(md5(description || organization_name || array_to_string(tags, ' ') || advertised_in_marketplace::text
                 || marketplace_contact_email), ',' ORDER BY id) FROM spaces) AS metadata,
              (SELECT string_agg(accounting_enabled::text || dir_stats_service_enabled::text || dir_stats_service_status::text, ','
                 ORDER BY space_id, provider_id) FROM supports) AS support_parameters,
              (SELECT string_agg(privileges::text || ' ' || owner::text, ',' ORDER BY space_id, user_id) FROM memberships) AS privileges,
              (SELECT string_agg(privileges::text || ' ' || owner::text || ' ' || direct::text || ' ' || array_to_string(via, ' '), ','
                 ORDER BY space_id, user_id) FROM space_eff_users) AS effective,
              (SELECT count(*) FROM groups) AS groups, (SELECT count(*) FROM group_users) AS group_users,
              (SELECT count(*) FROM group_children) AS group_children, (SELECT count(*) FROM space_groups) AS space_groups,
              (SELECT count(*) FROM space_eff_groups) AS space_eff_groups, (SELECT count(*) FROM group_eff_users) AS group_eff_users,
              (SELECT count(*) FROM group_eff_children) AS group_eff_children,
              (SELECT string_agg(id || status::text || contact_email || message || rejection_reason || last_activity::text, ','
                 ORDER BY id) FROM space_membership_requests) AS requests,
              (SELECT count(*) FROM idempotency_keys) AS keys, (SELECT coalesce(sum(oz_privileges), 0) FROM users) AS zone`,
    );
    return JSON.stringify(row, (_, v) => (typeof v === 'bigint' ? v.toString() : v));
  }

  const pathIds = fc.record({
    // Mostly the real one, so that requests reach the routes; sometimes an unknown or malformed id.
    id: fc.oneof({ arbitrary: fc.constant(undefined), weight: 6 }, fc.stringMatching(/^[0-9a-f]{32}$/), fc.string({ maxLength: 40 })),
  });

  const codes = Object.keys(ERRORS);

  // Ten batches of about seventeen routes each, so that a batch stays well within the test timeout on a busy machine.
  const BATCHES = 10;
  it.each([...Array(BATCHES).keys()])('batch %i: generated requests to every route', async (batch) => {
    await fixture();
    const selected = routes.filter((_, i) => i % BATCHES === batch);
    for (const route of selected) {
      await fc.assert(
        fc.asyncProperty(bodies, contentTypes, authorizations(credentials, route.callers), pathIds, async (body, type, auth, path) => {
          const own = route.path.startsWith('/groups/') ? ids.gid : ids.id;
          const id = path.id === undefined ? own : encodeURIComponent(path.id) || 'x';
          const url =
            PREFIX +
            route.path
              .replace('{id}', id)
              .replace('{uid}', ids.uid)
              .replace('{pid}', route.path.startsWith('/groups/') ? ids.gid : ids.pid)
              .replace(/\{(gid|cid)\}/, ids.gid)
              .replace('{sid}', ids.id)
              .replace('{rid}', ids.rid);
          const before = await state();
          let req = t.http[route.method](url);
          if (auth) req = req.set(auth[0], auth[1]);
          if (type !== undefined) req = req.set('Content-Type', type);
          if (body !== undefined) req = req.serialize((x: unknown) => x as string).send(body);
          const res = await req;
          requests += 1;
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status >= 500) throw new Error(`${route.method} ${url}: ${res.status} ${res.text}`);
          if (res.status >= 400) {
            expect(res.body).toEqual({ error: expect.any(String), error_description: expect.any(String) });
            expect(codes).toContain(res.body.error);
            expect(res.text).not.toMatch(/at \S+\.(ts|js):\d+|SELECT|INSERT|prisma/i);
            expect(await state()).toBe(before);
          }
        }),
        { numRuns: 60 },
      );
    }
    // No generated body reached the prototypes.
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    expect(({} as Record<string, unknown>).owner).toBeUndefined();
  });

  it('most generated requests get past authentication and authorisation to validation and the routes', () => {
    const stopped = (statuses.get(401) ?? 0) + (statuses.get(403) ?? 0);
    expect(requests).toBeGreaterThan(1000);
    expect(stopped / requests).toBeLessThan(0.5);
  });
});
