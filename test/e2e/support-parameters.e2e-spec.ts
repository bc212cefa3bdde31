import { disposeEnv, startApp, testEnv, type TestApp } from '../support/test-app.js';
import { Factories, SpaceFactories, api } from '../support/factories.js';

type Who = { token: string };
type User = Who & { userId: string };
type Provider = Who & { providerId: string };

const error = (code: string) => ({ error: code, error_description: expect.any(String) });
const params = (accountingEnabled: boolean, dirStatsServiceEnabled: boolean, dirStatsServiceStatus: string) => ({
  accountingEnabled,
  dirStatsServiceEnabled,
  dirStatsServiceStatus,
});

/**
 * Support parameters: the registry in the space document, who sets which
 * parameter, the rules between them, and support with parameters.
 */
describe('support parameters', () => {
  let t: TestApp;
  let f: Factories;
  let s: SpaceFactories;
  let o: User, m: User;
  let p: Provider, p2: Provider, q: Provider;
  let admin: Who;

  beforeAll(async () => {
    t = await startApp(await testEnv());
    f = new Factories(t.http, t.env.ADMIN_TOKEN);
    s = new SpaceFactories(t.http);
    [o, m] = [await f.user('Owner O'), await f.user('Member M')];
    [p, p2, q] = [await f.provider({ name: 'Provider P' }), await f.provider({ name: 'Provider P2' }), await f.provider()];
    admin = { token: t.env.ADMIN_TOKEN };
  });

  afterAll(async () => {
    await t.close();
    await disposeEnv(t.env);
  });

  const as = (who?: Who) => api(t.http, who?.token);
  const registry = async (spaceId: string) => (await as(o).get(`/spaces/${spaceId}`).expect(200)).body.supportParametersRegistry;
  const set = (spaceId: string, who: Who, body: object, pid = p.providerId) =>
    as(who).patch(`/spaces/${spaceId}/providers/${pid}/support_parameters`).send(body);

  /** S of O's, with M a member, supported by P and P2 through POST /provider/spaces/support. */
  async function space(): Promise<string> {
    const spaceId = await s.space(o.token, 'Meteo');
    await s.join(spaceId, o.token, m.token);
    await s.support(spaceId, o.token, p.token, 10);
    await s.support(spaceId, o.token, p2.token, 20);
    return spaceId;
  }

  it('42. a support made with {token, size} starts with accounting and directory statistics off', async () => {
    const spaceId = await space();
    expect(await registry(spaceId)).toEqual({
      [p.providerId]: params(false, false, 'disabled'),
      [p2.providerId]: params(false, false, 'disabled'),
    });
  });

  it('43. the owner switches the directory statistics on: 204, their status initializing', async () => {
    const spaceId = await space();
    const res = await set(spaceId, o, { dirStatsServiceEnabled: true }).expect(204);
    expect(res.text).toBe('');
    expect((await registry(spaceId))[p.providerId]).toEqual(params(false, true, 'initializing'));
    expect((await registry(spaceId))[p2.providerId]).toEqual(params(false, false, 'disabled'));
  });

  it('44. accounting is the provider’s (not the owner’s) and needs the directory statistics', async () => {
    const spaceId = await space();
    expect((await set(spaceId, o, { accountingEnabled: true }).expect(403)).body).toEqual(error('forbidden'));
    const refused = await set(spaceId, p, { accountingEnabled: true }).expect(400);
    expect(refused.body).toEqual({ error: 'invalid_request', error_description: expect.stringContaining('dirStatsServiceEnabled') });
    expect((await registry(spaceId))[p.providerId]).toEqual(params(false, false, 'disabled'));
    await set(spaceId, p, { accountingEnabled: true, dirStatsServiceEnabled: true }).expect(204);
    expect((await registry(spaceId))[p.providerId]).toEqual(params(true, true, 'initializing'));
    // Switching the statistics off under accounting is refused too.
    await set(spaceId, p, { dirStatsServiceEnabled: false }).expect(400);
  });

  it('45. the status is reported by the provider only; switching off makes it stopping', async () => {
    const spaceId = await space();
    await set(spaceId, p, { dirStatsServiceEnabled: true }).expect(204);
    await set(spaceId, p, { dirStatsServiceStatus: 'enabled' }).expect(204);
    expect((await registry(spaceId))[p.providerId]).toEqual(params(false, true, 'enabled'));
    for (const who of [o, admin]) {
      expect((await set(spaceId, who, { dirStatsServiceStatus: 'enabled' }).expect(403)).body).toEqual(error('forbidden'));
    }
    await set(spaceId, admin, { dirStatsServiceEnabled: false }).expect(204);
    expect((await registry(spaceId))[p.providerId]).toEqual(params(false, false, 'stopping'));
    // The provider reports it stopped; the admin may switch accounting (with the statistics) too.
    await set(spaceId, p, { dirStatsServiceStatus: 'disabled' }).expect(204);
    await set(spaceId, admin, { accountingEnabled: true, dirStatsServiceEnabled: true }).expect(204);
    expect((await registry(spaceId))[p.providerId]).toEqual(params(true, true, 'initializing'));
  });

  it('46. another provider 403, a stranger 404, an unknown pid 404, {} and bad values 400, a member without space_update 403', async () => {
    const spaceId = await space();
    expect((await set(spaceId, p2, { dirStatsServiceEnabled: true }).expect(403)).body).toEqual(error('forbidden'));
    expect((await set(spaceId, q, { dirStatsServiceEnabled: true }).expect(404)).body).toEqual(error('not_found'));
    expect((await set(spaceId, o, { dirStatsServiceEnabled: true }, q.providerId).expect(404)).body).toEqual(error('not_found'));
    expect((await set(spaceId, p, {}).expect(400)).body).toEqual(error('invalid_request'));
    for (const body of [{ dirStatsServiceStatus: 'text' }, { accountingEnabled: 'yes' }, { dirStatsServiceEnabled: 1 }, { other: true }]) {
      expect([body, (await set(spaceId, p, body)).status]).toEqual([body, 400]);
    }
    expect((await set(spaceId, m, { dirStatsServiceEnabled: true }).expect(403)).body).toEqual(error('forbidden'));
    // Authorisation comes first: a bad value from someone who may not set the field is 403.
    await set(spaceId, p2, { dirStatsServiceStatus: 'text' }).expect(403);
    // null leaves a field as it is and needs no privilege.
    await set(spaceId, m, { accountingEnabled: null }).expect(204);
    expect((await registry(spaceId))[p.providerId]).toEqual(params(false, false, 'disabled'));
  });

  it('47. support with spaceSupportParameters; accounting alone is 400 and neither supports nor uses the token', async () => {
    const spaceId = await s.space(o.token, 'With parameters');
    const token = await s.supportToken(spaceId, o.token);
    const refused = await as(p)
      .post('/provider/spaces/support')
      .send({ token, size: 5, spaceSupportParameters: { accountingEnabled: true } });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual(error('invalid_request'));
    expect(await registry(spaceId)).toEqual({});
    for (const bad of [{ dirStatsServiceStatus: 'enabled' }, { accountingEnabled: 'yes' }, null, []]) {
      await as(p).post('/provider/spaces/support').send({ token, size: 5, spaceSupportParameters: bad }).expect(400);
    }
    // The same single-use token still works.
    await as(p)
      .post('/provider/spaces/support')
      .send({ token, size: 5, spaceSupportParameters: { dirStatsServiceEnabled: true } })
      .expect(201);
    expect(await registry(spaceId)).toEqual({ [p.providerId]: params(false, true, 'initializing') });
  });

  it('48. ending a support removes its registry entry', async () => {
    const spaceId = await space();
    await as(o).delete(`/spaces/${spaceId}/providers/${p.providerId}`).expect(204);
    expect(Object.keys(await registry(spaceId))).toEqual([p2.providerId]);
    await as(p2).delete(`/provider/spaces/${spaceId}`).expect(204);
    expect(await registry(spaceId)).toEqual({});
  });
});
