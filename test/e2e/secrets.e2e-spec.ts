import { Factories, SpaceFactories } from '../support/factories.js';
import { ServiceProcess } from '../support/service-process.js';
import { PREFIX, disposeEnv, testEnv, type TestEnv } from '../support/test-app.js';

/**
 * Secrets (tokens, TOKEN_SECRET, ADMIN_TOKEN) never appear in the log, in an
 * error body or in the OpenAPI document: the service runs as a process at
 * LOG_LEVEL=trace, and every answer and log line is searched.
 */
describe('secrets', () => {
  let env: TestEnv;
  let service: ServiceProcess;
  let base: string;
  const answers: string[] = [];

  beforeAll(async () => {
    env = await testEnv({ LOG_LEVEL: 'trace' });
    service = ServiceProcess.start(env);
    base = await service.ready();
  });

  afterAll(async () => {
    await service.stop();
    await disposeEnv(env);
  });

  async function call(path: string, init: RequestInit & { token?: string; xAuth?: string } = {}) {
    const headers = new Headers(init.headers);
    if (init.token !== undefined) headers.set('Authorization', `Bearer ${init.token}`);
    if (init.xAuth !== undefined) headers.set('X-Auth-Token', init.xAuth);
    if (init.body !== undefined && !headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
    const res = await fetch(`${base}${path}`, { ...init, headers });
    const text = await res.text();
    answers.push(text);
    return { status: res.status, text };
  }

  it('a session of calls, right and wrong, leaves no secret in any answer or log line', async () => {
    const http = (await import('supertest')).default(base);
    const factories = new Factories(http, env.ADMIN_TOKEN);
    const spaces = new SpaceFactories(http);
    const alice = await factories.user();
    const provider = await factories.provider({ capacity: 100 });
    const supportToken = await factories.supportToken(provider.token);
    const spaceId = await spaces.space(alice.token);
    const invite = await spaces.invite(spaceId, alice.token);
    const forged = `${alice.token.slice(0, -4)}AAAA`;
    const issued = [alice.token, provider.token, supportToken, invite];

    await call(`${PREFIX}/user/spaces`, {
      method: 'POST',
      token: alice.token,
      body: JSON.stringify({ name: 'ok', token: supportToken, size: 10 }),
    });
    await call(`${PREFIX}/user/spaces`, {
      method: 'POST',
      token: alice.token,
      body: JSON.stringify({ name: 'reuse', token: supportToken, size: 10 }),
    });
    await call(`${PREFIX}/user/spaces`, { method: 'POST', xAuth: forged, body: JSON.stringify({ name: 'forged' }) });
    await call(`${PREFIX}/user/spaces`, { method: 'POST', token: alice.token, body: `{"name":"broken","token":"${invite}"` });
    await call(`${PREFIX}/user/spaces?access_token=${alice.token}&limit=5`, { method: 'GET' });
    await call(`${PREFIX}/user/spaces/join`, { method: 'POST', token: provider.token, body: JSON.stringify({ token: invite }) });
    await call(`${PREFIX}/users`, { method: 'POST', token: `${env.ADMIN_TOKEN}x`, body: JSON.stringify({ name: 'Nope' }) });
    await call(`${PREFIX}/tokens/examine`, { method: 'POST', body: JSON.stringify({ token: env.TOKEN_SECRET }) });
    await call(`${PREFIX}/no/such/route/${alice.token}`, { method: 'GET', token: alice.token });
    await call('/docs/openapi.json', { method: 'GET' });
    await call('/health', { method: 'GET' });
    await call(`${PREFIX}/user/spaces`, { method: 'GET', token: forged, headers: { 'X-Request-Id': 'trace-me-0001' } });
    await new Promise((resolve) => setTimeout(resolve, 300)); // the last log lines

    const log = service.log;
    expect(log.split('\n').filter((line) => line.startsWith('{')).length).toBeGreaterThan(20);
    for (const secret of [env.ADMIN_TOKEN, env.TOKEN_SECRET, `${env.ADMIN_TOKEN}x`, forged, ...issued]) {
      // The 404's description names the path it was given: the caller's own input, echoed to the caller alone.
      const bodies = answers.filter((text) => !text.includes('No route for'));
      for (const body of bodies) expect(body.includes(secret)).toBe(false);
      expect(log.split('\n').filter((line) => line.includes(secret))).toEqual([]);
    }
    expect(log).toContain('access_token=[redacted]');
    // The request id is on the request's log line.
    expect(log.split('\n').filter((line) => line.includes('trace-me-0001')).length).toBeGreaterThan(0);
  });
});
