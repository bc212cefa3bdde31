import { ConfigError, loadConfig } from '../../src/config/environment.js';
import { disposeEnv, startApp, testEnv, type TestApp } from '../support/test-app.js';
import { Factories, SpaceFactories, api, idFrom } from '../support/factories.js';

type Who = { token: string };
type User = Who & { userId: string };
type Provider = Who & { providerId: string };

const error = (code: string) => ({ error: code, error_description: expect.any(String) });
/** Fields that make a space advertisable. */
const D = {
  advertisedInMarketplace: true,
  description: 'd',
  organizationName: 'o',
  marketplaceContactEmail: 'ops@example.org',
};

/**
 * A space's descriptive fields: what creation and PATCH take, the advertised
 * rule, the limits, the configured tags, who sees the contact email, and
 * GET /configuration.
 */
describe('space metadata', () => {
  let t: TestApp;
  let f: Factories;
  let s: SpaceFactories;
  let o: User, m: User, k: User, g: User;
  let p: Provider;
  let spaceId: string;

  beforeAll(async () => {
    t = await startApp(await testEnv());
    f = new Factories(t.http, t.env.ADMIN_TOKEN);
    s = new SpaceFactories(t.http);
    [o, m, k, g] = [await f.user('Owner O'), await f.user('Member M'), await f.user('Updater K'), await f.user('Marketer G')];
    p = await f.provider({ name: 'Provider P' });
    spaceId = await s.space(o.token, 'Meteo');
    await s.join(spaceId, o.token, m.token);
    await s.join(spaceId, o.token, k.token, ['space_view', 'space_update']);
    await s.join(spaceId, o.token, g.token, ['space_view', 'space_manage_in_marketplace']);
    await s.support(spaceId, o.token, p.token, 10);
  });

  afterAll(async () => {
    await t.close();
    await disposeEnv(t.env);
  });

  const as = (who?: Who) => api(t.http, who?.token);
  const read = async (id = spaceId, who: Who = o) => (await as(who).get(`/spaces/${id}`).expect(200)).body;
  const stored = (id = spaceId) => t.prisma.space.findUniqueOrThrow({ where: { id } });
  const mySpaces = async (who: Who) => (await as(who).get('/user/spaces').expect(200)).body.spaces;
  const patch = (body: object, who: Who = o, id = spaceId) => as(who).patch(`/spaces/${id}`).send(body);
  /** A fresh space of O's, for statements that change what is stored. */
  const fresh = async () => s.space(o.token, 'Fresh');

  it('1. a space starts with empty descriptive fields and an empty support parameters registry', async () => {
    const owned = await fresh();
    expect(await read(owned)).toMatchObject({
      description: '',
      organizationName: '',
      tags: [],
      advertisedInMarketplace: false,
      marketplaceContactEmail: '',
      supportParametersRegistry: {},
    });
  });

  it('2. POST /user/spaces takes description, organizationName and tags; GET returns them, tags in order', async () => {
    const res = await as(o)
      .post('/user/spaces')
      .send({ name: 'XX', description: '# Hi', organizationName: 'ACK', tags: ['science', 'open-data'] })
      .expect(201);
    expect(await read(idFrom(res.headers.location))).toMatchObject({
      name: 'XX',
      description: '# Hi',
      organizationName: 'ACK',
      tags: ['science', 'open-data'],
      advertisedInMarketplace: false,
    });
  });

  it('3. an unconfigured tag is 400 invalid_request and creates nothing', async () => {
    const before = await mySpaces(o);
    const res = await as(o)
      .post('/user/spaces')
      .send({ name: 'XX', tags: ['troll'] })
      .expect(400);
    expect(res.body).toEqual({ error: 'invalid_request', error_description: expect.stringContaining('"troll"') });
    expect(await mySpaces(o)).toEqual(before);
  });

  it('4. POST /spaces by a user with the advertised fields creates an advertised space, listed in the Marketplace', async () => {
    const res = await as(o)
      .post('/spaces')
      .send({ name: 'XX', ...D })
      .expect(201);
    const id = idFrom(res.headers.location);
    expect(await read(id)).toMatchObject({ name: 'XX', ...D });
    const listed = (await as(m).post('/spaces/marketplace/list').send({ index: 'XX' }).expect(200)).body.spaces;
    expect(listed).toContainEqual({ spaceId: id, index: `XX\u0000${id}` });
  });

  it('5. an advertised creation without a contact email is 400 and creates nothing', async () => {
    const before = await mySpaces(o);
    const body = { name: 'XX', advertisedInMarketplace: true, description: 'd', organizationName: 'o' };
    const res = await as(o).post('/user/spaces').send(body).expect(400);
    expect(res.body).toEqual({ error: 'invalid_request', error_description: expect.stringContaining('marketplaceContactEmail') });
    expect(await mySpaces(o)).toEqual(before);
  });

  it('6. PATCH {} is 400 invalid_request', async () => {
    expect((await patch({}).expect(400)).body).toEqual(error('invalid_request'));
  });

  it('7. advertising a space without a description is 400, and it stays unadvertised', async () => {
    const owned = await fresh();
    const res = await patch({ advertisedInMarketplace: true }, o, owned).expect(400);
    expect(res.body.error_description).toEqual(expect.stringContaining('description'));
    expect((await stored(owned)).advertisedInMarketplace).toBe(false);
  });

  it('8. with the advertised fields set, emptying the description is 400 and it stays "d"', async () => {
    const owned = await fresh();
    await patch(D, o, owned).expect(204);
    expect(await read(owned)).toMatchObject(D);
    for (const field of ['description', 'organizationName', 'marketplaceContactEmail']) {
      expect((await patch({ [field]: '' }, o, owned).expect(400)).body).toEqual(error('invalid_request'));
    }
    expect(await stored(owned)).toMatchObject({ description: 'd', organizationName: 'o', marketplaceContactEmail: 'ops@example.org' });
    // Un-advertising and emptying at once is fine.
    await patch({ advertisedInMarketplace: false, description: '' }, o, owned).expect(204);
  });

  it('9. description up to 100000 characters, organizationName up to 256 (characters, not bytes)', async () => {
    const owned = await fresh();
    await patch({ description: 'a'.repeat(100_001) }, o, owned).expect(400);
    await patch({ description: 'a'.repeat(100_000) }, o, owned).expect(204);
    await patch({ organizationName: 'o'.repeat(257) }, o, owned).expect(400);
    await patch({ organizationName: 'o'.repeat(256) }, o, owned).expect(204);
    await patch({ organizationName: '😀'.repeat(256) }, o, owned).expect(204);
    expect(await stored(owned)).toMatchObject({ description: 'a'.repeat(100_000), organizationName: '😀'.repeat(256) });
  });

  it('10. a contact email is checked even while the space is not advertised', async () => {
    const owned = await fresh();
    for (const bad of ['emailwithoutdomain', 'a@b', ' ops@example.org', `${'a'.repeat(250)}@b.cd`]) {
      expect((await patch({ marketplaceContactEmail: bad }, o, owned).expect(400)).body).toEqual(error('invalid_request'));
    }
    expect((await stored(owned)).marketplaceContactEmail).toBe('');
    await patch({ marketplaceContactEmail: 'first.last+tag@mail.example.org' }, o, owned).expect(204);
    await patch({ marketplaceContactEmail: '' }, o, owned).expect(204);
  });

  it('11. space_update changes the fields; the Marketplace fields need space_manage_in_marketplace, whatever the value', async () => {
    await patch({ description: 'x' }, k).expect(204);
    expect((await stored()).description).toBe('x');
    expect((await patch({ advertisedInMarketplace: false }, k).expect(403)).body).toEqual(error('forbidden'));
    expect((await patch({ marketplaceContactEmail: 'a@b.c' }, k).expect(403)).body).toEqual(error('forbidden'));
    expect((await stored()).marketplaceContactEmail).toBe('');
  });

  it('12. authorisation comes before validation: a bad Marketplace value from K is 403; G lacks space_update', async () => {
    expect((await patch({ advertisedInMarketplace: 'yes' }, k).expect(403)).body).toEqual(error('forbidden'));
    expect((await patch({ advertisedInMarketplace: null }, k).expect(403)).body).toEqual(error('forbidden'));
    expect((await patch(D, g).expect(403)).body).toEqual(error('forbidden'));
    expect((await stored()).advertisedInMarketplace).toBe(false);
  });

  it('13. tags lose repeats and keep their order; null, wrong types and unknown fields are 400', async () => {
    const owned = await fresh();
    await patch({ tags: ['demo', 'demo', 'sport'] }, o, owned).expect(204);
    expect((await read(owned)).tags).toEqual(['demo', 'sport']);
    for (const body of [
      { tags: null },
      { description: 10 },
      { color: 'red' },
      { tags: 'demo' },
      { tags: [1] },
      { organizationName: null },
      { description: null },
      { advertisedInMarketplace: null },
      { marketplaceContactEmail: null },
      { name: null },
    ]) {
      expect([body, (await patch(body, o, owned)).status]).toEqual([body, 400]);
    }
    expect((await read(owned)).tags).toEqual(['demo', 'sport']);
  });

  it('14. the contact email is shown to O, G and the admin; M and the supporting provider see ""', async () => {
    const owned = await s.space(o.token, 'Shown');
    await s.join(owned, o.token, m.token);
    await s.join(owned, o.token, g.token, ['space_view', 'space_manage_in_marketplace']);
    await s.support(owned, o.token, p.token, 1);
    await patch(D, o, owned).expect(204);
    for (const who of [o, g, { token: t.env.ADMIN_TOKEN }]) {
      expect((await read(owned, who)).marketplaceContactEmail).toBe('ops@example.org');
    }
    expect((await read(owned, m)).marketplaceContactEmail).toBe('');
    expect((await as(m).get(`/user/spaces/${owned}`).expect(200)).body.marketplaceContactEmail).toBe('');
    expect((await as(o).get(`/user/spaces/${owned}`).expect(200)).body.marketplaceContactEmail).toBe('ops@example.org');
    const viaProvider = (await as(p).get(`/provider/spaces/${owned}`).expect(200)).body;
    expect(viaProvider).toMatchObject({ advertisedInMarketplace: true, description: 'd', marketplaceContactEmail: '' });
    expect((await read(owned, p)).marketplaceContactEmail).toBe('');
  });

  it('15. a provider creating with a creation token may set description and tags, not the Marketplace fields (403)', async () => {
    const refused = await f.creationToken(o.token);
    const before = await mySpaces(o);
    for (const extra of [{ advertisedInMarketplace: false }, { marketplaceContactEmail: 'bad' }]) {
      const res = await as(p)
        .post('/spaces')
        .send({ name: 'Provided', token: refused, size: 1, ...extra })
        .expect(403);
      expect(res.body).toEqual(error('forbidden'));
    }
    expect(await mySpaces(o)).toEqual(before);
    // The token was not used: it still creates a space.
    const res = await as(p)
      .post('/spaces')
      .send({ name: 'Provided', token: refused, size: 1, description: 'd', tags: ['demo'] })
      .expect(201);
    expect(await read(idFrom(res.headers.location))).toMatchObject({
      description: 'd',
      tags: ['demo'],
      creator: { type: 'provider', id: p.providerId },
    });
  });

  it('16. the seed bodies answer as before: 201, no body, Location', async () => {
    const plain = await as(o).post('/user/spaces').send({ name: 'Seed' }).expect(201);
    expect(plain.text).toBe('');
    expect(plain.headers.location).toMatch(/^\/api\/v3\/onezone\/user\/spaces\/[0-9a-f]{32}$/);
    const supported = await as(o)
      .post('/user/spaces')
      .send({ name: 'Seed', token: await f.supportToken(p.token), size: '150' })
      .expect(201);
    expect(supported.text).toBe('');
    expect(await read(idFrom(supported.headers.location))).toMatchObject({
      providers: { [p.providerId]: 150 },
      supportParametersRegistry: {
        [p.providerId]: { accountingEnabled: false, dirStatsServiceEnabled: false, dirStatsServiceStatus: 'disabled' },
      },
    });
    const provided = await as(p)
      .post('/spaces')
      .send({ name: 'Seed', token: await f.creationToken(o.token), size: 150 })
      .expect(201);
    expect(provided.text).toBe('');
    expect(provided.headers.location).toMatch(/^\/api\/v3\/onezone\/spaces\/[0-9a-f]{32}$/);
  });

  it('17. GET /configuration needs no credentials and lists the default tags', async () => {
    const res = await t.http.get('/api/v3/onezone/configuration').expect(200);
    expect(res.body).toEqual({
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      availableSpaceTags: { general: expect.arrayContaining(['open-data', 'EU-funded']), domains: expect.arrayContaining(['science']) },
      spaceMarketplaceEnabled: true,
      spaceMarketplaceMinBackoffBetweenReminders: 86400,
      spaceMarketplaceMinBackoffAfterRejection: 86400,
    });
    expect(Object.keys(res.body.availableSpaceTags)).toEqual(['general', 'domains']);
    expect([res.body.availableSpaceTags.general.length, res.body.availableSpaceTags.domains.length]).toEqual([20, 24]);
    // Valid credentials change nothing.
    expect((await as(o).get('/configuration').expect(200)).body).toEqual(res.body);
  });

  describe('18. configured tags', () => {
    let custom: TestApp;

    beforeAll(async () => {
      custom = await startApp(await testEnv({ AVAILABLE_SPACE_TAGS: '{"x":["a","b"],"y":["b"]}', SPACE_MARKETPLACE_ENABLED: 'false' }));
    });

    afterAll(async () => {
      await custom.close();
      await disposeEnv(custom.env);
    });

    it('18. /configuration shows exactly the configured object; only its tags are accepted', async () => {
      const res = await custom.http.get('/api/v3/onezone/configuration').expect(200);
      expect(res.body).toMatchObject({ availableSpaceTags: { x: ['a', 'b'], y: ['b'] }, spaceMarketplaceEnabled: false });
      const user = await new Factories(custom.http, custom.env.ADMIN_TOKEN).user();
      const owned = await new SpaceFactories(custom.http).space(user.token);
      await api(custom.http, user.token)
        .patch(`/spaces/${owned}`)
        .send({ tags: ['a', 'b'] })
        .expect(204);
      await api(custom.http, user.token)
        .patch(`/spaces/${owned}`)
        .send({ tags: ['demo'] })
        .expect(400);
    });

    it('18. a malformed AVAILABLE_SPACE_TAGS stops the start, naming the variable', async () => {
      for (const bad of ['[1]', '{"x":"a"}', '{"x":[""]}', `{"x":["${'t'.repeat(65)}"]}`, '{"":["a"]}', 'not json']) {
        expect(() => loadConfig({ AVAILABLE_SPACE_TAGS: bad })).toThrow(ConfigError);
        expect(() => loadConfig({ AVAILABLE_SPACE_TAGS: bad })).toThrow(/AVAILABLE_SPACE_TAGS/);
      }
      await expect(startApp(await testEnv({ AVAILABLE_SPACE_TAGS: '[1]' }))).rejects.toThrow(/AVAILABLE_SPACE_TAGS/);
    });
  });
});
