import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import macaroons from 'macaroon';
import pg from 'pg';
import type { Response } from 'supertest';
import { pgAdapter, pgliteAdapter } from '../../src/database/adapters.js';
import { embeddedDataPath } from '../../src/database/embedded.js';
import { applyMigrations, migrationNames } from '../../src/database/schema-engine.js';
import { mintV1Token } from '../../src/tokens/token-codec.js';
import { dropDatabase, migrationsUpTo, withServer } from '../support/databases.js';
import { Factories, SpaceFactories, api, tokenIdOf } from '../support/factories.js';
import { PREFIX, disposeEnv, startApp, testEnv, type TestApp, type TestEnv } from '../support/test-app.js';

type Who = { token: string };
type User = { userId: string; token: string };

const INVALID_TOKEN = { error: 'invalid_token', error_description: 'Provided token could not be validated.' };
const HEX32 = /^[0-9a-f]{32}$/;
const nowSeconds = () => Math.floor(Date.now() / 1000);
const time = (validUntil: number) => ({ type: 'time', validUntil });

/** The identifier and first-party caveats written in a serialised token. */
function macaroonOf(token: string): { identifier: string; caveats: string[] } {
  const m = macaroons.importMacaroon(new Uint8Array(Buffer.from(token, 'base64url')));
  return {
    identifier: Buffer.from(m.identifier).toString('utf8'),
    caveats: m.caveats.map((c) => Buffer.from(c.identifier).toString('utf8')),
  };
}

/** A refused bearer: 401 invalid_token, with the challenge naming the error. */
function expectBearerRefused(res: Response): void {
  expect([res.status, res.body.error]).toEqual([401, 'invalid_token']);
  expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
}

/** Every page of a list of token ids, in the order served. */
async function allIds(http: TestApp['http'], token: string, path: string): Promise<string[]> {
  const ids: string[] = [];
  let pageToken: string | undefined;
  do {
    const res = await api(http, token)
      .get(`${path}${pageToken ? `?page_token=${pageToken}` : ''}`)
      .expect(200);
    ids.push(...res.body.tokens);
    pageToken = res.body.nextPageToken;
  } while (pageToken);
  return ids;
}

/** Named and temporary tokens, their routes, and the legacy token routes beside them. */
describe('named and temporary tokens', () => {
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

  const as = (who?: Who) => api(t.http, who?.token);
  const admin = () => api(t.http, t.env.ADMIN_TOKEN);
  /** A user's token as a bearer. */
  const userBearer = (token: string) => api(t.http, token).get('/user/spaces');
  /** A provider's token as a bearer. */
  const providerBearer = (token: string) => api(t.http, token).get('/provider/spaces');
  const named = async (who: Who, body: object): Promise<{ tokenId: string; token: string }> =>
    (await as(who).post('/user/tokens/named').send(body).expect(201)).body;
  const temporary = async (who: Who, validUntil = nowSeconds() + 3600): Promise<string> =>
    (
      await as(who)
        .post('/user/tokens/temporary')
        .send({ caveats: [time(validUntil)] })
        .expect(201)
    ).body.token;
  const examine = (token: string) => t.http.post(`${PREFIX}/tokens/examine`).send({ token });

  describe('named tokens', () => {
    it('1. POST /user/tokens/named answers 201 with Location and exactly {tokenId, token}; the token works as a bearer', async () => {
      const alice = await f.user();
      const res = await as(alice).post('/user/tokens/named').send({ name: 'ci-1' }).expect(201);
      expect(res.body).toEqual({ tokenId: expect.stringMatching(HEX32), token: expect.any(String) });
      expect(res.headers.location).toBe(`${PREFIX}/tokens/named/${res.body.tokenId}`);
      const spaces = await userBearer(res.body.token).expect(200);
      expect(spaces.body).toEqual({ spaces: [] });
    });

    it('2. the same name twice for one user is 409 already_exists; another user may take it (201)', async () => {
      const [alice, bob] = [await f.user(), await f.user()];
      await named(alice, { name: 'ci-1' });
      const again = await as(alice).post('/user/tokens/named').send({ name: 'ci-1' }).expect(409);
      expect(again.body.error).toBe('already_exists');
      await as(bob).post('/user/tokens/named').send({ name: 'ci-1' }).expect(201);
    });

    it('3. a name of "x" or " ab", or none, is 400 invalid_request', async () => {
      const alice = await f.user();
      for (const body of [{ name: 'x' }, { name: ' ab' }, {}]) {
        const res = await as(alice).post('/user/tokens/named').send(body);
        expect([res.status, res.body.error]).toEqual([400, 'invalid_request']);
      }
      expect(await t.prisma.token.count({ where: { subjectId: alice.userId } })).toBe(1);
    });

    it('4. GET /user/tokens/named/name/{name} shows the subject, type, caveats, revoked, metadata and the same token; an unknown name is 404', async () => {
      const alice = await f.user();
      const created = await named(alice, { name: 'ci-1' });
      const res = await as(alice).get('/user/tokens/named/name/ci-1').expect(200);
      expect(res.body).toEqual({
        id: created.tokenId,
        name: 'ci-1',
        subject: { type: 'user', id: alice.userId },
        type: { accessToken: {} },
        caveats: [],
        metadata: { creationTime: expect.any(Number), custom: {} },
        revoked: false,
        token: created.token,
      });
      expect(Math.abs(res.body.metadata.creationTime - nowSeconds())).toBeLessThanOrEqual(5);
      const unknown = await as(alice).get('/user/tokens/named/name/ci-9').expect(404);
      expect(unknown.body.error).toBe('not_found');
    });

    it('5. GET /user/tokens/named pages with limit and page_token, ids ascending', async () => {
      const alice = await f.user(); // POST /users gave her one named token
      const second = await named(alice, { name: 'ci-1' });
      const mine = [await tokenIdOf(t.http, alice.token), second.tokenId].sort();
      const first = await as(alice).get('/user/tokens/named?limit=1').expect(200);
      expect(first.body).toEqual({ tokens: [mine[0]], nextPageToken: expect.any(String) });
      const rest = await as(alice).get(`/user/tokens/named?limit=1&page_token=${first.body.nextPageToken}`).expect(200);
      expect(rest.body).toEqual({ tokens: [mine[1]] });
      expect(mine[0] < mine[1]).toBe(true);
    });

    it('6. PATCH {"revoked":true} is 204 and the token gets Bearer 401 with status revoked; PATCH {"revoked":false} reinstates it', async () => {
      const alice = await f.user();
      const ci = await named(alice, { name: 'ci-1' });
      await userBearer(ci.token).expect(200);
      await as(alice).patch(`/tokens/named/${ci.tokenId}`).send({ revoked: true }).expect(204);
      expectBearerRefused(await userBearer(ci.token));
      expect((await as(alice).get(`/tokens/named/${ci.tokenId}/status`).expect(200)).body).toEqual({ revoked: true });
      await as(alice).patch(`/tokens/named/${ci.tokenId}`).send({ revoked: false }).expect(204);
      await userBearer(ci.token).expect(200);
      expect((await as(alice).get(`/tokens/named/${ci.tokenId}/status`).expect(200)).body).toEqual({ revoked: false });
    });

    it('7. PATCH {} is 400; a name the subject already has is 409; customMetadata is replaced (204) and shown', async () => {
      const alice = await f.user();
      const ci = await named(alice, { name: 'ci-1' });
      await named(alice, { name: 'ci-2' });
      const empty = await as(alice).patch(`/tokens/named/${ci.tokenId}`).send({}).expect(400);
      expect(empty.body.error).toBe('invalid_request');
      const taken = await as(alice).patch(`/tokens/named/${ci.tokenId}`).send({ name: 'ci-2' }).expect(409);
      expect(taken.body.error).toBe('already_exists');
      await as(alice)
        .patch(`/tokens/named/${ci.tokenId}`)
        .send({ customMetadata: { job: 'x' } })
        .expect(204);
      const res = await as(alice).get(`/tokens/named/${ci.tokenId}`).expect(200);
      expect(res.body.metadata.custom).toEqual({ job: 'x' });
      expect(res.body.name).toBe('ci-1');
    });

    it('8. DELETE /tokens/named/{id} is 204; then GET is 404 and the token gets Bearer 401', async () => {
      const alice = await f.user();
      const ci = await named(alice, { name: 'ci-1' });
      await userBearer(ci.token).expect(200);
      await as(alice).delete(`/tokens/named/${ci.tokenId}`).expect(204);
      expect((await as(alice).get(`/tokens/named/${ci.tokenId}`).expect(404)).body.error).toBe('not_found');
      expectBearerRefused(await userBearer(ci.token));
    });

    it("9. another user's GET, PATCH and DELETE on a token are 404 each; the admin's GET is 200", async () => {
      const [alice, bob] = [await f.user(), await f.user()];
      const ci = await named(alice, { name: 'ci-1' });
      for (const res of [
        await as(bob).get(`/tokens/named/${ci.tokenId}`),
        await as(bob).patch(`/tokens/named/${ci.tokenId}`).send({ revoked: true }),
        await as(bob).delete(`/tokens/named/${ci.tokenId}`),
      ]) {
        expect([res.status, res.body.error]).toEqual([404, 'not_found']);
      }
      const seen = await admin().get(`/tokens/named/${ci.tokenId}`).expect(200);
      expect(seen.body).toMatchObject({ id: ci.tokenId, revoked: false, token: ci.token });
      await userBearer(ci.token).expect(200);
    });

    it('10. DELETE /user/tokens/named is 204 and every named token of the user fails, the calling one included; temporary tokens still work', async () => {
      const alice = await f.user();
      const [ci1, ci2] = [await named(alice, { name: 'ci-1' }), await named(alice, { name: 'ci-2' })];
      const temp = await temporary(alice);
      for (const token of [alice.token, ci1.token, ci2.token, temp]) await userBearer(token).expect(200);
      await as(ci1).delete('/user/tokens/named').expect(204);
      for (const token of [alice.token, ci1.token, ci2.token]) expectBearerRefused(await userBearer(token));
      await userBearer(temp).expect(200);
    });

    it('11. a token created with "revoked":true gets Bearer 401 from the start', async () => {
      const alice = await f.user();
      const ci = await named(alice, { name: 'ci-1', revoked: true });
      expectBearerRefused(await userBearer(ci.token));
      expect((await as(alice).get(`/tokens/named/${ci.tokenId}/status`).expect(200)).body).toEqual({ revoked: true });
    });

    it('12. a type with sessionId, a type given as a string, spaceCreationToken, and customMetadata that is not an object are 400 each', async () => {
      const alice = await f.user();
      for (const body of [
        { name: 'ci-1', type: { accessToken: { sessionId: 's' } } },
        { name: 'ci-1', type: 'accessToken' },
        { name: 'ci-1', type: { spaceCreationToken: {} } },
        { name: 'ci-1', customMetadata: 'str' },
        { name: 'ci-1', customMetadata: 5 },
      ]) {
        const res = await as(alice).post('/user/tokens/named').send(body);
        expect([JSON.stringify(body), res.status, res.body.error]).toEqual([JSON.stringify(body), 400, 'invalid_request']);
      }
      expect(await t.prisma.token.count({ where: { subjectId: alice.userId } })).toBe(1);
    });
  });

  describe('temporary tokens', () => {
    it('13. POST /user/tokens/temporary needs a time caveat within the max TTL; it answers 201 exactly {token} without Location', async () => {
      const alice = await f.user();
      for (const body of [{}, { caveats: [] }, { caveats: [time(nowSeconds() + 2_595_600)] }]) {
        const res = await as(alice).post('/user/tokens/temporary').send(body);
        expect([res.status, res.body.error]).toEqual([400, 'invalid_request']);
      }
      const res = await as(alice)
        .post('/user/tokens/temporary')
        .send({ caveats: [time(nowSeconds() + 3600)] })
        .expect(201);
      expect(res.body).toEqual({ token: expect.any(String) });
      expect(res.headers.location).toBeUndefined();
      await userBearer(res.body.token).expect(200);
    });

    it('14. a temporary token examines as temporary with a 32-hex id, has no named token and appears in no list', async () => {
      const alice = await f.user();
      const temp = await temporary(alice);
      const examined = await examine(temp).expect(200);
      expect(examined.body).toMatchObject({ persistence: 'temporary', id: expect.stringMatching(HEX32) });
      const id = examined.body.id as string;
      expect((await as(alice).get(`/tokens/named/${id}`).expect(404)).body.error).toBe('not_found');
      const namedIds = await allIds(t.http, alice.token, '/user/tokens/named');
      expect(namedIds).toEqual([await tokenIdOf(t.http, alice.token)]);
      const legacy = await as(alice).get('/user/tokens').expect(200);
      expect(legacy.body.tokens.map((x: { tokenId: string }) => x.tokenId)).toEqual(namedIds);
      expect(legacy.text).not.toContain(id);
    });

    it('15. the generation starts at 1; DELETE /user/tokens/temporary makes it 2, older temporary tokens fail, newer ones and named ones work', async () => {
      const alice = await f.user();
      expect((await as(alice).get('/user/tokens/temporary').expect(200)).body).toEqual({ generation: 1 });
      const older = await temporary(alice);
      await userBearer(older).expect(200);
      await as(alice).delete('/user/tokens/temporary').expect(204);
      expect((await as(alice).get('/user/tokens/temporary').expect(200)).body).toEqual({ generation: 2 });
      expectBearerRefused(await userBearer(older));
      await userBearer(await temporary(alice)).expect(200);
      await userBearer(alice.token).expect(200);
    });

    it("16. revoking one user's temporary tokens leaves another user's working", async () => {
      const [alice, bob] = [await f.user(), await f.user()];
      const [ofAlice, ofBob] = [await temporary(alice), await temporary(bob)];
      await as(alice).delete('/user/tokens/temporary').expect(204);
      expectBearerRefused(await userBearer(ofAlice));
      await userBearer(ofBob).expect(200);
      expect((await as(bob).get('/user/tokens/temporary').expect(200)).body).toEqual({ generation: 1 });
    });

    it('17. usageLimit or privileges on a temporary token is 400 invalid_request', async () => {
      const alice = await f.user();
      for (const extra of [{ usageLimit: 2 }, { privileges: ['space_view'] }]) {
        const res = await as(alice)
          .post('/user/tokens/temporary')
          .send({ caveats: [time(nowSeconds() + 600)], ...extra });
        expect([res.status, res.body.error]).toEqual([400, 'invalid_request']);
      }
    });

    it("18. a provider's temporary token (now+600) is 201 and works on GET /provider/spaces; a user calling the route is 403", async () => {
      const provider = await f.provider();
      const res = await as(provider)
        .post('/provider/tokens/temporary')
        .send({ caveats: [time(nowSeconds() + 600)] })
        .expect(201);
      expect(res.body).toEqual({ token: expect.any(String) });
      await providerBearer(res.body.token).expect(200);
      const alice = await f.user();
      const refused = await as(alice)
        .post('/provider/tokens/temporary')
        .send({ caveats: [time(nowSeconds() + 600)] })
        .expect(403);
      expect(refused.body.error).toBe('forbidden');
    });
  });

  describe('on behalf of a subject', () => {
    it('19. the admin creates a named token for a user, which authenticates as the user and is listed; users only for themselves; 404 for an unknown user', async () => {
      const [alice, bob] = [await f.user(), await f.user()];
      const spaceId = await s.space(alice.token);
      const res = await admin().post(`/users/${alice.userId}/tokens/named`).send({ name: 'adm' }).expect(201);
      expect(res.body).toEqual({ tokenId: expect.stringMatching(HEX32), token: expect.any(String) });
      expect(res.headers.location).toBe(`${PREFIX}/tokens/named/${res.body.tokenId}`);
      expect((await userBearer(res.body.token).expect(200)).body).toEqual({ spaces: [spaceId] });
      const listed = await admin().get(`/users/${alice.userId}/tokens/named`).expect(200);
      expect(listed.body.tokens).toContain(res.body.tokenId);
      const other = await as(bob).post(`/users/${alice.userId}/tokens/named`).send({ name: 'bob' }).expect(403);
      expect(other.body.error).toBe('forbidden');
      await as(bob).post(`/users/${bob.userId}/tokens/named`).send({ name: 'bob' }).expect(201);
      const unknown = await admin()
        .post(`/users/${'0'.repeat(32)}/tokens/named`)
        .send({ name: 'adm' })
        .expect(404);
      expect(unknown.body.error).toBe('not_found');
    });

    it("20. the admin's GET /tokens/named lists the named token ids of every user and provider; a user gets 403", async () => {
      const alice = await f.user();
      const provider = await f.provider();
      await named(alice, { name: 'ci-1' });
      await as(provider).post('/provider/tokens/named').send({ name: 'ci-1' }).expect(201);
      const ids = await allIds(t.http, t.env.ADMIN_TOKEN, '/tokens/named');
      const stored = (await t.prisma.token.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map((r) => r.id);
      expect(ids).toEqual(stored);
      const ofSubjects = await t.prisma.token.findMany({ where: { subjectId: { in: [alice.userId, provider.providerId] } } });
      expect(ofSubjects.filter((r) => r.subjectType === 'user')).toHaveLength(2);
      expect(ofSubjects.filter((r) => r.subjectType === 'provider')).toHaveLength(2);
      for (const row of ofSubjects) expect(ids).toContain(row.id);
      expect((await as(alice).get('/tokens/named').expect(403)).body.error).toBe('forbidden');
    });

    it("21. the admin creates a provider's temporary token (201) and revokes its temporary tokens (204), after which it fails", async () => {
      const provider = await f.provider();
      const res = await admin()
        .post(`/providers/${provider.providerId}/tokens/temporary`)
        .send({ caveats: [time(nowSeconds() + 600)] })
        .expect(201);
      expect(res.body).toEqual({ token: expect.any(String) });
      await providerBearer(res.body.token).expect(200);
      await admin().delete(`/providers/${provider.providerId}/tokens/temporary`).expect(204);
      expectBearerRefused(await providerBearer(res.body.token));
      await providerBearer(provider.token).expect(200);
    });
  });

  describe('legacy routes and compatibility', () => {
    it('53. POST /spaces/{id}/users/token mints a named userJoinSpace token of one use, listed and readable', async () => {
      const alice = await f.user();
      const spaceId = await s.space(alice.token);
      const res = await as(alice).post(`/spaces/${spaceId}/users/token`).expect(200);
      expect(res.body).toEqual({ token: expect.any(String) });
      const { identifier } = macaroonOf(res.body.token);
      expect(identifier.startsWith(`2/nmd/usr-${alice.userId}/ujs:${spaceId}:/`)).toBe(true);
      const id = identifier.slice(identifier.lastIndexOf('/') + 1);
      expect(id).toMatch(HEX32);
      expect(await allIds(t.http, alice.token, '/user/tokens/named')).toContain(id);
      const stored = await as(alice).get(`/tokens/named/${id}`).expect(200);
      expect(stored.body.metadata.usageLimit).toBe(1);
      expect(stored.body.type).toEqual({ inviteToken: { inviteType: 'userJoinSpace', spaceId, parameters: {} } });
      const [bob, carol] = [await f.user(), await f.user()];
      await as(bob).post('/user/spaces/join').send({ token: res.body.token }).expect(201);
      expect((await as(carol).post('/user/spaces/join').send({ token: res.body.token }).expect(400)).body).toEqual(INVALID_TOKEN);
    });

    it('54. POST /user/spaces/token mints a v1 space_creation token, good for one POST /spaces by a provider', async () => {
      const alice = await f.user();
      const provider = await f.provider();
      const token = await f.creationToken(alice.token);
      const { identifier, caveats } = macaroonOf(token);
      expect(identifier).toMatch(HEX32);
      expect(caveats).toEqual(['type = space_creation']);
      await as(provider).post('/spaces').send({ name: 'Created', token, size: 10 }).expect(201);
      expect((await as(provider).post('/spaces').send({ name: 'Again', token, size: 10 }).expect(400)).body).toEqual(INVALID_TOKEN);
    });

    it('55. POST /provider/spaces/token mints a v1 provider_support token, good for one POST /user/spaces; other tokens there are the fixed 400', async () => {
      const [alice, bob] = [await f.user(), await f.user()];
      const provider = await f.provider();
      const token = await f.supportToken(provider.token);
      const { identifier, caveats } = macaroonOf(token);
      expect(identifier).toMatch(HEX32);
      expect(caveats).toEqual(['type = provider_support']);
      await as(alice).post('/user/spaces').send({ name: 'Supported', token, size: 10 }).expect(201);
      expect((await as(alice).post('/user/spaces').send({ name: 'Again', token, size: 10 }).expect(400)).body).toEqual(INVALID_TOKEN);
      const invite = await s.invite(await s.space(alice.token), alice.token);
      for (const other of [invite, bob.token, provider.token]) {
        const res = await as(bob).post('/user/spaces').send({ name: 'Wrong', token: other, size: 10 }).expect(400);
        expect(res.body).toEqual(INVALID_TOKEN);
      }
    });

    it('57. DELETE /user/tokens/{id} revokes a v2 named token; GET /user/tokens lists it in the legacy shape without the token', async () => {
      const alice = await f.user();
      const ci = await named(alice, { name: 'ci-1' });
      await as(alice).delete(`/user/tokens/${ci.tokenId}`).expect(204);
      expect((await as(alice).get(`/tokens/named/${ci.tokenId}`).expect(200)).body.revoked).toBe(true);
      expectBearerRefused(await userBearer(ci.token));
      const legacy = await as(alice).get('/user/tokens').expect(200);
      const row = legacy.body.tokens.find((x: { tokenId: string }) => x.tokenId === ci.tokenId);
      expect(row).toEqual({
        tokenId: ci.tokenId,
        type: 'access',
        target: null,
        validUntil: null,
        usageLimit: null,
        usageCount: 0,
        maxSize: null,
        privileges: [],
        revoked: true,
        creationTime: expect.any(Number),
      });
      expect(legacy.text).not.toContain(ci.token);
    });

    it('58. Authorization: Basic is 401 unauthorized; X-Auth-Token with a v2 access token is 200', async () => {
      const basic = await t.http.get(`${PREFIX}/user/spaces`).set('Authorization', 'Basic dTpw').expect(401);
      expect(basic.body.error).toBe('unauthorized');
      expect(basic.headers['www-authenticate']).toBe('Bearer');
      const alice = await f.user();
      const ci = await named(alice, { name: 'ci-1' });
      expect(macaroonOf(ci.token).identifier.startsWith(`2/nmd/usr-${alice.userId}/act/`)).toBe(true);
      await t.http.get(`${PREFIX}/user/spaces`).set('X-Auth-Token', ci.token).expect(200);
    });

    it('59. an identity token, an invite token and a v1 space_creation token are each Bearer 401', async () => {
      const alice = await f.user();
      const spaceId = await s.space(alice.token);
      const identity = await named(alice, { name: 'id-1', type: { identityToken: {} } });
      const invite = await named(alice, { name: 'inv-1', type: { inviteToken: { inviteType: 'userJoinSpace', spaceId } } });
      const creation = await f.creationToken(alice.token);
      for (const token of [identity.token, invite.token, await s.invite(spaceId, alice.token), creation]) {
        expectBearerRefused(await userBearer(token));
      }
    });
  });
});

describe('an access token minted before named tokens', () => {
  /** The last migration before named tokens. */
  const BEFORE_NAMED = '20261201083234_groups';
  let env: TestEnv | undefined;
  let t: TestApp | undefined;
  const userId = randomBytes(16).toString('hex');
  const tokenId = randomBytes(16).toString('hex');
  let v1: string;

  beforeAll(async () => {
    env = await testEnv();
    const oldMigrations = await migrationsUpTo(BEFORE_NAMED);
    const insert = async (query: (sql: string, params: unknown[]) => Promise<{ rows: unknown[] }>) => {
      const named = `SELECT 1 FROM information_schema.columns WHERE table_name = 'tokens' AND column_name = 'name'`;
      expect((await query(named, [])).rows).toEqual([]);
      await query(`INSERT INTO users (id, name) VALUES ($1, 'Old user')`, [userId]);
      await query(`INSERT INTO tokens (id, type, subject_type, subject_id) VALUES ($1, 'access', 'user', $2)`, [tokenId, userId]);
    };
    try {
      // The file's database, emptied and brought to the schema before named tokens, with the old rows in it.
      if (env.DATABASE_URL) {
        const name = new URL(env.DATABASE_URL).pathname.slice(1);
        await dropDatabase(env.DATABASE_URL);
        await withServer((c) => c.query(`CREATE DATABASE "${name}"`));
        await applyMigrations(pgAdapter(env.DATABASE_URL, { max: 1 }), oldMigrations);
        const client = new pg.Client({ connectionString: env.DATABASE_URL });
        await client.connect();
        try {
          await insert((sql, params) => client.query(sql, params));
        } finally {
          await client.end();
        }
      } else {
        const dataPath = embeddedDataPath(env.DATA_DIR);
        await rm(dataPath, { recursive: true, force: true });
        const db = await PGlite.create(dataPath);
        try {
          await applyMigrations(pgliteAdapter(db), oldMigrations);
          await insert((sql, params) => db.query(sql, params));
        } finally {
          await db.close();
        }
      }
    } finally {
      await rm(oldMigrations, { recursive: true, force: true });
    }
    expect((await migrationNames()).filter((n) => n > BEFORE_NAMED)).not.toEqual([]);
    v1 = mintV1Token({ id: tokenId, type: 'access', location: env.TOKEN_LOCATION ?? 'onezone', secret: env.TOKEN_SECRET });
    // The application applies the remaining migrations as it starts.
    t = await startApp(env);
  }, 180_000);

  afterAll(async () => {
    await t?.close();
    if (env) await disposeEnv(env);
  });

  it('56. still works as a bearer, examines as a named access token, is listed and is found by its generated name', async () => {
    const app = t!;
    expect(macaroonOf(v1)).toEqual({ identifier: tokenId, caveats: ['type = access'] });
    await api(app.http, v1).get('/user/spaces').expect(200);
    const examined = await app.http.post(`${PREFIX}/tokens/examine`).send({ token: v1 }).expect(200);
    expect(examined.body).toEqual({
      onezoneDomain: 'onezone',
      id: tokenId,
      tokenId,
      persistence: 'named',
      subject: { type: 'user', id: userId },
      type: { accessToken: {} },
      caveats: [],
      target: null,
    });
    expect((await api(app.http, v1).get('/user/tokens/named').expect(200)).body).toEqual({ tokens: [tokenId] });
    const byName = await api(app.http, v1).get(`/user/tokens/named/name/access%20${tokenId}`).expect(200);
    expect(byName.body).toMatchObject({ id: tokenId, name: `access ${tokenId}`, type: { accessToken: {} }, revoked: false, token: v1 });
  });
});

describe('the bearer cache and request-dependent caveats', () => {
  let t: TestApp;
  let f: Factories;

  beforeAll(async () => {
    t = await startApp(await testEnv({ TOKEN_CACHE_SECONDS: '300' }));
    f = new Factories(t.http, t.env.ADMIN_TOKEN);
  });

  afterAll(async () => {
    await t.close();
    await disposeEnv(t.env);
  });

  it('60. with TOKEN_CACHE_SECONDS=300 a consumer-confined token is judged on every request: 200 with the consumer header, 401 at once without', async () => {
    const [alice, bob, carol] = [await f.user(), await f.user(), await f.user()];
    const identity = async (who: User) =>
      (
        await api(t.http, who.token)
          .post('/user/tokens/named')
          .send({ name: 'id', type: { identityToken: {} } })
          .expect(201)
      ).body.token;
    const [bobId, carolId] = [await identity(bob), await identity(carol)];
    const confined = await t.http
      .post(`${PREFIX}/tokens/confine`)
      .send({ token: alice.token, caveats: [{ type: 'consumer', whitelist: [`usr-${bob.userId}`] }] })
      .expect(200);
    const token: string = confined.body.token;
    const probe = (consumer?: string) => {
      const req = api(t.http, token).get('/user/spaces');
      return consumer === undefined ? req : req.set('x-onedata-consumer-token', consumer);
    };
    await probe(bobId).expect(200);
    expectBearerRefused(await probe());
    await probe(bobId).expect(200);
    expectBearerRefused(await probe(carolId));
    expectBearerRefused(await probe());
    // The unconfined token is cached and keeps working.
    await api(t.http, alice.token).get('/user/spaces').expect(200);
    await api(t.http, alice.token).get('/user/spaces').expect(200);
  });
});
