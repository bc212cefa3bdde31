import { Factories } from '../support/factories.js';
import { PREFIX, disposeEnv, startApp, testEnv, type TestApp } from '../support/test-app.js';

const errorBody = { error: 'too_many_requests', error_description: expect.any(String) };

/** Rate limits, security headers and CORS. */
describe('limits', () => {
  describe('RATE_LIMIT=5 a 2 s window', () => {
    let t: TestApp;
    let factories: Factories;

    beforeAll(async () => {
      t = await startApp(await testEnv({ RATE_LIMIT: '5', RATE_LIMIT_WINDOW_SECONDS: '2' }));
      factories = new Factories(t.http, t.env.ADMIN_TOKEN);
    });

    afterAll(async () => {
      await t.close();
      await disposeEnv(t.env);
    });

    /** Waits until a fresh window starts for every caller. */
    const nextWindow = () => new Promise((resolve) => setTimeout(resolve, 2100));

    it('counts a caller across routes; the sixth request is 429 with Retry-After, and changes nothing', async () => {
      const alice = await factories.user();
      await nextWindow();
      const auth = `Bearer ${alice.token}`;
      const first = await t.http.get(`${PREFIX}/user/spaces`).set('Authorization', auth).expect(200);
      expect(first.headers['x-ratelimit-limit']).toBe('5');
      expect(first.headers['x-ratelimit-remaining']).toBe('4');
      await t.http.post(`${PREFIX}/user/spaces`).set('Authorization', auth).send({ name: 'One' }).expect(201);
      await t.http.get(`${PREFIX}/spaces/privileges`).set('Authorization', auth).expect(200);
      await t.http.get(`${PREFIX}/user/spaces`).set('Authorization', auth).expect(200);
      const fifth = await t.http.get(`${PREFIX}/user/spaces`).set('Authorization', auth).expect(200);
      expect(fifth.headers['x-ratelimit-remaining']).toBe('0');

      const before = await t.prisma.space.count();
      const refused = await t.http.post(`${PREFIX}/user/spaces`).set('Authorization', auth).send({ name: 'Two' }).expect(429);
      expect(refused.body).toEqual(errorBody);
      const retryAfter = Number(refused.headers['retry-after']);
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(2);
      expect(await t.prisma.space.count()).toBe(before);

      // Another caller, from the same address, has a count of its own.
      const bob = await factories.user();
      void bob; // created by the admin, who has a count of their own too
      await t.http.get(`${PREFIX}/user/spaces`).set('Authorization', `Bearer ${bob.token}`).expect(200);

      // After the window, the caller may go on.
      await nextWindow();
      await t.http.get(`${PREFIX}/user/spaces`).set('Authorization', auth).expect(200);
    });

    it('counts anonymous requests and failed credentials by address, before authentication', async () => {
      await nextWindow();
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) {
        const req = t.http.get(`${PREFIX}/user/spaces`);
        if (i % 2 === 1) req.set('Authorization', 'Bearer not-a-token');
        const res = await req;
        statuses.push(res.status);
        if (res.status === 429) expect(res.body).toEqual(errorBody);
      }
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    });

    it('counts public routes by address too', async () => {
      await nextWindow();
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        statuses.push((await t.http.post(`${PREFIX}/tokens/examine`).send({ token: 'nothing' })).status);
      }
      expect(statuses).toEqual([400, 400, 400, 400, 400, 429]);
    });
  });

  describe('RATE_LIMIT=0', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await startApp(await testEnv({ RATE_LIMIT: '0' }));
    });

    afterAll(async () => {
      await t.close();
      await disposeEnv(t.env);
    });

    it('turns the limit off', async () => {
      for (let i = 0; i < 30; i++) {
        const res = await t.http.get(`${PREFIX}/user/spaces`).expect(401);
        expect(res.headers['x-ratelimit-limit']).toBeUndefined();
      }
    });
  });

  describe('headers', () => {
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

    it('security headers on answers and on errors', async () => {
      for (const res of [
        await t.http.get(`${PREFIX}/user/spaces`).set('Authorization', `Bearer ${user.token}`).expect(200),
        await t.http.get(`${PREFIX}/nothing`).expect(404),
        await t.http.post(`${PREFIX}/user/spaces`).set('Content-Type', 'application/json').send('{').expect(401),
        await t.http
          .post(`${PREFIX}/user/spaces`)
          .set('Authorization', `Bearer ${user.token}`)
          .set('Content-Type', 'application/json')
          .send('{')
          .expect(400),
      ]) {
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
        expect(res.headers['content-security-policy']).toContain("default-src 'self'");
        expect(res.headers['x-powered-by']).toBeUndefined();
        // Over plain HTTP, nothing tells a browser to switch to HTTPS.
        expect(res.headers['strict-transport-security']).toBeUndefined();
        expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
      }
    });

    it('over HTTPS (through a trusted proxy): HSTS and upgrade-insecure-requests as well', async () => {
      const env = await testEnv({ TRUST_PROXY: 'true' });
      const proxied = await startApp(env);
      try {
        const https = await proxied.http.get(`${PREFIX}/nothing`).set('X-Forwarded-Proto', 'https').expect(404);
        expect(https.headers['strict-transport-security']).toMatch(/max-age=\d+/);
        expect(https.headers['content-security-policy']).toContain('upgrade-insecure-requests');
        const http = await proxied.http.get(`${PREFIX}/nothing`).set('X-Forwarded-Proto', 'http').expect(404);
        expect(http.headers['strict-transport-security']).toBeUndefined();
        expect(http.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
      } finally {
        await proxied.close();
        await disposeEnv(env);
      }
      // Without a trusted proxy the header is the client's word: not believed.
      const claimed = await t.http.get(`${PREFIX}/nothing`).set('X-Forwarded-Proto', 'https').expect(404);
      expect(claimed.headers['strict-transport-security']).toBeUndefined();
    });

    it('CORS: any origin may call, without credentials, and read Location', async () => {
      const preflight = await t.http
        .options(`${PREFIX}/user/spaces`)
        .set('Origin', 'https://app.example.org')
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'authorization, content-type, x-auth-token')
        .expect(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('*');
      expect(preflight.headers['access-control-allow-methods']).toContain('POST');
      expect(preflight.headers['access-control-allow-headers']).toMatch(/authorization/i);
      expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();

      const created = await t.http
        .post(`${PREFIX}/user/spaces`)
        .set('Origin', 'https://app.example.org')
        .set('Authorization', `Bearer ${user.token}`)
        .send({ name: 'From a browser' })
        .expect(201);
      expect(created.headers['access-control-allow-origin']).toBe('*');
      expect(created.headers['access-control-expose-headers']).toMatch(/Location/);
      expect(created.headers['access-control-expose-headers']).toMatch(/Idempotent-Replayed/);
    });
  });

  describe('CORS_ORIGINS as a list', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await startApp(await testEnv({ CORS_ORIGINS: 'https://app.example.org,http://localhost:8080' }));
    });

    afterAll(async () => {
      await t.close();
      await disposeEnv(t.env);
    });

    it('answers the listed origins only', async () => {
      const listed = await t.http.get(`${PREFIX}/user/spaces`).set('Origin', 'http://localhost:8080').expect(401);
      expect(listed.headers['access-control-allow-origin']).toBe('http://localhost:8080');
      const other = await t.http.get(`${PREFIX}/user/spaces`).set('Origin', 'https://evil.example.com').expect(401);
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    });
  });
});
