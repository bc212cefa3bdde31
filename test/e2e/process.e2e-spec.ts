import http from 'node:http';
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pgliteAdapter } from '../../src/database/adapters.js';
import { embeddedDataPath, openEmbedded } from '../../src/database/embedded.js';
import { applyMigrations, migrationNames } from '../../src/database/schema-engine.js';
import { ENV_RUN_ID, migrationsUpTo, onPostgres, urlFor, withServer } from '../support/databases.js';
import { Factories } from '../support/factories.js';
import { ServiceProcess } from '../support/service-process.js';
import { PREFIX, disposeEnv, startApp, testEnv, type TestEnv } from '../support/test-app.js';

async function post(base: string, route: string, token: string, body: object) {
  const res = await fetch(`${base}${PREFIX}${route}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, location: res.headers.get('location'), body: await res.text() };
}

describe('the service as a process', () => {
  let env: TestEnv;

  beforeEach(async () => {
    env = await testEnv();
  });

  afterEach(async () => {
    await disposeEnv(env);
  });

  it('keeps spaces and token use across a restart', async () => {
    const first = await startApp(env);
    const f = new Factories(first.http, env.ADMIN_TOKEN);
    const user = await f.user();
    const provider = await f.provider({ capacity: 100 });
    const used = await f.supportToken(provider.token);
    const unused = await f.supportToken(provider.token);
    const created = await first.http
      .post(`${PREFIX}/user/spaces`)
      .set('Authorization', `Bearer ${user.token}`)
      .send({ name: 'Durable', token: used, size: 60 })
      .expect(201);
    await first.close();

    const second = await startApp(env);
    try {
      const spaceId = created.headers.location.split('/').pop()!;
      expect(await second.prisma.space.findUnique({ where: { id: spaceId } })).toMatchObject({ name: 'Durable' });
      const again = second.http.post(`${PREFIX}/user/spaces`).set('Authorization', `Bearer ${user.token}`);
      // The used token stays used; the capacity taken stays taken.
      expect((await again.send({ name: 'Reuse', token: used, size: 1 })).body.error).toBe('invalid_token');
      const over = await second.http
        .post(`${PREFIX}/user/spaces`)
        .set('Authorization', `Bearer ${user.token}`)
        .send({ name: 'Over', token: unused, size: 41 })
        .expect(400);
      expect(over.body.error_description).toContain('free capacity of 40 bytes');
      await second.http
        .post(`${PREFIX}/user/spaces`)
        .set('Authorization', `Bearer ${user.token}`)
        .send({ name: 'Fits', token: unused, size: 40 })
        .expect(201);
    } finally {
      await second.close();
    }
  });

  (onPostgres() ? it.skip : it)('a second process on the same DATA_DIR exits non-zero, saying it is in use', async () => {
    const holder = await startApp(env);
    try {
      const second = ServiceProcess.start({ ...env, LOG_LEVEL: 'silent' });
      expect(await second.exited).toBe(1);
      expect(second.log).toContain(`DATA_DIR ${env.DATA_DIR} is in use by another process (pid ${process.pid})`);
    } finally {
      await holder.close();
    }
    // Once released, the directory opens again.
    const after = ServiceProcess.start({ ...env, LOG_LEVEL: 'silent' });
    await after.ready();
    expect(await after.stop()).toBe(0);
  });

  it('refuses to start on a bad configuration, naming the variable', async () => {
    const bad = ServiceProcess.start({ ...env, PORT: 'eighty', LOG_LEVEL: 'silent' });
    expect(await bad.exited).toBe(1);
    expect(bad.log).toContain('Invalid configuration: PORT must be an integer from 0 to 65535 (got "eighty")');
  });

  it('reads a .env file in its working directory; the real environment wins over it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'spaces-dotenv-'));
    try {
      await writeFile(path.join(dir, '.env'), 'RATE_LIMIT=lots\n');
      const fromFile = ServiceProcess.start({ ...env, RATE_LIMIT: undefined, LOG_LEVEL: 'silent' }, { cwd: dir });
      expect(await fromFile.exited).toBe(1);
      expect(fromFile.log).toContain('RATE_LIMIT must be an integer from 0 to 1000000000 (got "lots")');
      const overridden = ServiceProcess.start({ ...env, LOG_LEVEL: 'silent', RATE_LIMIT: '5' }, { cwd: dir });
      const base = await overridden.ready();
      const res = await fetch(`${base}/health/live`);
      expect(res.headers.get('x-ratelimit-limit')).toBe('5');
      expect(await overridden.stop()).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('on SIGTERM, lets an in-flight request finish, then exits 0', async () => {
    const service = ServiceProcess.start({ ...env, LOG_LEVEL: 'silent' });
    const base = await service.ready();
    const user = (await (
      await fetch(`${base}${PREFIX}/users`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'Slow client' }),
      })
    ).json()) as { token: string };
    const body = JSON.stringify({ name: 'In flight' });
    // Send the headers and half the body, signal, then the rest: the request is in flight.
    const response = new Promise<{ status: number; location?: string }>((resolve, reject) => {
      const req = http.request(
        `${base}${PREFIX}/user/spaces`,
        {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${user.token}`,
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode!, location: res.headers.location }));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 5));
      req.on('socket', (socket) =>
        socket.once('connect', () =>
          // Let the server read the headers, signal, then finish the body.
          setTimeout(() => {
            service.child.kill('SIGTERM');
            setTimeout(() => req.end(body.slice(5)), 300);
          }, 200),
        ),
      );
    });
    const result = await response;
    expect(result.status).toBe(201);
    expect(result.location).toMatch(new RegExp(`^${PREFIX}/user/spaces/[0-9a-f]{32}$`));
    expect(await service.exited).toBe(0);
    // It is stored, and new connections are refused.
    await expect(fetch(`${base}/health`)).rejects.toThrow();
    const check = await startApp(env);
    try {
      expect(await check.prisma.space.count({ where: { name: 'In flight' } })).toBe(1);
    } finally {
      await check.close();
    }
  });

  it('logs each request once, with its request id on every line it causes, in or out of the API prefix, routed or not', async () => {
    const service = ServiceProcess.start({ ...env, LOG_LEVEL: 'debug' });
    const base = await service.ready();
    const routes = [
      '/health',
      '/health/live',
      '/health/ready',
      '/docs',
      `${PREFIX}/user/spaces`,
      `${PREFIX}/no-such-route`,
      '/no-such-route',
    ];
    for (const [i, route] of routes.entries()) {
      const res = await fetch(`${base}${route}`, {
        headers: { 'X-Request-Id': `once-${i}`, Authorization: 'Bearer not-a-token' },
      });
      expect(res.headers.get('x-request-id')).toBe(`once-${i}`);
      await res.arrayBuffer();
    }
    // A CORS preflight, answered before any route runs.
    const preflight = await fetch(`${base}${PREFIX}/user/spaces`, {
      method: 'OPTIONS',
      headers: { 'X-Request-Id': 'once-preflight', Origin: 'https://app.example.org', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    await new Promise((r) => setTimeout(r, 200));
    expect(await service.stop()).toBe(0);
    const lines = service.log
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg: string; req?: { id: string; url: string; method: string } });
    for (const [i, route] of routes.entries()) {
      const access = lines.filter((l) => l.msg === 'request completed' && l.req?.id === `once-${i}`);
      expect(access.map((l) => l.req!.url)).toEqual([route]);
    }
    const preflightLines = lines.filter((l) => l.msg === 'request completed' && l.req?.id === 'once-preflight');
    expect(preflightLines.map((l) => [l.req!.method, l.req!.url])).toEqual([['OPTIONS', `${PREFIX}/user/spaces`]]);
    // The bearer strategy's debug line belongs to the request that sent the token.
    const rejected = lines.filter((l) => l.msg.startsWith('bearer token rejected'));
    expect(rejected.length).toBeGreaterThan(0);
    for (const line of rejected) expect(line.req?.id).toMatch(/^once-\d$/);
  });

  it('generates its secrets (0600), prints the admin token once, and logs no token', async () => {
    const { ADMIN_TOKEN: _admin, TOKEN_SECRET: _secret, ...withoutSecrets } = env;
    const service = ServiceProcess.start({ ...withoutSecrets, LOG_LEVEL: 'info' });
    const base = await service.ready();
    const adminFile = path.join(env.DATA_DIR, 'admin-token');
    const secretFile = path.join(env.DATA_DIR, 'token-secret');
    const admin = (await readFile(adminFile, 'utf8')).trim();
    const secret = (await readFile(secretFile, 'utf8')).trim();
    expect((await stat(adminFile)).mode & 0o777).toBe(0o600);
    expect((await stat(secretFile)).mode & 0o777).toBe(0o600);
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(service.log).toContain(admin);
    expect(service.log).not.toContain(secret);
    // A quiet start: no warning, and the admin token last, after the start-up logs and the address.
    const startup = service.log.slice(0, service.log.indexOf(admin));
    expect(startup).not.toMatch(/"level":(40|50|60)/);
    expect(startup).toMatch(
      /Nest application successfully started[^\n]*\n(?:[^\n]*\n)*Spaces service listening on http:\/\/[^\n]*\n\nAdmin token \(generated/,
    );
    const created = await post(base, '/users', admin, { name: 'Logged user' });
    const userToken = JSON.parse(created.body).token as string;
    await fetch(`${base}${PREFIX}/user/spaces`, {
      method: 'POST',
      headers: { 'X-Auth-Token': userToken, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Logged space', token: 'secret-body-token', size: 1 }),
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(await service.stop()).toBe(0);
    const lines = service.log.split('\n').filter((l) => l.startsWith('{'));
    expect(lines.length).toBeGreaterThan(0);
    const logged = lines.join('\n');
    expect(logged).not.toContain(admin);
    expect(logged).not.toContain(userToken);
    expect(logged).not.toContain('secret-body-token');
    expect(logged).not.toContain(secret);
    expect(logged).toContain('"authorization":"[redacted]"');
    expect(logged).toContain('"x-auth-token":"[redacted]"');

    // The second start reuses both: the admin token is not printed, and earlier tokens still work.
    const again = ServiceProcess.start({ ...withoutSecrets, LOG_LEVEL: 'info' });
    const againBase = await again.ready();
    expect((await post(againBase, '/user/spaces', userToken, { name: 'After restart' })).status).toBe(201);
    expect((await post(againBase, '/users', admin, { name: 'Second user' })).status).toBe(201);
    expect(await again.stop()).toBe(0);
    expect(again.log).not.toContain(admin);
  });

  it('LOG_FORMAT=pretty: readable lines instead of JSON', async () => {
    const service = ServiceProcess.start({ ...env, LOG_LEVEL: 'info', LOG_FORMAT: 'pretty' });
    await service.ready();
    expect(await service.stop()).toBe(0);
    // eslint-disable-next-line no-control-regex -- ESC starts the terminal's colour codes
    const plain = service.log.replace(/\x1b\[[0-9;]*m/g, '');
    expect(plain).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: \[NestApplication\] Nest application successfully started$/m);
    expect(plain).not.toMatch(/^\{"level"/m);
  });

  it('npm run db:migrate applies pending migrations alone, once', async () => {
    const fresh = { ...env, DATA_DIR: `${env.DATA_DIR}-fresh` };
    if (onPostgres()) {
      // An empty database of this run (dropped by the global teardown).
      const name = `${process.env[ENV_RUN_ID]}_migrate`;
      await withServer((c) => c.query(`CREATE DATABASE "${name}"`));
      fresh.DATABASE_URL = urlFor(name);
    }
    const run = () => migrateCli(fresh);
    const migrations = await migrationNames();
    expect(migrations[0]).toMatch(/^\d{14}_init$/);
    expect(run()).toEqual({
      status: 0,
      out: `Applied ${migrations.length} migration(s):\n${migrations.map((m) => `  ${m}\n`).join('')}`,
    });
    expect(run()).toEqual({ status: 0, out: 'No pending migrations.\n' });
    await rm(fresh.DATA_DIR, { recursive: true, force: true });
  });

  (onPostgres() ? it.skip : it)(
    'a new embedded database appears whole or not at all: what an interrupted start left is replaced',
    async () => {
      const fresh = { ...env, DATA_DIR: `${env.DATA_DIR}-interrupted` };
      const dataPath = embeddedDataPath(fresh.DATA_DIR);
      // A start cut short while it created the database: its staging folder, half-written.
      await mkdir(`${dataPath}.new`, { recursive: true });
      await writeFile(path.join(`${dataPath}.new`, 'PG_VERSION'), '17\n');
      try {
        const migrate = migrateCli(fresh);
        expect(migrate.status).toBe(0);
        expect(migrate.out).toMatch(/^Applied \d+ migration\(s\):/);
        expect((await readdir(fresh.DATA_DIR)).filter((name) => name.startsWith('pgdata'))).toEqual(['pgdata']);
        expect(await recordedMigrations(dataPath)).toHaveLength((await migrationNames()).length);
      } finally {
        await rm(fresh.DATA_DIR, { recursive: true, force: true });
      }
    },
  );

  (onPostgres() ? it.skip : it)('an embedded database behind on its migrations gets the missing ones as the service starts', async () => {
    // A database as an older release left it: every migration but the last.
    const older = { ...env, DATA_DIR: `${env.DATA_DIR}-older` };
    const migrations = await migrationNames();
    const history = await migrationsUpTo(migrations[migrations.length - 2]);
    await mkdir(older.DATA_DIR);
    const db = await openEmbedded(embeddedDataPath(older.DATA_DIR));
    try {
      expect(await applyMigrations(pgliteAdapter(db), history)).toHaveLength(migrations.length - 1);
    } finally {
      await db.close();
      await rm(history, { recursive: true, force: true });
    }
    try {
      // The service applies the missing one as it starts (away from its own process), then serves.
      const service = ServiceProcess.start({ ...older, LOG_LEVEL: 'silent' });
      const base = await service.ready();
      const health = await fetch(`${base}/health`);
      expect(await service.stop()).toBe(0);
      expect(health.status).toBe(200);
      const recorded = await recordedMigrations(embeddedDataPath(older.DATA_DIR));
      expect(
        recorded
          .filter((m) => m.finished)
          .map((m) => m.name)
          .sort(),
      ).toEqual(migrations);
    } finally {
      await rm(older.DATA_DIR, { recursive: true, force: true });
    }
  });

  (onPostgres() ? it.skip : it)('when the embedded database cannot be prepared, the service exits 1 with the reason', async () => {
    // Where the database's folder should be, a file.
    const broken = { ...env, DATA_DIR: `${env.DATA_DIR}-broken` };
    await mkdir(broken.DATA_DIR);
    try {
      await writeFile(embeddedDataPath(broken.DATA_DIR), 'not a database');
      const service = ServiceProcess.start({ ...broken, LOG_LEVEL: 'silent' });
      expect(await service.exited).toBe(1);
      expect(service.log).toContain(`Preparing the embedded database in ${embeddedDataPath(broken.DATA_DIR)} failed: it is not a folder`);
      // Nothing was written in its place.
      expect(await readFile(embeddedDataPath(broken.DATA_DIR), 'utf8')).toBe('not a database');
    } finally {
      await rm(broken.DATA_DIR, { recursive: true, force: true });
    }
  });

  (onPostgres() ? it : it.skip)('instances starting together on one empty database apply each migration once', async () => {
    const name = `${process.env[ENV_RUN_ID]}_together`;
    await withServer((c) => c.query(`CREATE DATABASE "${name}"`));
    const migrate = () =>
      new Promise<string>((resolve) => {
        const child = spawn(process.execPath, ['dist/database/cli.js', 'migrate'], {
          env: { PATH: process.env.PATH, ...env, DATABASE_URL: urlFor(name) },
        });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (out += d.toString()));
        child.on('exit', (code) => resolve(`${code} ${out.split('\n')[0]}`));
      });
    const results = (await Promise.all([migrate(), migrate(), migrate(), migrate()])).sort();
    expect(results).toEqual([
      `0 Applied ${(await migrationNames()).length} migration(s):`,
      '0 No pending migrations.',
      '0 No pending migrations.',
      '0 No pending migrations.',
    ]);
  });
});

/** `npm run db:migrate` (the built CLI) in `env`: its exit status and output. */
function migrateCli(env: Record<string, string | undefined>): { status: number | null; out: string } {
  const child = spawnSync(process.execPath, ['dist/database/cli.js', 'migrate'], {
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
  });
  return { status: child.status, out: child.stdout + child.stderr };
}

/** The migrations recorded in the embedded database at `dataPath`, and whether each finished. */
async function recordedMigrations(dataPath: string): Promise<{ name: string; finished: boolean }[]> {
  const db = await openEmbedded(dataPath);
  try {
    const { rows } = await db.query<{ name: string; finished: boolean }>(
      'SELECT migration_name AS name, finished_at IS NOT NULL AS finished FROM _prisma_migrations',
    );
    return rows;
  } finally {
    await db.close();
  }
}
