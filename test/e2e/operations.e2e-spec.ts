import { readdir } from 'node:fs/promises';
import { Factories } from '../support/factories.js';
import { PREFIX, disposeEnv, startApp, testEnv, type TestApp } from '../support/test-app.js';

/** Operations: request ids and readiness. */
describe('operations', () => {
  let t: TestApp;
  let user: { token: string };

  beforeAll(async () => {
    t = await startApp(await testEnv());
    user = await new Factories(t.http, t.env.ADMIN_TOKEN).user();
  });

  afterAll(async () => {
    await t.close();
    await disposeEnv(t.env);
  });

  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it('every answer, errors too, carries an X-Request-Id; a usable one from the caller is kept', async () => {
    const answers = [
      await t.http.get(`${PREFIX}/user/spaces`).set('Authorization', `Bearer ${user.token}`).expect(200),
      await t.http.get(`${PREFIX}/user/spaces`).expect(401),
      await t.http.get(`${PREFIX}/nothing`).expect(404),
    ];
    const ids = answers.map((res) => res.headers['x-request-id']);
    for (const id of ids) expect(id).toMatch(UUID);
    expect(new Set(ids).size).toBe(3);

    const kept = await t.http.get(`${PREFIX}/user/spaces`).set('X-Request-Id', 'lb-7f3a.42:1').expect(401);
    expect(kept.headers['x-request-id']).toBe('lb-7f3a.42:1');
    for (const bad of ['has space', 'x'.repeat(129), 'semi;colon']) {
      const replaced = await t.http.get(`${PREFIX}/user/spaces`).set('X-Request-Id', bad).expect(401);
      expect(replaced.headers['x-request-id']).toMatch(UUID);
    }
  });

  it('/health/ready: ready when every shipped migration is applied, 503 while one is missing', async () => {
    const shipped = (await readdir('prisma/migrations')).filter((name) => /^\d{14}_/.test(name));
    const ready = await t.http.get('/health/ready').expect(200);
    expect(ready.body).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up' }, migrations: { status: 'up', applied: shipped.length } },
    });

    const last = shipped.sort().at(-1)!;
    const [row] = await t.prisma.$queryRawUnsafe<Record<string, unknown>[]>(
      'SELECT * FROM _prisma_migrations WHERE migration_name = $1',
      last,
    );
    await t.prisma.$executeRawUnsafe('DELETE FROM _prisma_migrations WHERE migration_name = $1', last);
    try {
      const notReady = await t.http.get('/health/ready').expect(503);
      expect(notReady.body).toEqual({
        error: 'service_unavailable',
        error_description: 'Not ready: 1 migration(s) not applied yet.',
      });
      await t.http.get('/health/live').expect(200);
    } finally {
      const columns = Object.keys(row);
      await t.prisma.$executeRawUnsafe(
        `INSERT INTO _prisma_migrations (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
        ...columns.map((c) => row[c]),
      );
    }
    await t.http.get('/health/ready').expect(200);
  });
});
