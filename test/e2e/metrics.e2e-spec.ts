import { once } from 'node:events';
import { connect, type AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { onPostgres } from '../support/databases.js';
import { Factories, SpaceFactories, api } from '../support/factories.js';
import { PREFIX, disposeEnv, startApp, testEnv, type TestApp } from '../support/test-app.js';

/** A sample's value in Prometheus' text format, or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-z_:]+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? '').split(',').filter(Boolean);
    if (wanted.every((label) => have.includes(label)) && have.length === wanted.length) return Number(match[3]);
  }
  return undefined;
}

/** Polls until the condition holds, for up to 5 s. */
async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await condition()) return;
    await sleep(50);
  }
  throw new Error('the condition did not hold within 5 s');
}

describe('GET /metrics (Prometheus)', () => {
  let t: TestApp;
  const scrape = async () => (await t.http.get('/metrics').expect(200)).text;

  beforeAll(async () => {
    t = await startApp(await testEnv({ RATE_LIMIT: '5', RATE_LIMIT_WINDOW_SECONDS: '3600' }));
  });

  afterAll(async () => {
    await t.close();
    await disposeEnv(t.env);
  });

  it("serves the process's default metrics and the database in Prometheus' text format, outside the API prefix", async () => {
    const res = await t.http.get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.text).toMatch(/^# TYPE process_cpu_user_seconds_total counter$/m);
    expect(res.text).toMatch(/^# TYPE nodejs_eventloop_lag_seconds gauge$/m);
    expect(res.text).toMatch(/^# TYPE http_request_duration_seconds histogram$/m);
    expect(sample(res.text, 'spaces_database_info', { kind: onPostgres() ? 'postgresql' : 'embedded' })).toBe(1);
    await t.http.get(`${PREFIX}/metrics`).expect(404);
  });

  it('is outside the rate limit and the API document: a scrape is never refused nor counted', async () => {
    for (let i = 0; i < 8; i++) {
      const res = await t.http.get('/metrics').expect(200);
      expect(res.headers['x-ratelimit-limit']).toBeUndefined();
    }
    const doc = (await t.http.get('/docs/openapi.json').expect(200)).body as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths).filter((path) => path.includes('metrics'))).toEqual([]);
  });

  it('times requests by route template and status, never by the path itself', async () => {
    const f = new Factories(t.http, t.env.ADMIN_TOKEN);
    const owner = await f.user('Metrics owner');
    const spaceId = await new SpaceFactories(t.http).space(owner.token);
    await api(t.http, owner.token).get(`/spaces/${spaceId}`).expect(200);
    await t.http.get('/nowhere/at/all').expect(404);
    const text = await scrape();
    const route = `${PREFIX}/spaces/:id`;
    expect(sample(text, 'http_request_duration_seconds_count', { method: 'GET', route, status_code: '200' })).toBeGreaterThanOrEqual(1);
    expect(
      sample(text, 'http_request_duration_seconds_bucket', { method: 'GET', route, status_code: '200', le: '+Inf' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(text, 'http_request_duration_seconds_count', { method: 'GET', route: 'unmatched', status_code: '404' }),
    ).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain(spaceId);
    expect(text).not.toContain('/nowhere');
    // The scrape itself is being answered.
    expect(sample(text, 'http_requests_in_flight')).toBe(1);
  });

  it('stops counting a request in flight when its client goes away before the answer', async () => {
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    // A creation whose body never arrives in full: counted from its first hook, then abandoned.
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write(
      `POST ${PREFIX}/user/spaces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name":`,
    );
    await waitFor(async () => sample(await scrape(), 'http_requests_in_flight') === 2);
    socket.destroy();
    await waitFor(async () => sample(await scrape(), 'http_requests_in_flight') === 1);
  });

  it('counts token refusals by use and reason, never the token', async () => {
    const before = sample(await scrape(), 'spaces_token_refusals_total', { use: 'bearer', reason: 'malformed' }) ?? 0;
    const garbage = 'not-a-token-0123456789abcdef';
    await t.http.get(`${PREFIX}/user/spaces`).set('Authorization', `Bearer ${garbage}`).expect(401);
    const f = new Factories(t.http, t.env.ADMIN_TOKEN);
    const user = await f.user('Metrics joiner');
    await api(t.http, user.token).post('/user/spaces/join').send({ token: garbage }).expect(400);
    const text = await scrape();
    expect(sample(text, 'spaces_token_refusals_total', { use: 'bearer', reason: 'malformed' })).toBe(before + 1);
    expect(sample(text, 'spaces_token_refusals_total', { use: 'body', reason: 'malformed' })).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain(garbage);
    expect(text).not.toContain(user.token);
  });

  it('counts the requests the rate limit refuses', async () => {
    const before = sample(await scrape(), 'spaces_rate_limit_refusals_total') ?? 0;
    const f = new Factories(t.http, t.env.ADMIN_TOKEN);
    const user = await f.user('Metrics flooder');
    let refused = 0;
    for (let i = 0; i < 8; i++) {
      const res = await api(t.http, user.token).get('/user/spaces');
      if (res.status === 429) refused++;
    }
    expect(refused).toBeGreaterThan(0);
    expect(sample(await scrape(), 'spaces_rate_limit_refusals_total')).toBe(before + refused);
  });

  (onPostgres() ? it : it.skip)('reports the PostgreSQL pool: its size, connections by state and waiting clients', async () => {
    const text = await scrape();
    expect(sample(text, 'spaces_db_pool_max')).toBe(10);
    const idle = sample(text, 'spaces_db_pool_connections', { state: 'idle' });
    const used = sample(text, 'spaces_db_pool_connections', { state: 'used' });
    expect(idle).toBeGreaterThanOrEqual(0);
    expect((idle ?? 0) + (used ?? 0)).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'spaces_db_pool_waiting')).toBe(0);
  });

  (onPostgres() ? it.skip : it)('has no pool on the embedded database: the pool gauges are empty or zero', async () => {
    const text = await scrape();
    expect(sample(text, 'spaces_db_pool_max')).toBe(0);
    expect(sample(text, 'spaces_db_pool_connections', { state: 'idle' })).toBeUndefined();
  });
});

describe('METRICS_ENABLED=false', () => {
  it('serves no /metrics', async () => {
    const t = await startApp(await testEnv({ METRICS_ENABLED: 'false' }));
    try {
      await t.http.get('/metrics').expect(404);
    } finally {
      await t.close();
      await disposeEnv(t.env);
    }
  });

  it('refuses a value that is not true or false at start', async () => {
    const env = await testEnv({ METRICS_ENABLED: 'yes' });
    try {
      await expect(startApp(env)).rejects.toThrow(/METRICS_ENABLED must be true or false/);
    } finally {
      await disposeEnv(env);
    }
  });
});
