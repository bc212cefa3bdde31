import { onPostgres } from '../support/databases.js';
import { ServiceProcess } from '../support/service-process.js';
import { disposeEnv, testEnv, type TestEnv } from '../support/test-app.js';
import { attempt, tally } from './load.js';

/**
 * Two service processes on one PostgreSQL: what one creates the other serves,
 * and the rules that hold in one process (single-use tokens, capacity) hold
 * across both.
 */
(onPostgres() ? describe : describe.skip)('two instances, one database', () => {
  let env: TestEnv;
  let a: ServiceProcess;
  let b: ServiceProcess;
  let bases: [string, string];

  beforeAll(async () => {
    env = await testEnv();
    a = ServiceProcess.start(env);
    b = ServiceProcess.start(env);
    bases = [await a.ready(), await b.ready()];
  });

  afterAll(async () => {
    expect(await a.stop()).toBe(0);
    expect(await b.stop()).toBe(0);
    await disposeEnv(env);
  });

  const post = (base: string, path: string, token: string, body: object) =>
    attempt(base, path, { token, method: 'POST', body: JSON.stringify(body) });
  const json = (body: string | undefined) => JSON.parse(body!);

  it('users, tokens and spaces created through one instance are usable through the other', async () => {
    const [one, two] = bases;
    const user = json((await post(one, '/users', env.ADMIN_TOKEN, { name: 'Shared' })).body);
    const created = await post(two, '/user/spaces', user.token, { name: 'Made on two' });
    expect(created.status).toBe(201);
    const id = created.location!.split('/').pop();
    const read = await attempt(one, `/spaces/${id}`, { token: user.token });
    expect(read.status).toBe(200);
    expect(json(read.body).name).toBe('Made on two');
    const invite = json((await post(one, `/spaces/${id}/users/token`, user.token, {})).body).token;
    const bob = json((await post(two, '/users', env.ADMIN_TOKEN, { name: 'Bob' })).body);
    expect((await post(two, '/user/spaces/join', bob.token, { token: invite })).status).toBe(201);
    expect(json((await attempt(one, '/user/spaces', { token: bob.token })).body).spaces).toEqual([id]);
  });

  it('16 racing uses of one single-use token across both: exactly one succeeds', async () => {
    const provider = json((await post(bases[0], '/providers', env.ADMIN_TOKEN, { name: 'Racer' })).body);
    const token = json((await post(bases[1], '/provider/spaces/token', provider.token, {})).body).token;
    const users = await Promise.all(
      Array.from({ length: 16 }, async (_, i) => json((await post(bases[i % 2], '/users', env.ADMIN_TOKEN, { name: `User ${i}` })).body)),
    );
    const outcomes = await Promise.all(
      users.map((u, i) => post(bases[i % 2], '/user/spaces', u.token, { name: `Race ${i}`, token, size: 10 })),
    );
    process.stdout.write(`two instances, one single-use token: ${JSON.stringify(tally(outcomes))}\n`);
    expect(tally(outcomes)).toEqual({ 201: 1, 400: 15 });
  });

  it('capacity holds across both: 10 racing 200-byte supports on 1000 bytes give exactly 5', async () => {
    const provider = json((await post(bases[0], '/providers', env.ADMIN_TOKEN, { name: 'Small', capacity: 1000 })).body);
    const token = json((await post(bases[1], '/provider/spaces/token', provider.token, { usageLimit: 100 })).body).token;
    const user = json((await post(bases[0], '/users', env.ADMIN_TOKEN, { name: 'Filler' })).body);
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) => post(bases[i % 2], '/user/spaces', user.token, { name: `Fill ${i}`, token, size: 200 })),
    );
    expect(tally(outcomes)).toEqual({ 201: 5, 400: 5 });
    const supported = await Promise.all(
      outcomes
        .filter((o) => o.status === 201)
        .map(async (o) => json((await attempt(bases[0], `/spaces/${o.location!.split('/').pop()}`, { token: user.token })).body)),
    );
    const used = supported.reduce((sum, space) => sum + Number(space.providers[provider.providerId]), 0);
    expect(used).toBe(1000);
  });
});
