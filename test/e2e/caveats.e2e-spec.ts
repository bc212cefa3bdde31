import { randomBytes } from 'node:crypto';
import macaroons from 'macaroon';
import type { Response } from 'supertest';
import { SpacePrivileges } from '../../src/access/privileges.js';
import { mintV1Token } from '../../src/tokens/token-codec.js';
import { api, Factories, SpaceFactories } from '../support/factories.js';
import { disposeEnv, startApp, testEnv, type TestApp } from '../support/test-app.js';

type User = { userId: string; token: string };
type Provider = { providerId: string; token: string };
type Caveats = unknown[];

const INVALID_TOKEN = { error: 'invalid_token', error_description: 'Provided token could not be validated.' };
const MEMBER = [...SpacePrivileges.member];
const HEX32 = /^[0-9a-f]{32}$/;
const nowSeconds = () => Math.floor(Date.now() / 1000);
const b64 = (text: string) => Buffer.from(text).toString('base64');

/** A first-party caveat appended offline, as any holder can do without a key. */
function attenuate(serialized: string, caveat: string): string {
  const m = macaroons.importMacaroon(new Uint8Array(Buffer.from(serialized, 'base64url')));
  m.addFirstPartyCaveat(caveat);
  return Buffer.from(m.exportBinary()).toString('base64url');
}

/** A failed bearer: 401 invalid_token with the Bearer challenge. */
function expectBearer401(res: Response): void {
  expect([res.status, res.body.error, res.headers['www-authenticate']]).toEqual([401, 'invalid_token', 'Bearer error="invalid_token"']);
}

function expectInvalidToken(res: Response): void {
  expect([res.status, res.body.error]).toEqual([400, 'invalid_token']);
}

function expectInvalidRequest(res: Response): void {
  expect([res.status, res.body.error]).toEqual([400, 'invalid_request']);
}

/** Caveats: how each is written, checked where a token is used, and examined, confined and verified. */
describe('caveats', () => {
  let t: TestApp;
  let f: Factories;
  let s: SpaceFactories;
  let seq = 0;

  beforeAll(async () => {
    t = await startApp(await testEnv());
    f = new Factories(t.http, t.env.ADMIN_TOKEN);
    s = new SpaceFactories(t.http);
  });

  afterAll(async () => {
    await t.close();
    await disposeEnv(t.env);
  });

  const as = (who?: { token: string } | string) => api(t.http, typeof who === 'string' ? who : who?.token);
  const anonymous = () => api(t.http);
  /** A request that any user's access token may make. */
  const probe = (token: string, headers: Record<string, string> = {}) => as(token).get('/user/spaces').set(headers);
  const createNamed = (who: User | Provider, body: object, subject: 'user' | 'provider' = 'user') =>
    as(who)
      .post(`/${subject}/tokens/named`)
      .send({ name: `token-${(seq += 1)}`, ...body });
  /** A named token of the user (or provider): its id and the token. */
  async function named(who: User | Provider, body: object = {}, subject: 'user' | 'provider' = 'user') {
    const res = await createNamed(who, body, subject);
    expect(res.status).toBe(201);
    return res.body as { tokenId: string; token: string };
  }
  const withCaveats = async (who: User, caveats: Caveats) => (await named(who, { caveats })).token;
  const identityToken = async (who: User) => (await named(who, { type: { identityToken: {} } })).token;
  const providerIdentity = async (p: Provider) => (await named(p, { type: { identityToken: {} } }, 'provider')).token;
  const confineRequest = (token: string, caveats: unknown) => anonymous().post('/tokens/confine').send({ token, caveats });
  async function confine(token: string, caveats: Caveats): Promise<string> {
    const res = await confineRequest(token, caveats);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['token']);
    return res.body.token;
  }
  const examine = (token: unknown) => anonymous().post('/tokens/examine').send({ token });
  const verify = (kind: 'access' | 'identity' | 'invite', body: object, caller?: string) =>
    as(caller).post(`/tokens/verify_${kind}_token`).send(body);
  const inferScope = (token: string) => anonymous().post('/tokens/infer_access_token_scope').send({ token });
  const join = (who: User, token: string) => as(who).post('/user/spaces/join').send({ token });
  const inviteType = (spaceId: string, type = 'userJoinSpace') => ({ inviteToken: { inviteType: type, spaceId } });
  /** A member of the space who may invite users (space_add_user) but not set privileges. */
  async function inviter(spaceId: string, owner: User): Promise<User> {
    const member = await f.user();
    await s.join(spaceId, owner.token, member.token, [...MEMBER, 'space_add_user']);
    return member;
  }

  it('22. an ip caveat fails outside its whitelist and holds inside it; masks read back with /n', async () => {
    const alice = await f.user();
    expectBearer401(await probe(await withCaveats(alice, [{ type: 'ip', whitelist: ['10.0.0.0/8'] }])));
    for (const whitelist of [['127.0.0.1/32'], ['127.0.0.1']]) {
      const token = await withCaveats(alice, [{ type: 'ip', whitelist }]);
      await probe(token).expect(200);
      const examined = await examine(token).expect(200);
      expect(examined.body.caveats).toEqual([{ type: 'ip', whitelist: ['127.0.0.1/32'] }]);
    }
  });

  it('23. an ip whitelist that is not IPv4 masks is refused at creation', async () => {
    const alice = await f.user();
    for (const whitelist of [['1.2.3.4.5'], [], ['::1']]) {
      expectInvalidRequest(await createNamed(alice, { caveats: [{ type: 'ip', whitelist }] }));
    }
  });

  it('24. a token confined with a past time caveat gets Bearer 401; the original still works', async () => {
    const alice = await f.user();
    const confined = await confine(alice.token, [{ type: 'time', validUntil: nowSeconds() - 10 }]);
    expectBearer401(await probe(confined));
    await probe(alice.token).expect(200);
  });

  it('25. asn and geo caveats are refused at creation; confined with one, a token fails everywhere', async () => {
    const alice = await f.user();
    for (const caveat of [
      { type: 'asn', whitelist: [631] },
      { type: 'geo.country', filter: 'whitelist', list: ['PL'] },
      { type: 'geo.region', filter: 'blacklist', list: ['Europe'] },
    ]) {
      expectInvalidRequest(await createNamed(alice, { caveats: [caveat] }));
      const temporary = await as(alice)
        .post('/user/tokens/temporary')
        .send({ caveats: [{ type: 'time', validUntil: nowSeconds() + 600 }, caveat] });
      expectInvalidRequest(temporary);
    }
    const confined = await confine(alice.token, [{ type: 'geo.country', filter: 'whitelist', list: ['PL'] }]);
    expectBearer401(await probe(confined));
    expectInvalidToken(await verify('access', { token: confined }));
    await verify('access', { token: alice.token }).expect(200);
  });

  it('26. an unknown caveat: refused by confine; appended offline, the token fails as a bearer, at examine and at every verify route', async () => {
    const alice = await f.user();
    const spaceId = await s.space(alice.token);
    expectInvalidRequest(await confineRequest(alice.token, [{ type: 'tiem' }]));

    const access = alice.token;
    const identity = await identityToken(alice);
    const invite = await s.invite(spaceId, alice.token);
    // Each token is good where it goes…
    await probe(access).expect(200);
    await examine(access).expect(200);
    await verify('access', { token: access }).expect(200);
    await verify('identity', { token: identity }).expect(200);
    await verify('invite', { token: invite }).expect(200);
    await inferScope(access).expect(200);
    // …until `foo = bar` is appended.
    const [badAccess, badIdentity, badInvite] = [access, identity, invite].map((token) => attenuate(token, 'foo = bar'));
    expectBearer401(await probe(badAccess));
    for (const bad of [badAccess, badIdentity, badInvite]) expect((await examine(bad)).body).toEqual(INVALID_TOKEN);
    expectInvalidToken(await verify('access', { token: badAccess }));
    expectInvalidToken(await verify('identity', { token: badIdentity }));
    expectInvalidToken(await verify('invite', { token: badInvite }));
    expectInvalidToken(await inferScope(badAccess));
  });

  it('27. a type caveat appended offline: unknown in a v2 token, and a mismatch in a v1 token', async () => {
    const alice = await f.user();
    await probe(alice.token).expect(200);
    expectBearer401(await probe(attenuate(alice.token, 'type = access')));

    // A v1 access token (identifier = its id, written before tokens carried their type in the identifier).
    const id = randomBytes(16).toString('hex');
    await t.prisma.token.create({
      data: { id, version: 1, name: `access ${id}`, type: 'access', subjectType: 'user', subjectId: alice.userId },
    });
    const v1 = mintV1Token({ id, type: 'access', location: t.env.TOKEN_LOCATION ?? 'onezone', secret: t.env.TOKEN_SECRET });
    await probe(v1).expect(200);
    expectBearer401(await probe(attenuate(v1, 'type = user_join_space')));

    // The same for a v1 space creation token where it is consumed.
    const provider = await f.provider();
    const creation = await f.creationToken(alice.token);
    const forged = attenuate(creation, 'type = user_join_space');
    const refused = await as(provider).post('/spaces').send({ name: 'Forged', token: forged, size: 10 });
    expect([refused.status, refused.body]).toEqual([400, INVALID_TOKEN]);
    await as(provider).post('/spaces').send({ name: 'Genuine', token: creation, size: 10 }).expect(201);
  });

  it('28. an api caveat allows only the operations it matches; a malformed matchspec is refused', async () => {
    const owner = await f.user();
    const spaceId = await s.space(owner.token);
    const member = await f.user();
    await s.join(spaceId, owner.token, member.token);
    const token = await withCaveats(member, [{ type: 'api', whitelist: ['ozw/get/space.*.*:*'] }]);
    const read = await as(token).get(`/spaces/${spaceId}`).expect(200);
    expect(read.body.spaceId).toBe(spaceId);
    expectBearer401(await as(token).get('/user/spaces'));
    expectBearer401(await as(token).post('/user/spaces').send({ name: 'Nope' }));
    expectInvalidRequest(await createNamed(member, { caveats: [{ type: 'api', whitelist: ['ozw/read/space.*.*:*'] }] }));
  });

  it('29. an interface caveat: rest holds for a bearer, graphsync fails; the verify route compares with its interface field', async () => {
    const alice = await f.user();
    await probe(await withCaveats(alice, [{ type: 'interface', interface: 'rest' }])).expect(200);
    const graphsync = await withCaveats(alice, [{ type: 'interface', interface: 'graphsync' }]);
    expectBearer401(await probe(graphsync));
    const verified = await verify('access', { token: graphsync, interface: 'graphsync' }).expect(200);
    expect(verified.body.subject).toEqual({ type: 'user', id: alice.userId });
    expectInvalidToken(await verify('access', { token: graphsync }));
  });

  it("30. a consumer caveat holds only with the named consumer's identity token in x-onedata-consumer-token", async () => {
    const [alice, bob, carol] = [await f.user(), await f.user(), await f.user()];
    const token = await confine(alice.token, [{ type: 'consumer', whitelist: [`usr-${bob.userId}`] }]);
    expectBearer401(await probe(token));
    const asBob = await probe(token, { 'x-onedata-consumer-token': await identityToken(bob) }).expect(200);
    expect(asBob.body).toEqual({ spaces: [] });
    expectBearer401(await probe(token, { 'x-onedata-consumer-token': await identityToken(carol) }));
    expectBearer401(await probe(alice.token, { 'x-onedata-consumer-token': 'garbage' }));
  });

  it('31. a service caveat holds only for a provider that supports the user, and narrows the API to what it may do', async () => {
    const alice = await f.user();
    const [p, q] = [await f.provider(), await f.provider()];
    const spaceId = await s.space(alice.token);
    await s.support(spaceId, alice.token, p.token, 1000);
    const token = await withCaveats(alice, [{ type: 'service', whitelist: ['opw-*'] }]);
    expectBearer401(await as(token).get(`/spaces/${spaceId}`));
    const byP = { 'x-onedata-service-token': await providerIdentity(p) };
    await as(token).get(`/spaces/${spaceId}`).set(byP).expect(200);
    expectBearer401(await as(token).post('/user/spaces').set(byP).send({ name: 'Nope' }));
    const byQ = { 'x-onedata-service-token': await providerIdentity(q) };
    expectBearer401(await as(token).get(`/spaces/${spaceId}`).set(byQ));
    const byUser = { 'x-onedata-service-token': await identityToken(alice) };
    expectBearer401(await as(token).get(`/spaces/${spaceId}`).set(byUser));
  });

  it('32. a data-access caveat fails as a bearer; verify_access_token allows it only when data-access caveats are allowed', async () => {
    const alice = await f.user();
    const token = await withCaveats(alice, [{ type: 'data.readonly' }]);
    expectBearer401(await probe(token));
    expectInvalidToken(await verify('access', { token }));
    const verified = await verify('access', { token, allowDataAccessCaveats: true }).expect(200);
    expect(verified.body).toEqual({ subject: { type: 'user', id: alice.userId }, ttl: null });
  });

  it('33. a data.path caveat must name a canonical path inside a space', async () => {
    const alice = await f.user();
    const spaceId = await s.space(alice.token);
    for (const path of ['/', `/${spaceId}/`]) {
      expectInvalidRequest(await createNamed(alice, { caveats: [{ type: 'data.path', whitelist: [b64(path)] }] }));
    }
    await named(alice, { caveats: [{ type: 'data.path', whitelist: [b64(`/${spaceId}/dir`)] }] });
  });

  it('34. a caveat the token type does not support makes it fail: api on an identity token, interface on an invite', async () => {
    const owner = await f.user();
    const spaceId = await s.space(owner.token);
    const identity = await identityToken(owner);
    await verify('identity', { token: identity }).expect(200);
    const confinedIdentity = await confine(identity, [{ type: 'api', whitelist: ['ozw/all/*.*.*:*'] }]);
    expectInvalidToken(await verify('identity', { token: confinedIdentity }));

    const invite = await s.invite(spaceId, owner.token);
    const confinedInvite = await confine(invite, [{ type: 'interface', interface: 'rest' }]);
    const joiner = await f.user();
    const refused = await join(joiner, confinedInvite);
    expect([refused.status, refused.body]).toEqual([400, INVALID_TOKEN]);
    await join(joiner, invite).expect(201); // the refusal consumed nothing
  });

  it('35. an identity token is no bearer; it verifies as an identity, not as an access token', async () => {
    const alice = await f.user();
    const identity = await identityToken(alice);
    expectBearer401(await probe(identity));
    const verified = await verify('identity', { token: identity }).expect(200);
    expect(verified.body).toEqual({ subject: { type: 'user', id: alice.userId }, ttl: null });
    expectInvalidToken(await verify('access', { token: identity }));
  });

  it("36. a user's access token proves no identity; a provider's does", async () => {
    const alice = await f.user();
    const provider = await f.provider();
    expectInvalidToken(await verify('identity', { token: alice.token }));
    const verified = await verify('identity', { token: provider.token }).expect(200);
    expect(verified.body.subject).toEqual({ type: 'oneprovider', id: provider.providerId });
  });

  it('37. verify_access_token: the ttl of a time caveat; a revoked token fails; an empty body is a bad request', async () => {
    const alice = await f.user();
    const token = await withCaveats(alice, [{ type: 'time', validUntil: nowSeconds() + 3600 }]);
    const verified = await verify('access', { token }).expect(200);
    expect(verified.body.subject).toEqual({ type: 'user', id: alice.userId });
    expect(verified.body.ttl).toBeGreaterThanOrEqual(3590);
    expect(verified.body.ttl).toBeLessThanOrEqual(3600);
    const revoked = await named(alice);
    await verify('access', { token: revoked.token }).expect(200);
    await as(alice).patch(`/tokens/named/${revoked.tokenId}`).send({ revoked: true }).expect(204);
    expectInvalidToken(await verify('access', { token: revoked.token }));
    expectInvalidRequest(await verify('access', {}));
  });

  it('38. verify_access_token judges an ip caveat at the peerIp given, which must be an IPv4 address', async () => {
    const alice = await f.user();
    const token = await confine(alice.token, [{ type: 'ip', whitelist: ['10.0.0.0/8'] }]);
    await verify('access', { token, peerIp: '10.1.2.3' }).expect(200);
    expectInvalidToken(await verify('access', { token })); // from 127.0.0.1
    expectInvalidToken(await verify('access', { token, peerIp: '192.168.0.1' }));
    expectInvalidRequest(await verify('access', { token, peerIp: 'not-an-ip' }));
  });

  it('39. verify_invite_token checks the invite type, not whether the invite can still be used', async () => {
    const owner = await f.user();
    const spaceId = await s.space(owner.token);
    const invite = await inviter(spaceId, owner);
    const token = (await named(invite, { type: inviteType(spaceId) })).token;
    const verified = await verify('invite', { token, expectedInviteType: 'userJoinSpace' }).expect(200);
    expect(verified.body).toEqual({ subject: { type: 'user', id: invite.userId }, ttl: null });
    expectInvalidToken(await verify('invite', { token, expectedInviteType: 'supportSpace' }));
    expectInvalidRequest(await verify('invite', { token, expectedInviteType: 'foo' }));
    expectInvalidToken(await verify('invite', { token: owner.token }));

    const once = (await named(invite, { type: inviteType(spaceId), usageLimit: 1 })).token;
    await join(await f.user(), once).expect(201);
    const used = await join(await f.user(), once);
    expect([used.status, used.body]).toEqual([400, INVALID_TOKEN]);
    await verify('invite', { token: once }).expect(200);
  });

  it('40. verify_access_token: the consumer is the consumerToken, else the authenticated caller', async () => {
    const [alice, bob] = [await f.user(), await f.user()];
    const token = await confine(alice.token, [{ type: 'consumer', whitelist: [`usr-${bob.userId}`] }]);
    const byToken = await verify('access', { token, consumerToken: await identityToken(bob) }).expect(200);
    expect(byToken.body.subject).toEqual({ type: 'user', id: alice.userId });
    await verify('access', { token }, bob.token).expect(200);
    expectInvalidToken(await verify('access', { token }));
    expectInvalidToken(await verify('access', { token }, alice.token)); // Alice is not the consumer named
  });

  it('41. verify_access_token with the serviceToken of a provider that does not support the user fails', async () => {
    const alice = await f.user();
    const [p, q] = [await f.provider(), await f.provider()];
    await s.support(await s.space(alice.token), alice.token, p.token, 1000);
    expectInvalidToken(await verify('access', { token: alice.token, serviceToken: await providerIdentity(q) }));
    await verify('access', { token: alice.token, serviceToken: await providerIdentity(p) }).expect(200);
  });

  it('42. examining a named access token, anonymously, describes exactly it', async () => {
    const alice = await f.user();
    const { tokenId, token } = await named(alice);
    const examined = await examine(token).expect(200);
    expect(examined.body).toEqual({
      onezoneDomain: 'onezone',
      id: tokenId,
      tokenId,
      persistence: 'named',
      subject: { type: 'user', id: alice.userId },
      type: { accessToken: {} },
      caveats: [],
      target: null,
    });
    expect(tokenId).toMatch(HEX32);
  });

  it("43. examine names a provider subject oneprovider, and shows a legacy invite's type and target", async () => {
    const provider = await f.provider();
    expect((await examine(provider.token).expect(200)).body.subject).toEqual({ type: 'oneprovider', id: provider.providerId });
    const owner = await f.user();
    const spaceId = await s.space(owner.token);
    const examined = await examine(await s.invite(spaceId, owner.token)).expect(200);
    expect(examined.body.type).toEqual({ inviteToken: { inviteType: 'userJoinSpace', spaceId, parameters: {} } });
    expect(examined.body.target).toEqual({ type: 'space', id: spaceId });
  });

  it('44. examine refuses what is not a genuine token, and describes genuine ones that can no longer be used', async () => {
    const alice = await f.user();
    const bytes = Buffer.from(alice.token, 'base64url');
    bytes[bytes.length - 1] ^= 1; // the last byte of the signature
    const flipped = bytes.toString('base64url');
    for (const bad of [flipped, alice.token.slice(0, -10), 'abc', '']) {
      const res = await examine(bad);
      expect([res.status, res.body]).toEqual([400, INVALID_TOKEN]);
    }

    const revoked = await named(alice);
    await as(alice).patch(`/tokens/named/${revoked.tokenId}`).send({ revoked: true }).expect(204);
    const expired = await confine((await named(alice)).token, [{ type: 'time', validUntil: nowSeconds() - 10 }]);
    const deleted = await named(alice);
    await as(alice).delete(`/tokens/named/${deleted.tokenId}`).expect(204);
    for (const token of [revoked.token, expired, deleted.token]) {
      expectBearer401(await probe(token));
      expect((await examine(token).expect(200)).body.persistence).toBe('named');
    }
    expect((await examine(deleted.token)).body.id).toBe(deleted.tokenId);
  });

  it("45. confine appends its caveats after the token's own, in order; it needs at least one", async () => {
    const alice = await f.user();
    const validUntil = nowSeconds() + 3600;
    const token = await withCaveats(alice, [
      { type: 'time', validUntil },
      { type: 'interface', interface: 'rest' },
    ]);
    const confined = await confine(token, [{ type: 'ip', whitelist: ['10.0.0.0/8'] }]);
    expect((await examine(confined).expect(200)).body.caveats).toEqual([
      { type: 'time', validUntil },
      { type: 'interface', interface: 'rest' },
      { type: 'ip', whitelist: ['10.0.0.0/8'] },
    ]);
    expectInvalidRequest(await confineRequest(token, []));
  });

  it('46. a named invite with usageLimit 2 lets two users join, then no more; its metadata counts the uses', async () => {
    const owner = await f.user();
    const spaceId = await s.space(owner.token);
    const member = await inviter(spaceId, owner);
    const { tokenId, token } = await named(member, { type: inviteType(spaceId), usageLimit: 2 });
    const [b, c, d] = [await f.user(), await f.user(), await f.user()];
    await join(b, token).expect(201);
    await join(c, token).expect(201);
    const refused = await join(d, token);
    expect([refused.status, refused.body]).toEqual([400, INVALID_TOKEN]);
    const read = await as(member).get(`/tokens/named/${tokenId}`).expect(200);
    expect(read.body.metadata).toMatchObject({ usageCount: 2, usageLimit: 2 });
  });

  it('47. usageLimit: 0 is refused; "infinity" is the default', async () => {
    const owner = await f.user();
    const spaceId = await s.space(owner.token);
    expectInvalidRequest(await createNamed(owner, { type: inviteType(spaceId), usageLimit: 0 }));
    for (const limit of [{ usageLimit: 'infinity' }, {}]) {
      const { tokenId } = await named(owner, { type: inviteType(spaceId), ...limit });
      const read = await as(owner).get(`/tokens/named/${tokenId}`).expect(200);
      expect(read.body.metadata.usageLimit).toBe('infinity');
    }
  });

  it('48. invite creation: the target, the privileges to invite, the subject kind and the invite fields are checked', async () => {
    const owner = await f.user();
    const spaceId = await s.space(owner.token);
    const stranger = await f.user();
    const elsewhere = await s.space(stranger.token);
    const notMine = await createNamed(owner, { type: inviteType(elsewhere) });
    const missing = await createNamed(owner, { type: inviteType(randomBytes(16).toString('hex')) });
    expectInvalidRequest(notMine);
    expectInvalidRequest(missing);
    expect(missing.body).toEqual(notMine.body);

    const plain = await f.user();
    await s.join(spaceId, owner.token, plain.token);
    const withoutAddUser = await createNamed(plain, { type: inviteType(spaceId) });
    expect([withoutAddUser.status, withoutAddUser.body.error]).toEqual([403, 'forbidden']);
    const member = await inviter(spaceId, owner);
    await named(member, { type: inviteType(spaceId) });
    const beyond = await createNamed(member, { type: inviteType(spaceId), privileges: [...MEMBER, 'space_add_user'] });
    expect([beyond.status, beyond.body.error]).toEqual([403, 'forbidden']);

    const provider = await f.provider();
    await s.support(spaceId, owner.token, provider.token, 1000);
    const byProvider = await createNamed(provider, { type: inviteType(spaceId) }, 'provider');
    expect([byProvider.status, byProvider.body.error]).toEqual([403, 'forbidden']);

    expectInvalidRequest(await createNamed(owner, { type: inviteType(spaceId, 'harvesterJoinSpace') }));
    expectInvalidRequest(await createNamed(owner, { type: inviteType(spaceId, 'supportSpace'), privileges: MEMBER }));
    await named(owner, { type: inviteType(spaceId, 'supportSpace') });
  });

  it('49. a temporary invite serves any number of users, while its inviter may still invite', async () => {
    const owner = await f.user();
    const spaceId = await s.space(owner.token);
    const member = await inviter(spaceId, owner);
    const created = await as(member)
      .post('/user/tokens/temporary')
      .send({ type: inviteType(spaceId), caveats: [{ type: 'time', validUntil: nowSeconds() + 600 }] })
      .expect(201);
    const { token } = created.body;
    for (let i = 0; i < 3; i += 1) await join(await f.user(), token).expect(201);
    await as(owner)
      .patch(`/spaces/${spaceId}/users/${member.userId}/privileges`)
      .send({ revoke: ['space_add_user'] })
      .expect(204);
    const refused = await join(await f.user(), token);
    expect([refused.status, refused.body]).toEqual([400, INVALID_TOKEN]);
    await as(owner)
      .patch(`/spaces/${spaceId}/users/${member.userId}/privileges`)
      .send({ grant: ['space_add_user'] })
      .expect(204);
    await join(await f.user(), token).expect(201);
  });

  it('50. a named supportSpace token lets a provider support the space; a userJoinSpace token does not', async () => {
    const owner = await f.user();
    const spaceId = await s.space(owner.token);
    const provider = await f.provider();
    const userInvite = (await named(owner, { type: inviteType(spaceId) })).token;
    const wrong = await as(provider).post('/provider/spaces/support').send({ token: userInvite, size: 1000 });
    expect([wrong.status, wrong.body]).toEqual([400, INVALID_TOKEN]);
    const support = (await named(owner, { type: inviteType(spaceId, 'supportSpace') })).token;
    await as(provider).post('/provider/spaces/support').send({ token: support, size: 1000 }).expect(201);
    const spaces = await as(provider).get('/provider/spaces').expect(200);
    expect(JSON.stringify(spaces.body)).toContain(spaceId);
  });

  it('51. two concurrent joins with a single-use invite: exactly one succeeds', async () => {
    const owner = await f.user();
    const spaceId = await s.space(owner.token);
    const { token } = await named(owner, { type: inviteType(spaceId), usageLimit: 1 });
    const [b, c] = [await f.user(), await f.user()];
    const answers = await Promise.all([join(b, token), join(c, token)]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 400]);
    expect(answers.find((a) => a.status === 400)!.body).toEqual(INVALID_TOKEN);
  });

  it('52. an invite confined to a consumer serves only that user', async () => {
    const owner = await f.user();
    const spaceId = await s.space(owner.token);
    const [bob, carol] = [await f.user(), await f.user()];
    const invite = (await named(owner, { type: inviteType(spaceId) })).token;
    const confined = await confine(invite, [{ type: 'consumer', whitelist: [`usr-${bob.userId}`] }]);
    const refused = await join(carol, confined);
    expect([refused.status, refused.body]).toEqual([400, INVALID_TOKEN]);
    await join(bob, confined).expect(201);
    await join(carol, invite).expect(201); // Carol was refused for the caveat alone
  });

  describe('each enforced caveat, on both sides of its condition', () => {
    it('time: a token holds until its validUntil and fails from then on', async () => {
      const alice = await f.user();
      await probe(await confine(alice.token, [{ type: 'time', validUntil: nowSeconds() + 60 }])).expect(200);
      const validUntil = nowSeconds() + 3;
      // Written in at creation, and appended to a token that had none.
      const created = await withCaveats(alice, [{ type: 'time', validUntil }]);
      const confined = await confine(alice.token, [{ type: 'time', validUntil }]);
      for (const token of [created, confined]) await probe(token).expect(200);
      while (nowSeconds() < validUntil) await new Promise((r) => setTimeout(r, 100));
      for (const token of [created, confined]) expectBearer401(await probe(token));
      await probe(alice.token).expect(200);
    });

    it('ip: the connecting address counts, not an X-Forwarded-For header (TRUST_PROXY is off)', async () => {
      const alice = await f.user();
      const token = await withCaveats(alice, [{ type: 'ip', whitelist: ['10.0.0.0/8'] }]);
      expectBearer401(await probe(token, { 'x-forwarded-for': '10.1.2.3' }));
      await probe(await withCaveats(alice, [{ type: 'ip', whitelist: ['10.0.0.0/8', '127.0.0.0/8'] }])).expect(200);
    });

    it('interface: oneclient fails as a bearer, and verifies only as data access through that interface', async () => {
      const alice = await f.user();
      const token = await withCaveats(alice, [{ type: 'interface', interface: 'oneclient' }]);
      expectBearer401(await probe(token));
      expectInvalidToken(await verify('access', { token, interface: 'rest' }));
      await verify('access', { token, interface: 'oneclient', allowDataAccessCaveats: true }).expect(200);
    });

    it('api: an entry for the exact operation holds, one for another operation fails', async () => {
      const alice = await f.user();
      await probe(await withCaveats(alice, [{ type: 'api', whitelist: [`ozw/get/user.${alice.userId}.spaces:private`] }])).expect(200);
      expectBearer401(
        await probe(await withCaveats(alice, [{ type: 'api', whitelist: [`ozw/create/user.${alice.userId}.spaces:private`] }])),
      );
    });

    it('service: ozw-onezone holds without a service token; a named provider holds only through its own service token', async () => {
      const alice = await f.user();
      const [p, q] = [await f.provider(), await f.provider()];
      const spaceId = await s.space(alice.token);
      await s.support(spaceId, alice.token, p.token, 1000);
      await s.support(spaceId, alice.token, q.token, 1000);
      await probe(await withCaveats(alice, [{ type: 'service', whitelist: ['ozw-onezone'] }])).expect(200);
      const onlyP = await withCaveats(alice, [{ type: 'service', whitelist: [`opw-${p.providerId}`] }]);
      await as(onlyP)
        .get(`/spaces/${spaceId}`)
        .set({ 'x-onedata-service-token': await providerIdentity(p) })
        .expect(200);
      expectBearer401(
        await as(onlyP)
          .get(`/spaces/${spaceId}`)
          .set({ 'x-onedata-service-token': await providerIdentity(q) }),
      );
    });

    it('consumer: usr-* holds for any proven user and fails without one', async () => {
      const [alice, bob] = [await f.user(), await f.user()];
      const token = await confine(alice.token, [{ type: 'consumer', whitelist: ['usr-*'] }]);
      expectBearer401(await probe(token));
      await probe(token, { 'x-onedata-consumer-token': await identityToken(bob) }).expect(200);
      const provider = await f.provider();
      expectBearer401(await probe(token, { 'x-onedata-consumer-token': provider.token }));
    });
  });
});
