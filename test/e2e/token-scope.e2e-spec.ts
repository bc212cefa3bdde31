import { Factories, SpaceFactories, api } from '../support/factories.js';
import { PREFIX, disposeEnv, startApp, testEnv, type TestApp } from '../support/test-app.js';

const b64 = (path: string) => Buffer.from(path).toString('base64');

/** POST /tokens/infer_access_token_scope: what an access token reaches in the data plane. */
describe('inferring the scope of an access token', () => {
  let t: TestApp;
  let alice: { userId: string; token: string };
  let p1: { providerId: string; token: string };
  let p2: { providerId: string; token: string };
  let s1: string;
  let s2: string;

  const infer = (body: object) => t.http.post(`${PREFIX}/tokens/infer_access_token_scope`).send(body);
  const confine = async (token: string, caveats: object[]) =>
    (await t.http.post(`${PREFIX}/tokens/confine`).send({ token, caveats }).expect(200)).body.token as string;

  beforeAll(async () => {
    t = await startApp(await testEnv());
    const f = new Factories(t.http, t.env.ADMIN_TOKEN);
    const spaces = new SpaceFactories(t.http);
    alice = await f.user();
    p1 = await f.provider({ name: 'Provider One' });
    p2 = await f.provider({ name: 'Provider Two' });
    s1 = await spaces.space(alice.token, 'First');
    s2 = await spaces.space(alice.token, 'Second');
    await spaces.support(s1, alice.token, p1.token, 100);
    await spaces.support(s2, alice.token, p1.token, 100);
    await spaces.support(s2, alice.token, p2.token, 100);
  });

  afterAll(async () => {
    await t.close();
    await disposeEnv(t.env);
  });

  it("a user's token reaches every space of the user, with their providers", async () => {
    const res = await infer({ token: alice.token }).expect(200);
    expect(res.body).toEqual({
      validUntil: null,
      dataAccessScope: {
        readonly: false,
        spaces: {
          [s1]: { name: 'First', supports: { [p1.providerId]: { readonly: false } } },
          [s2]: { name: 'Second', supports: { [p1.providerId]: { readonly: false }, [p2.providerId]: { readonly: false } } },
        },
        providers: {
          [p1.providerId]: { name: 'Provider One', domain: null, version: null, online: false },
          [p2.providerId]: { name: 'Provider Two', domain: null, version: null, online: false },
        },
      },
    });
  });

  it('data caveats narrow the spaces and make it read-only; provider service caveats narrow the providers', async () => {
    const until = Math.floor(Date.now() / 1000) + 3600;
    const token = await confine(alice.token, [
      { type: 'data.readonly' },
      { type: 'data.path', whitelist: [b64(`/${s2}/dir`)] },
      { type: 'service', whitelist: [`opw-${p2.providerId}`] },
      { type: 'interface', interface: 'oneclient' },
      { type: 'time', validUntil: until },
    ]);
    const res = await infer({ token }).expect(200);
    expect(res.body).toEqual({
      validUntil: until,
      dataAccessScope: {
        readonly: true,
        spaces: { [s2]: { name: 'Second', supports: { [p2.providerId]: { readonly: false } } } },
        providers: { [p2.providerId]: { name: 'Provider Two', domain: null, version: null, online: false } },
      },
    });
    // The same token is no bearer on this API: data-access caveats are for the data plane.
    await api(t.http, token).get('/user/spaces').expect(401);
  });

  it("a provider's token has no data-access scope", async () => {
    expect((await infer({ token: p1.token }).expect(200)).body).toEqual({ validUntil: null, dataAccessScope: null });
  });

  it("the consumer is the token's own subject unless a consumer token says otherwise", async () => {
    const bob = await new Factories(t.http, t.env.ADMIN_TOKEN).user();
    const forBob = await confine(alice.token, [{ type: 'consumer', whitelist: [`usr-${bob.userId}`] }]);
    await infer({ token: forBob }).expect(400);
    const bobIdentity = (
      await api(t.http, bob.token)
        .post('/user/tokens/named')
        .send({ name: 'bob-id', type: { identityToken: {} } })
        .expect(201)
    ).body.token;
    expect((await infer({ token: forBob, consumerToken: bobIdentity }).expect(200)).body.dataAccessScope.spaces).toHaveProperty(s1);
    expect((await infer({ token: forBob, consumerToken: 'garbage' }).expect(400)).body.error).toBe('invalid_token');
  });

  it('anything but a valid access token is 400 invalid_token; a faulty body is 400 invalid_request', async () => {
    const identity = (
      await api(t.http, alice.token)
        .post('/user/tokens/named')
        .send({ name: 'alice-id', type: { identityToken: {} } })
        .expect(201)
    ).body.token;
    for (const token of [identity, 'abc', await confine(alice.token, [{ type: 'time', validUntil: Math.floor(Date.now() / 1000) - 10 }])]) {
      expect((await infer({ token }).expect(400)).body.error).toBe('invalid_token');
    }
    expect((await infer({}).expect(400)).body.error).toBe('invalid_request');
    expect((await infer({ token: alice.token, extra: 1 }).expect(400)).body.error).toBe('invalid_request');
  });
});
