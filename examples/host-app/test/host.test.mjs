// The example host, built against spaces-service installed from its tarball:
// on Express and on Fastify, SpacesModule.forRoot({ dataDir, tokenSecret,
// resolveCaller }) serves the spaces routes beside the host's own.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SPACES_MODULE_OPTIONS, MembersService, SpacesService, TokensService } from 'spaces-service';
import { createSpacesClient } from 'spaces-service/client';
import { createHost } from '../dist/main.js';

const json = (body) => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body });

for (const platform of ['express', 'fastify']) {
  describe(`a host on ${platform}`, () => {
    let app;
    let base;
    let dataDir;
    const request = (route, init = {}, account = 'alice') =>
      fetch(`${base}${route}`, {
        ...init,
        headers: { ...(account ? { Authorization: `Fake ${account}` } : {}), ...init.headers },
      });

    before(async () => {
      dataDir = await mkdtemp(path.join(os.tmpdir(), `spaces-host-${platform}-`));
      app = await createHost(platform, { dataDir, tokenSecret: randomBytes(32).toString('hex') });
      await app.listen(0, '127.0.0.1');
      base = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/platform`;
    });

    after(async () => {
      await app?.close();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    });

    it('runs on the platform asked for, and gives the host the options and services the module exports', () => {
      assert.equal(app.getHttpAdapter().getType(), platform);
      assert.equal(app.get(SPACES_MODULE_OPTIONS).dataDir, dataDir);
      for (const service of [SpacesService, MembersService, TokensService]) assert.ok(app.get(service) instanceof service);
    });

    it('creates a space with POST /user/spaces and lists it with GET /user/spaces', async () => {
      const created = await request('/onezone/user/spaces', json(JSON.stringify({ name: `Lab on ${platform}` })));
      assert.equal(created.status, 201, await created.clone().text());
      const location = created.headers.get('location');
      assert.match(location, /^\/platform\/onezone\/user\/spaces\/[0-9a-f]{32}$/);
      const mine = await request('/onezone/user/spaces');
      assert.equal(mine.status, 200);
      assert.deepEqual((await mine.json()).spaces, [location.split('/').pop()]);
      const theirs = await request('/onezone/user/spaces', {}, 'bob');
      assert.deepEqual((await theirs.json()).spaces, []);
    });

    it('creates a space through the typed client of spaces-service/client, with the bearer token it sends', async () => {
      const api = createSpacesClient({ baseUrl: `${base}/onezone`, token: 'bob' });
      const created = await api.POST('/user/spaces', { body: { name: 'Typed space' } });
      assert.equal(created.response.status, 201);
      const spaceId = created.response.headers.get('location').split('/').pop();
      const space = await api.GET('/spaces/{id}', { params: { path: { id: spaceId } } });
      assert.equal(space.data.name, 'Typed space');
      assert.equal(space.data.creator.id, 'bob');
    });

    it('serves the metrics of spaces-service/metrics at the path it was given, the routes by their templates', async () => {
      await request('/onezone/user/spaces');
      const res = await request('/metrics', {}, null);
      assert.equal(res.status, 200);
      const text = await res.text();
      assert.match(text, /^spaces_database_info\{kind="embedded"\} 1$/m);
      assert.match(
        text,
        /^http_request_duration_seconds_count\{method="GET",route="\/platform\/onezone\/user\/spaces",status_code="200"\} \d+$/m,
      );
      assert.match(text, /^# TYPE process_cpu_user_seconds_total counter$/m);
    });

    it("answers a malformed JSON body with the module's 400 on its routes, and the host's own answer on the host's", async () => {
      const ours = await request('/onezone/user/spaces', json('{"name": "Broken'));
      assert.equal(ours.status, 400);
      assert.deepEqual(await ours.json(), { error: 'invalid_request', error_description: 'The request body is not valid JSON.' });
      const host = await request('/echo', json('{"name": "Broken'));
      assert.equal(host.status, 400);
      const body = await host.json();
      assert.equal(body.statusCode, 400); // Nest's default body, as the host had it
      assert.equal(body.error_description, undefined);
      const echoed = await request('/echo', json('{"ok":true}'));
      assert.deepEqual(await echoed.json(), { ok: true });
    });

    it('checks the caller before the body: a malformed body from nobody is 401', async () => {
      const anonymous = await request('/onezone/user/spaces', json('{"name": "Broken'), null);
      assert.equal(anonymous.status, 401);
      assert.deepEqual(await anonymous.json(), { error: 'unauthorized', error_description: 'Authentication required.' });
    });

    it("answers a request its resolver refuses 401 unauthorized with the module's body and challenge", async () => {
      const refused = await request('/onezone/user/spaces', json(JSON.stringify({ name: 'Nobody' })), null);
      assert.equal(refused.status, 401);
      assert.match(refused.headers.get('www-authenticate'), /^Bearer/);
      assert.deepEqual(await refused.json(), { error: 'unauthorized', error_description: 'Authentication required.' });
      const mine = await request('/onezone/user/spaces');
      assert.ok(!(await mine.text()).includes('Nobody'));
    });

    it("answers a body that is not JSON 415 on the module's routes", async () => {
      const form = await request('/onezone/user/spaces', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'name=Form',
      });
      assert.equal(form.status, 415);
      assert.equal((await form.json()).error, 'unsupported_media_type');
    });

    it("keeps the host's own routes and guards, and reports the feature in the host's health check", async () => {
      const me = await request('/me');
      assert.deepEqual(await me.json(), { id: 'alice', kind: 'person', displayName: 'Alice' });
      const signedOut = await request('/me', {}, null);
      assert.equal(signedOut.status, 401);
      assert.equal((await signedOut.json()).message, 'Sign in first');
      const health = await request('/health');
      assert.equal(health.status, 200);
      assert.equal((await health.json()).info.spaces.status, 'up');
    });
  });
}
