import net from 'node:net';
import { onPostgres } from '../support/databases.js';
import { ServiceProcess } from '../support/service-process.js';
import { disposeEnv, testEnv, type TestEnv } from '../support/test-app.js';
import { attempt, sleep, tally } from './load.js';
import { TcpProxy } from './tcp-proxy.js';

/** The Redis the instances share (TEST_REDIS_URL; 127.0.0.1:6379 by default). */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisUp(): Promise<boolean> {
  const url = new URL(REDIS_URL);
  return new Promise((resolve) => {
    const socket = net.connect(Number(url.port || 6379), url.hostname);
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

const json = (body: string | undefined) => JSON.parse(body!);

/**
 * Two instances with REDIS_URL: one rate limit across both, and a revocation
 * through one refused by the other at its next request; with the
 * notification lost, TOKEN_CACHE_SECONDS still bounds it.
 */
(onPostgres() ? describe : describe.skip)('two instances sharing Redis', () => {
  let env: TestEnv;
  let available = false;

  beforeAll(async () => {
    available = await redisUp();
    env = await testEnv();
  });

  afterAll(async () => {
    await disposeEnv(env);
  });

  async function pair(extra: Record<string, string>, redisOfB = REDIS_URL): Promise<[ServiceProcess, ServiceProcess, string, string]> {
    const a = ServiceProcess.start({ ...env, REDIS_URL, ...extra });
    const b = ServiceProcess.start({ ...env, ...extra, REDIS_URL: redisOfB });
    return [a, b, await a.ready(), await b.ready()];
  }

  it('one rate limit across two instances: 10 a window, 12 asked alternately, 2 refused', async () => {
    if (!available) return void process.stdout.write(`shared state: no Redis at ${REDIS_URL}, skipped\n`);
    const [a, b, one, two] = await pair({ RATE_LIMIT: '10', RATE_LIMIT_WINDOW_SECONDS: '60' });
    try {
      const user = json((await attempt(one, '/users', { token: env.ADMIN_TOKEN, method: 'POST', body: '{"name":"Counted"}' })).body);
      const outcomes = [];
      for (let i = 0; i < 12; i++) outcomes.push(await attempt(i % 2 ? two : one, '/user/spaces', { token: user.token }));
      process.stdout.write(`shared rate limit: ${JSON.stringify(tally(outcomes))}\n`);
      expect(tally(outcomes)).toEqual({ 200: 10, 429: 2 });
      const refused = outcomes[11];
      expect(json(refused.body).error).toBe('too_many_requests');
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it('a revocation through one instance is refused by the other at its next request', async () => {
    if (!available) return;
    const [a, b, one, two] = await pair({ TOKEN_CACHE_SECONDS: '300' });
    try {
      const user = json((await attempt(one, '/users', { token: env.ADMIN_TOKEN, method: 'POST', body: '{"name":"Revoker"}' })).body);
      const named = json((await attempt(one, '/user/tokens/named', { token: user.token, method: 'POST', body: '{"name":"shared"}' })).body);
      expect((await attempt(two, '/user/spaces', { token: named.token })).status).toBe(200); // now cached on two
      expect(
        (await attempt(one, `/tokens/named/${named.tokenId}`, { token: user.token, method: 'PATCH', body: '{"revoked":true}' })).status,
      ).toBe(204);
      const next = await attempt(two, '/user/spaces', { token: named.token });
      expect([next.status, json(next.body).error]).toEqual([401, 'invalid_token']);
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it('with the notification lost, the other instance refuses within TOKEN_CACHE_SECONDS', async () => {
    if (!available) return;
    const url = new URL(REDIS_URL);
    const proxy = new TcpProxy({ host: url.hostname, port: Number(url.port || 6379) });
    await proxy.listen();
    const throughProxy = new URL(REDIS_URL);
    throughProxy.port = String(proxy.port);
    // No rate limit: B's Redis is cut, and only the revocation is under test.
    const [a, b, one, two] = await pair({ TOKEN_CACHE_SECONDS: '3', RATE_LIMIT: '0' }, throughProxy.toString());
    try {
      const user = json((await attempt(one, '/users', { token: env.ADMIN_TOKEN, method: 'POST', body: '{"name":"Lost"}' })).body);
      const named = json((await attempt(one, '/user/tokens/named', { token: user.token, method: 'POST', body: '{"name":"lost"}' })).body);
      expect((await attempt(two, '/user/spaces', { token: named.token })).status).toBe(200);
      const cachedAt = Date.now();
      await proxy.cut();
      expect(
        (await attempt(one, `/tokens/named/${named.tokenId}`, { token: user.token, method: 'PATCH', body: '{"revoked":true}' })).status,
      ).toBe(204);
      let refusedAfter = Infinity;
      while (Date.now() - cachedAt < 6000) {
        const r = await attempt(two, '/user/spaces', { token: named.token });
        if (r.status === 401) {
          refusedAfter = Date.now() - cachedAt;
          break;
        }
        expect(r.status).toBe(200);
        await sleep(100);
      }
      process.stdout.write(
        `revocation with the notification lost: refused ${refusedAfter} ms after the token was cached (TOKEN_CACHE_SECONDS=3)\n`,
      );
      expect(refusedAfter).toBeLessThanOrEqual(3000 + 500);
    } finally {
      await proxy.cut();
      await a.stop();
      await b.stop();
    }
  });
});
