import { ServiceProcess } from '../support/service-process.js';
import { disposeEnv, testEnv, type TestEnv } from '../support/test-app.js';
import { query } from './database.js';
import { attempt, sleep, tally, underLoad } from './load.js';

/**
 * Crash durability: `kill -9` while 16 clients create spaces, then a restart
 * on the same data. Every space acknowledged with 201 is there with its owner
 * and its support, and nothing is half-written.
 */
describe('crash durability', () => {
  let env: TestEnv;

  beforeAll(async () => {
    env = await testEnv();
  });

  afterAll(async () => {
    await disposeEnv(env);
  });

  it('kill -9 under load loses no acknowledged creation and leaves no half-written one', async () => {
    const service = ServiceProcess.start(env);
    const base = await service.ready();
    const admin = { token: env.ADMIN_TOKEN };
    const user = JSON.parse((await attempt(base, '/users', { ...admin, method: 'POST', body: '{"name":"Crash user"}' })).body!);
    const provider = JSON.parse(
      (await attempt(base, '/providers', { ...admin, method: 'POST', body: '{"name":"Crash provider","capacity":1000000000}' })).body!,
    );
    const supportToken = JSON.parse(
      (await attempt(base, '/provider/spaces/token', { token: provider.token, method: 'POST', body: '{"usageLimit":1000000}' })).body!,
    ).token as string;

    let answered = 0;
    const outcomes = await underLoad(
      16,
      async (client, n) => {
        const outcome = await attempt(base, '/user/spaces', {
          token: user.token,
          method: 'POST',
          body: JSON.stringify(
            client % 2 === 0 ? { name: `Plain ${client}-${n}` } : { name: `Supported ${client}-${n}`, token: supportToken, size: 1 },
          ),
        });
        if (outcome.status === 201) answered += 1;
        return outcome;
      },
      async () => {
        // At least 2 s, and until 100 creations were acknowledged (a slow machine takes longer), at most 30 s.
        const started = Date.now();
        await sleep(2000);
        while (answered < 100 && Date.now() - started < 30_000) await sleep(50);
        await service.stop('SIGKILL');
      },
    );
    const acknowledged = outcomes.filter((o) => o.status === 201).map((o) => o.location!.split('/').pop()!);
    expect(acknowledged.length).toBeGreaterThan(50);
    expect(Object.keys(tally(outcomes)).every((k) => k === '201' || k.startsWith('error'))).toBe(true);

    // The same data, a new process: it starts, and serves what was acknowledged.
    const again = ServiceProcess.start(env);
    const againBase = await again.ready();
    const sample = acknowledged[acknowledged.length - 1];
    expect((await attempt(againBase, `/spaces/${sample}`, { token: user.token })).status).toBe(200);
    expect(await again.stop()).toBe(0);

    const spaces = await query<{ id: string; name: string; owner: boolean | null; effective: boolean | null; size: string | null }>(
      env,
      `SELECT s.id, s.name, m.owner, e.owner AS effective, sp.size::text AS size FROM spaces s
         LEFT JOIN memberships m ON m.space_id = s.id AND m.user_id = $1
         LEFT JOIN space_eff_users e ON e.space_id = s.id AND e.user_id = $1
         LEFT JOIN supports sp ON sp.space_id = s.id AND sp.provider_id = $2
        WHERE s.creator_id = $1`,
      [user.userId, provider.providerId],
    );
    const byId = new Map(spaces.map((s) => [s.id, s]));
    const missing = acknowledged.filter((id) => !byId.has(id));
    const found = acknowledged.length - missing.length;
    process.stdout.write(
      `crash (${env.DATABASE_URL ? 'PostgreSQL' : 'embedded'}): ${acknowledged.length} acknowledged, ${found} found, ` +
        `${spaces.length - found} more committed but unanswered; outcomes ${JSON.stringify(tally(outcomes))}\n`,
    );
    expect(missing).toEqual([]);
    for (const space of spaces) {
      // Every space, acknowledged or not, is whole: its owner (direct and effective), and its support when it was made with the token.
      expect([space.id, space.owner, space.effective]).toEqual([space.id, true, true]);
      expect([space.id, space.size]).toEqual([space.id, space.name.startsWith('Supported') ? '1' : null]);
    }
    const [token] = await query<{ usage_count: number }>(env, 'SELECT usage_count FROM tokens WHERE subject_id = $1 AND type = $2', [
      provider.providerId,
      'provider_support',
    ]);
    const supports = spaces.filter((s) => s.size !== null).length;
    expect(Number(token.usage_count)).toBe(supports);
  });
});
