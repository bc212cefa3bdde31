import createClient from 'openapi-fetch';
import type { paths } from '../../client/schema.js';
import { PREFIX, disposeEnv, startApp, testEnv, type TestApp } from '../support/test-app.js';

/**
 * The seed flows through the typed client generated from openapi.json
 * (openapi-typescript + openapi-fetch): if the document and the service
 * disagree, this stops compiling or fails.
 */
describe('typed client (openapi.json)', () => {
  let t: TestApp;
  let client: ReturnType<typeof createClient<paths>>;

  beforeAll(async () => {
    t = await startApp(await testEnv());
    client = createClient<paths>({ baseUrl: `${await t.app.getUrl()}${PREFIX}` });
  });

  afterAll(async () => {
    await t.close();
    await disposeEnv(t.env);
  });

  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  it('POST /user/spaces with a provider support token, then the seed 400 on reuse', async () => {
    const admin = as(t.env.ADMIN_TOKEN);
    const user = await client.POST('/users', { headers: admin, body: { name: 'Typed user' } });
    expect(user.response.status).toBe(201);
    const provider = await client.POST('/providers', { headers: admin, body: { name: 'Typed provider', capacity: 1000 } });
    const support = await client.POST('/provider/spaces/token', { headers: as(provider.data!.token), body: { maxSize: 500 } });
    expect(support.response.status).toBe(200);

    const created = await client.POST('/user/spaces', {
      headers: as(user.data!.token),
      body: { name: 'My Private space', token: support.data!.token, size: 150 },
    });
    expect(created.response.status).toBe(201);
    const location = created.response.headers.get('location')!;
    const spaceId = location.split('/').pop()!;

    const space = await client.GET('/spaces/{id}', { headers: as(user.data!.token), params: { path: { id: spaceId } } });
    expect(space.data).toMatchObject({ spaceId, name: 'My Private space', providers: { [provider.data!.providerId]: 150 } });

    const reused = await client.POST('/user/spaces', {
      headers: as(user.data!.token),
      body: { name: 'Again', token: support.data!.token, size: 150 },
    });
    expect(reused.response.status).toBe(400);
    expect(reused.error).toEqual({ error: 'invalid_token', error_description: 'Provided token could not be validated.' });
  });

  it('POST /spaces: a provider creates a space for the user who minted the creation token', async () => {
    const admin = as(t.env.ADMIN_TOKEN);
    const user = (await client.POST('/users', { headers: admin, body: { name: 'Owner' } })).data!;
    const provider = (await client.POST('/providers', { headers: admin, body: { name: 'Creator' } })).data!;
    const creation = (await client.POST('/user/spaces/token', { headers: as(user.token), body: {} })).data!;
    const created = await client.POST('/spaces', {
      headers: as(provider.token),
      body: { name: 'Made for you', token: creation.token, size: 1024 },
    });
    expect(created.response.status).toBe(201);
    const spaceId = created.response.headers.get('location')!.split('/').pop()!;
    const mine = await client.GET('/user/spaces', { headers: as(user.token) });
    expect(mine.data!.spaces).toContain(spaceId);
    const supported = await client.GET('/provider/spaces', { headers: as(provider.token) });
    expect(supported.data!.spaces).toContain(spaceId);
  });
});
