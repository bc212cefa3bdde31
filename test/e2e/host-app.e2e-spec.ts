import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import request from 'supertest';
import { HostModule } from '../../examples/host-app/src/host.module.js';
import { Injectable, Module } from '@nestjs/common';
import {
  migrateSpacesDatabase,
  PendingMigrationsError,
  PrismaClient,
  SPACES_MODULE_OPTIONS,
  SpacesModule,
  type SpacesModuleOptions,
  type SpacesOptionsFactory,
  SpacesService,
} from 'spaces-service';
import { pgliteAdapter } from '../../src/database/adapters.js';
import { embeddedDataPath } from '../../src/database/embedded.js';
import { dropDatabase, onPostgres, seededDatabase } from '../support/databases.js';
import { disposeEnv, testEnv, type TestEnv } from '../support/test-app.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SPACES = '/platform/onezone';
const idFrom = (location: string) => location.split('/').pop()!;

/** A Prisma client of the package's schema over the test file's database, as a host would make one. */
async function hostClient(
  env: TestEnv,
): Promise<{ prisma: PrismaClient; adapter: SqlMigrationAwareDriverAdapterFactory; close(): Promise<void> }> {
  if (env.DATABASE_URL) {
    const adapter = new PrismaPg({ connectionString: env.DATABASE_URL });
    const prisma = new PrismaClient({ adapter });
    return { prisma, adapter, close: () => prisma.$disconnect() };
  }
  const db = await PGlite.create(embeddedDataPath(env.DATA_DIR));
  const adapter = pgliteAdapter(db);
  const prisma = new PrismaClient({ adapter });
  return {
    prisma,
    adapter,
    close: async () => {
      await prisma.$disconnect();
      await db.close();
    },
  };
}

async function start(module: ReturnType<typeof HostModule.forRoot>, globalPrefix?: string): Promise<NestFastifyApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [module] }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
  if (globalPrefix) app.setGlobalPrefix(globalPrefix);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

/**
 * examples/host-app: a host platform with its own accounts and fake
 * authentication imports SpacesModule (forRootAsync, its own Prisma client,
 * routes under /platform/onezone); the seed flows run through it.
 */
describe('SpacesModule in a host application (examples/host-app)', () => {
  let env: TestEnv;
  let database: Awaited<ReturnType<typeof hostClient>>;
  let app: NestFastifyApplication;
  let http: ReturnType<typeof request>;
  const as = (account: string) => ({ Authorization: `Fake ${account}` });

  beforeAll(async () => {
    env = await testEnv();
    database = await hostClient(env);
    // The host migrates before it starts; the template is migrated already, so nothing is pending.
    expect(await migrateSpacesDatabase(database.adapter)).toEqual([]);
    app = await start(
      HostModule.forRoot({ database: { prisma: database.prisma }, tokenSecret: env.TOKEN_SECRET, rateLimit: 1_000_000 }),
      'platform',
    );
    http = request(app.getHttpServer());
  });

  afterAll(async () => {
    await app?.close();
    await database?.close();
    await disposeEnv(env);
  });

  it("leaves the host's own routes, guards and errors as they were", async () => {
    const me = await http.get('/platform/me').set(as('alice')).expect(200);
    expect(me.body).toEqual({ id: 'alice', kind: 'person', displayName: 'Alice' });
    expect(me.headers['x-ratelimit-limit']).toBeUndefined(); // the feature's rate limit is not on the host's routes
    const anonymous = await http.get('/platform/me').expect(401);
    expect(anonymous.body).toEqual({ message: 'Sign in first', error: 'Unauthorized', statusCode: 401 }); // the host's own body
    const unknown = await http.get('/platform/nothing-here').expect(404);
    expect(unknown.body).toMatchObject({ statusCode: 404 }); // the host's 404, not the feature's
  });

  it('POST /user/spaces with a provider support token: 201, Location under the host prefix, the space readable', async () => {
    const support = await http.post(`${SPACES}/provider/spaces/token`).set(as('acme-storage')).send({ maxSize: 5000 }).expect(200);
    const created = await http
      .post(`${SPACES}/user/spaces`)
      .set(as('alice'))
      .send({ name: 'Alice lab', token: support.body.token, size: 1200 })
      .expect(201);
    expect(created.headers.location).toMatch(/^\/platform\/onezone\/user\/spaces\/[0-9a-f]{32}$/);
    const spaceId = idFrom(created.headers.location);
    const space = await http.get(created.headers.location).set(as('alice')).expect(200);
    expect(space.body).toMatchObject({ spaceId, name: 'Alice lab', providers: { 'acme-storage': 1200 } });
    // The host's accounts were recorded on first sight, under their display names.
    expect(await database.prisma.user.findUnique({ where: { id: 'alice' } })).toMatchObject({ name: 'Alice' });
    expect(await database.prisma.provider.findUnique({ where: { id: 'acme-storage' } })).toMatchObject({
      name: 'ACME Storage',
      capacity: null,
    });
    // Another account of the host does not see it.
    await http.get(`${SPACES}/user/spaces/${spaceId}`).set(as('bob')).expect(404);
    // The seed's single-use token is spent.
    const reuse = await http
      .post(`${SPACES}/user/spaces`)
      .set(as('bob'))
      .send({ name: 'Bob lab', token: support.body.token, size: 10 })
      .expect(400);
    expect(reuse.body.error).toBe('invalid_token');
  });

  it('POST /spaces by a provider with a space creation token: 201, the user owns the space', async () => {
    const creation = await http.post(`${SPACES}/user/spaces/token`).set(as('bob')).send({}).expect(200);
    const created = await http
      .post(`${SPACES}/spaces`)
      .set(as('acme-storage'))
      .send({ name: 'Bob archive', token: creation.body.token, size: 2000 })
      .expect(201);
    expect(created.headers.location).toMatch(/^\/platform\/onezone\/spaces\/[0-9a-f]{32}$/);
    const spaceId = idFrom(created.headers.location);
    const mine = await http.get(`${SPACES}/user/spaces`).set(as('bob')).expect(200);
    expect(mine.body.spaces).toContain(spaceId);
    const owners = await http.get(`${SPACES}/spaces/${spaceId}/owners`).set(as('bob')).expect(200);
    expect(owners.body.users).toEqual(['bob']);
  });

  it("answers the host's anonymous requests 401 with the Error body; the service's bearer tokens and admin routes are not there", async () => {
    const anonymous = await http.post(`${SPACES}/user/spaces`).send({ name: 'Nobody' }).expect(401);
    expect(anonymous.body).toEqual({ error: 'unauthorized', error_description: 'Authentication required.' });
    await http.get(`${SPACES}/user/spaces`).set('Authorization', `Bearer ${env.TOKEN_SECRET}`).expect(401);
    const admin = await http.post(`${SPACES}/users`).send({ name: 'x' });
    expect(admin.status).toBe(404);
    expect(await database.prisma.space.count({ where: { name: 'Nobody' } })).toBe(0);
  });

  it("reports the feature in the host's health check (SpacesHealthIndicator): up, then down naming a missing migration", async () => {
    const up = await http.get('/platform/health').expect(200);
    expect(up.body.info.spaces).toEqual({ status: 'up', applied: expect.any(Number) });
    const [last] = await database.prisma.$queryRaw<{ id: string; migration_name: string }[]>`
      SELECT id, migration_name FROM _prisma_migrations ORDER BY migration_name DESC LIMIT 1`;
    await database.prisma.$executeRaw`UPDATE _prisma_migrations SET rolled_back_at = now() WHERE id = ${last.id}`;
    try {
      const down = await http.get('/platform/health').expect(503);
      expect(down.body.error.spaces).toEqual({ status: 'down', pending: [last.migration_name] });
    } finally {
      await database.prisma.$executeRaw`UPDATE _prisma_migrations SET rolled_back_at = NULL WHERE id = ${last.id}`;
    }
    await http.get('/platform/health').expect(200);
  });

  it("keeps the feature's validation, error body and Idempotency-Key on its routes", async () => {
    const bad = await http.post(`${SPACES}/user/spaces`).set(as('alice')).send({ name: 'ok', extra: 1 }).expect(400);
    expect(bad.body).toEqual({ error: 'invalid_request', error_description: "unknown field 'extra'." });
    const send = () => http.post(`${SPACES}/user/spaces`).set(as('alice')).set('Idempotency-Key', 'host-key-1').send({ name: 'Once' });
    const first = await send().expect(201);
    const again = await send().expect(201);
    expect(again.headers.location).toBe(first.headers.location);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await database.prisma.space.count({ where: { name: 'Once' } })).toBe(1);
  });
});

describe('SpacesModule.forRoot', () => {
  it('serves under /api/v3/onezone by default, on a database URL or the embedded one, with a plain resolver', async () => {
    const env = await testEnv();
    const moduleRef = await Test.createTestingModule({
      imports: [
        SpacesModule.forRoot({
          ...(env.DATABASE_URL ? { database: { url: env.DATABASE_URL, poolSize: 2 } } : { dataDir: env.DATA_DIR }),
          tokenSecret: env.TOKEN_SECRET,
          resolveCaller: (req: { headers: Record<string, string | undefined> }) => {
            const who = req.headers['x-user'];
            if (who === 'broken') return { type: 'user', userId: 'a/b' };
            return who ? { type: 'user', userId: who } : null;
          },
        }),
      ],
    }).compile();
    const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    try {
      const http = request(app.getHttpServer());
      const created = await http.post('/api/v3/onezone/user/spaces').set('X-User', 'carol').send({ name: 'Carol space' }).expect(201);
      expect(created.headers.location).toMatch(/^\/api\/v3\/onezone\/user\/spaces\/[0-9a-f]{32}$/);
      await http.get(created.headers.location).set('X-User', 'carol').expect(200);
      // A resolver's malformed caller is the host's bug: 500 with the Error body, no detail, nothing stored.
      const broken = await http.post('/api/v3/onezone/user/spaces').set('X-User', 'broken').send({ name: 'Broken' }).expect(500);
      expect(broken.body).toEqual({ error: 'internal_server_error', error_description: expect.any(String) });
      expect(JSON.stringify(broken.body)).not.toContain('a/b');
    } finally {
      await app.close();
      await disposeEnv(env);
    }
  });

  it('refuses invalid options by their names', async () => {
    await expect(
      Test.createTestingModule({ imports: [SpacesModule.forRoot({ tokenSecret: 'short', dataDir: '/tmp/spaces-never' })] }).compile(),
    ).rejects.toThrow(/tokenSecret must be at least 32 characters long/);
    await expect(
      Test.createTestingModule({ imports: [SpacesModule.forRoot({ rateLimit: 1.5, dataDir: '/tmp/spaces-never' })] }).compile(),
    ).rejects.toThrow(/rateLimit must be an integer/);
    await expect(
      Test.createTestingModule({ imports: [SpacesModule.forRoot({ routePrefix: 'a b', dataDir: '/tmp/spaces-never' })] }).compile(),
    ).rejects.toThrow(/routePrefix must be/);
  });

  it("refuses to start on a host's database that lacks the migrations, naming what to run", async () => {
    let prisma: PrismaClient;
    let close: () => Promise<void>;
    let url: string | undefined;
    if (onPostgres()) {
      // A database whose spaces history is gone: every migration is pending.
      url = await seededDatabase();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query('DROP TABLE _prisma_migrations');
      await client.end();
      prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
      close = () => prisma.$disconnect();
    } else {
      const db = await PGlite.create();
      prisma = new PrismaClient({ adapter: pgliteAdapter(db) });
      close = async () => {
        await prisma.$disconnect();
        await db.close();
      };
    }
    try {
      const compiling = Test.createTestingModule({
        imports: [SpacesModule.forRoot({ database: { prisma }, tokenSecret: 'x'.repeat(32) })],
      }).compile();
      await expect(compiling).rejects.toBeInstanceOf(PendingMigrationsError);
      await expect(compiling).rejects.toThrow(/migrateSpacesDatabase/);
    } finally {
      await close();
      if (url) await dropDatabase(url);
    }
  });
});

describe('SpacesModule.forRootAsync', () => {
  @Injectable()
  class SpacesSettings implements SpacesOptionsFactory {
    static dataDir = '';
    createSpacesOptions(): SpacesModuleOptions {
      return { dataDir: SpacesSettings.dataDir, tokenSecret: 'y'.repeat(32), resolveCaller: () => ({ type: 'user', userId: 'dana' }) };
    }
  }
  @Module({ providers: [SpacesSettings], exports: [SpacesSettings] })
  class SettingsModule {}

  for (const form of ['useClass', 'useExisting'] as const) {
    it(`takes its options from a class (${form}), with the extras' defaults, and exports them and its services`, async () => {
      const env = await testEnv();
      SpacesSettings.dataDir = env.DATA_DIR;
      const spaces =
        form === 'useClass'
          ? SpacesModule.forRootAsync({ useClass: SpacesSettings })
          : SpacesModule.forRootAsync({ imports: [SettingsModule], useExisting: SpacesSettings });
      const moduleRef = await Test.createTestingModule({ imports: [spaces] }).compile();
      const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
      await app.init();
      await app.getHttpAdapter().getInstance().ready();
      try {
        expect(app.get<SpacesModuleOptions>(SPACES_MODULE_OPTIONS).dataDir).toBe(env.DATA_DIR);
        expect(app.get(SpacesService)).toBeInstanceOf(SpacesService);
        const http = request(app.getHttpServer());
        const created = await http.post('/api/v3/onezone/user/spaces').send({ name: 'Dana space' }).expect(201);
        expect(created.headers.location).toMatch(/^\/api\/v3\/onezone\/user\/spaces\/[0-9a-f]{32}$/);
        // identities defaults to false in both forms: no admin routes.
        await http.post('/api/v3/onezone/users').send({ name: 'x' }).expect(404);
      } finally {
        await app.close();
        await disposeEnv(env);
      }
    });
  }
});

describe('the package', () => {
  it("exposes the module and its types through package.json's exports, built with declarations", async () => {
    const pkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
    // Node resolves the package by its name through `exports`, as a host's import would.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '-e', "const m = await import('spaces-service'); console.log(Object.keys(m).sort().join(','))"],
      { cwd: ROOT },
    );
    expect(stdout.trim().split(',')).toEqual(
      expect.arrayContaining([
        'ConfigError',
        'PendingMigrationsError',
        'PrismaClient',
        'SpacesHealthIndicator',
        'SpacesModule',
        'migrateSpacesDatabase',
      ]),
    );
    const declarations = await readFile(path.join(ROOT, 'dist', 'index.d.ts'), 'utf8');
    for (const name of ['SpacesModule', 'SpacesModuleOptions', 'SpacesModuleAsyncOptions', 'CallerResolver', 'ResolvedCaller', 'Caller']) {
      expect(declarations).toContain(name);
    }
  });
});
