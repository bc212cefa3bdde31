import { onPostgres } from '../support/databases.js';
import { ServiceProcess } from '../support/service-process.js';
import { disposeEnv, testEnv, type TestEnv } from '../support/test-app.js';
import { query } from './database.js';
import { attempt, type Outcome, sleep, tally, underLoad } from './load.js';
import { TcpProxy } from './tcp-proxy.js';

/**
 * A PostgreSQL outage under load: requests fail fast with 503
 * service_unavailable (never a hang, a stack or a crash), /health reports it,
 * and the service recovers by itself when the database is back.
 */
(onPostgres() ? describe : describe.skip)('database outage (PostgreSQL)', () => {
  let env: TestEnv;
  let proxy: TcpProxy;

  beforeAll(async () => {
    env = await testEnv();
    const url = new URL(env.DATABASE_URL!);
    proxy = new TcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    await proxy.listen();
  });

  afterAll(async () => {
    await proxy.cut();
    await disposeEnv(env);
  });

  it('503 fast while the database is down, recovery without a restart, no acknowledged write lost', async () => {
    const url = new URL(env.DATABASE_URL!);
    url.port = String(proxy.port);
    const service = ServiceProcess.start({ ...env, DATABASE_URL: url.toString() });
    const base = await service.ready();
    const user = JSON.parse((await attempt(base, '/users', { token: env.ADMIN_TOKEN, method: 'POST', body: '{"name":"Outage"}' })).body!);
    const spaceId = (await attempt(base, '/user/spaces', { token: user.token, method: 'POST', body: '{"name":"Read me"}' }))
      .location!.split('/')
      .pop();

    const marks = { cut: 0, restored: 0 };
    const health: number[] = [];
    const outcomes: (Outcome & { started: number })[] = [];
    const timed = async (call: () => Promise<Outcome>) => {
      const started = Date.now();
      const outcome = { ...(await call()), started };
      outcomes.push(outcome);
      return outcome;
    };
    await underLoad(
      12,
      (client, n) =>
        timed(() =>
          client % 2 === 0
            ? attempt(base, '/user/spaces', { token: user.token, method: 'POST', body: JSON.stringify({ name: `Space ${client}-${n}` }) })
            : attempt(base, `/spaces/${spaceId}`, { token: user.token }),
        ),
      async () => {
        await sleep(1500);
        marks.cut = Date.now();
        await proxy.cut();
        await sleep(1000);
        health.push((await fetch(`${base}/health`)).status);
        await sleep(2000);
        marks.restored = Date.now();
        await proxy.restore();
        // Back to normal by itself: wait for the first success after the restore, then a little more.
        const deadline = Date.now() + 15_000;
        while (Date.now() < deadline && !outcomes.some((o) => o.started > marks.restored && (o.status === 201 || o.status === 200))) {
          await sleep(100);
        }
        await sleep(1000);
        health.push((await fetch(`${base}/health`)).status);
      },
    );
    expect(await service.stop()).toBe(0);

    const during = outcomes.filter((o) => o.started > marks.cut + 200 && o.started + o.ms < marks.restored);
    const after = outcomes.filter((o) => o.started > marks.restored);
    const firstSuccess = after.find((o) => o.status === 201 || o.status === 200);
    process.stdout.write(
      `outage: ${outcomes.length} requests; during the outage ${JSON.stringify(tally(during))}, slowest ${Math.max(...during.map((o) => o.ms))} ms; ` +
        `first success ${firstSuccess ? firstSuccess.started - marks.restored : '∞'} ms after the restore; all ${JSON.stringify(tally(outcomes))}\n`,
    );
    // The service itself never failed: every request got an answer, 2xx or 503.
    for (const key of Object.keys(tally(outcomes))) expect(['200', '201', '503']).toContain(key);
    expect(during.length).toBeGreaterThan(10);
    for (const o of during) {
      expect(o.status).toBe(503);
      expect(JSON.parse(o.body!)).toEqual({ error: 'service_unavailable', error_description: expect.any(String) });
      expect(o.ms).toBeLessThan(6_000);
    }
    expect(health).toEqual([503, 200]);
    expect(firstSuccess).toBeDefined();
    const tail = outcomes.filter((o) => o.started > firstSuccess!.started + 500);
    expect(tail.length).toBeGreaterThan(0);
    for (const o of tail) expect([200, 201]).toContain(o.status);

    const acknowledged = outcomes.filter((o) => o.status === 201).map((o) => o.location!.split('/').pop()!);
    const stored = await query<{ id: string }>(env, 'SELECT id FROM spaces WHERE creator_id = $1', [user.userId]);
    const ids = new Set(stored.map((r) => r.id));
    expect(acknowledged.filter((id) => !ids.has(id))).toEqual([]);
  });
});
