import { deflateSync, gzipSync } from 'node:zlib';
import { Factories } from '../support/factories.js';
import { onPostgres, withServer } from '../support/databases.js';
import { DATABASE, type Database } from '../../src/database/database.js';
import { PREFIX, disposeEnv, startApp, testEnv, type TestApp } from '../support/test-app.js';

/** The error model from every layer. */
describe('errors from every layer', () => {
  let t: TestApp;
  let user: { userId: string; token: string };

  beforeAll(async () => {
    t = await startApp(await testEnv());
    user = await new Factories(t.http, t.env.ADMIN_TOKEN).user();
  });

  afterAll(async () => {
    await t.close();
    await disposeEnv(t.env);
  });

  const createSpace = () => t.http.post(`${PREFIX}/user/spaces`).set('Authorization', `Bearer ${user.token}`);

  /** superagent would serialise a Buffer as JSON under a JSON Content-Type: send its bytes as they are. */
  const raw = (body: unknown) => body as string;

  function expectErrorBody(body: unknown, error: string) {
    expect(body).toEqual({ error, error_description: expect.any(String) });
  }

  it('malformed JSON: 400 invalid_request', async () => {
    const res = await createSpace().set('Content-Type', 'application/json').send('{"name": "x",').expect(400);
    expect(res.body).toEqual({ error: 'invalid_request', error_description: 'The request body is not valid JSON.' });
  });

  it('a body with a __proto__ or constructor.prototype key: 400 invalid_request, and nothing is created', async () => {
    const before = await t.prisma.space.count();
    for (const body of ['{"name":"Poisoned","__proto__":{"token":"x"}}', '{"name":"Poisoned","constructor":{"prototype":{"x":1}}}']) {
      const res = await createSpace().set('Content-Type', 'application/json').send(body).expect(400);
      expect(res.body).toEqual({
        error: 'invalid_request',
        error_description: 'The request body has a __proto__ or constructor.prototype key, which is not accepted.',
      });
    }
    expect(await t.prisma.space.count()).toBe(before);
  });

  it.each([
    ['a JSON array', '[{"name":"ab"}]'],
    ['a JSON string', '"ab"'],
    ['JSON null', 'null'],
    ['a JSON number', '12'],
  ])('%s as the body: 400 invalid_request', async (_, body) => {
    const res = await createSpace().set('Content-Type', 'application/json').send(body).expect(400);
    expectErrorBody(res.body, 'invalid_request');
  });

  it.each([
    ['text/plain', 'name=abc'],
    ['application/x-www-form-urlencoded', 'name=abc'],
    ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nabc\r\n--x--'],
    ['application/xml', '<name>abc</name>'],
  ])('a %s body: 415 unsupported_media_type, and nothing is created', async (type, body) => {
    const before = await t.prisma.space.count();
    const res = await createSpace().set('Content-Type', type).send(body).expect(415);
    expectErrorBody(res.body, 'unsupported_media_type');
    expect(await t.prisma.space.count()).toBe(before);
  });

  it('a body without Content-Type: 415', async () => {
    const res = await t.http
      .post(`${PREFIX}/user/spaces`)
      .set('Authorization', `Bearer ${user.token}`)
      .set('Content-Type', '')
      .send(Buffer.from('{"name":"abc"}'))
      .expect(415);
    expectErrorBody(res.body, 'unsupported_media_type');
  });

  it('application/json with a charset, and +json types, are accepted', async () => {
    await createSpace().set('Content-Type', 'application/json; charset=utf-8').send('{"name":"Charset"}').expect(201);
    await createSpace().set('Content-Type', 'application/merge-patch+json').send('{"name":"Plus json"}').expect(201);
  });

  it('a non-UTF-8 charset: 415', async () => {
    const res = await createSpace().set('Content-Type', 'application/json; charset=latin1').send('{"name":"ab"}').expect(415);
    expectErrorBody(res.body, 'unsupported_media_type');
  });

  it('a gzip- or deflate-encoded JSON body is decoded', async () => {
    const gzip = await createSpace()
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .serialize(raw)
      .send(gzipSync('{"name":"Gzipped"}'))
      .expect(201);
    const deflate = await createSpace()
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'deflate')
      .serialize(raw)
      .send(deflateSync('{"name":"Deflated"}'))
      .expect(201);
    for (const res of [gzip, deflate]) expect(res.headers.location).toMatch(/\/spaces\/[0-9a-f]{32}$/);
  });

  it('an unknown Content-Encoding: 415, and a body that does not decode: 400', async () => {
    const unknown = await createSpace()
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'compress')
      .send('{"name":"ab"}')
      .expect(415);
    expectErrorBody(unknown.body, 'unsupported_media_type');
    const broken = await createSpace()
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .serialize(raw)
      .send(Buffer.from('not gzip at all'))
      .expect(400);
    expectErrorBody(broken.body, 'invalid_request');
  });

  it('a small gzip body that inflates past 1 MiB: 413, and nothing is created', async () => {
    const before = await t.prisma.space.count();
    const bomb = gzipSync(JSON.stringify({ name: 'a'.repeat(8 * 1024 * 1024) }));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const res = await createSpace()
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .serialize(raw)
      .send(bomb)
      .expect(413);
    expectErrorBody(res.body, 'payload_too_large');
    expect(await t.prisma.space.count()).toBe(before);
  });

  it('an empty JSON body is an empty object: the name rule answers', async () => {
    const res = await createSpace().set('Content-Type', 'application/json').send('').expect(400);
    expect(res.body.error_description).toContain('name');
  });

  it('a trailing slash names the same route', async () => {
    const res = await createSpace().send({ name: 'Trailing' }).expect(201);
    const id = String(res.headers.location).split('/').pop();
    await t.http.get(`${PREFIX}/user/spaces/${id}/`).set('Authorization', `Bearer ${user.token}`).expect(200);
  });

  it('a body over 1 MiB: 413 payload_too_large', async () => {
    const name = 'a'.repeat(1024 * 1024);
    const res = await createSpace().send({ name }).expect(413);
    expectErrorBody(res.body, 'payload_too_large');
  });

  it('a body just under 1 MiB is parsed (and judged by the name rule)', async () => {
    const res = await createSpace()
      .send({ name: 'a'.repeat(1000 * 1000) })
      .expect(400);
    expect(res.body.error_description).toContain('name must be 2 to 128');
  });

  it.each([
    ['GET', '/nothing'],
    ['POST', '/nothing'],
    ['DELETE', '/user/spaces'],
    ['GET', '/user/spaces/token'],
  ])('unknown route %s %s: 404 not_found', async (method, path) => {
    const res = await t.http[method.toLowerCase() as 'get'](`${PREFIX}${path}`).set('Authorization', `Bearer ${user.token}`).expect(404);
    expectErrorBody(res.body, 'not_found');
  });

  it('a route outside the prefix: 404 (the API lives under API_PREFIX only)', async () => {
    const res = await t.http.post('/user/spaces').set('Authorization', `Bearer ${user.token}`).send({ name: 'ab' }).expect(404);
    expectErrorBody(res.body, 'not_found');
  });

  it('a malformed Authorization header: 401 invalid_token', async () => {
    for (const value of ['Bearer', 'Bearer a b', 'Basic dXNlcjpwYXNz', 'bearer']) {
      const res = await t.http.post(`${PREFIX}/user/spaces`).set('Authorization', value).send({ name: 'ab' });
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expectErrorBody(res.body, res.body.error);
    }
  });

  it('tokens are read from headers only, never from the query string or the body', async () => {
    const query = await t.http.post(`${PREFIX}/user/spaces?access_token=${user.token}`).send({ name: 'ab' }).expect(401);
    expect(query.body.error).toBe('unauthorized');
    const body = await t.http.post(`${PREFIX}/user/spaces`).send({ name: 'ab', access_token: user.token }).expect(401);
    expect(body.body.error).toBe('unauthorized');
  });

  it('an oversized bearer token: 401 invalid_token', async () => {
    const res = await t.http.post(`${PREFIX}/user/spaces`).set('X-Auth-Token', 'A'.repeat(12_000)).send({ name: 'ab' });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_token');
  });

  it("headers beyond the HTTP parser's limit: 431 with an error body", async () => {
    const res = await t.http.post(`${PREFIX}/user/spaces`).set('X-Auth-Token', 'A'.repeat(64_000)).send({ name: 'ab' });
    expect(res.status).toBe(431);
    expect(res.body).toEqual({ error: 'invalid_request', error_description: 'The request headers are too large.' });
  });

  it('a database outage: 503 service_unavailable with no detail, and recovery afterwards', async () => {
    if (!onPostgres()) {
      // On the embedded database an outage is the database closing under the service.
      const env = await testEnv();
      const other = await startApp(env);
      const admin = () => other.http.post(`${PREFIX}/users`).set('Authorization', `Bearer ${env.ADMIN_TOKEN}`);
      await admin().send({ name: 'Before' }).expect(201);
      await other.app.get<Database>(DATABASE).close();
      const res = await admin().send({ name: 'During' });
      expect([500, 503]).toContain(res.status);
      expectErrorBody(res.body, res.body.error);
      expect(JSON.stringify(res.body)).not.toMatch(/PGlite|closed|at |\.ts|\.js/);
      const health = await other.http.get('/health').expect(503);
      expect(health.body).toEqual({ error: 'service_unavailable', error_description: 'The database is not reachable.' });
      await other.http.get('/health/live').expect(200, { status: 'ok' }); // the process itself is alive
      await other.app.close().catch(() => undefined);
      await disposeEnv(env);
      return;
    }
    // PostgreSQL refuses the service's connections, then takes them back.
    const database = new URL(t.env.DATABASE_URL!).pathname.slice(1);
    const allow = (on: boolean) =>
      withServer(async (c) => {
        await c.query(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS ${on}`);
        if (!on) {
          await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [database]);
        }
      });
    await allow(false);
    try {
      const before = Date.now();
      const res = await createSpace().send({ name: 'During outage' }).expect(503);
      expect(res.body).toEqual({
        error: 'service_unavailable',
        error_description: 'The service is temporarily unavailable: retry later.',
      });
      expect(Date.now() - before).toBeLessThan(5_000);
      const health = await t.http.get('/health').expect(503);
      expect(health.body.error).toBe('service_unavailable');
      await t.http.get('/health/live').expect(200, { status: 'ok' }); // the process itself is alive
    } finally {
      await allow(true);
    }
    await createSpace().send({ name: 'After outage' }).expect(201);
    await t.http.get('/health').expect(200);
  });
});
