import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pgAdapter, pgliteAdapter } from '../../src/database/adapters.js';
import { DATABASE, type Database } from '../../src/database/database.js';
import { MIGRATIONS_DIR, SCHEMA_PATH, applyMigrations, createMigration, diffMigrationsToSchema } from '../../src/database/schema-engine.js';
import { onPostgres } from '../support/databases.js';
import { disposeEnv, startApp, testEnv, type TestApp } from '../support/test-app.js';

/**
 * Drift is a property of the files (schema vs migrations), checked by replaying
 * the migrations on a shadow PGlite: the WASM engine cannot introspect a
 * PostgreSQL server through @prisma/adapter-pg (its catalog's "char" columns
 * do not deserialize), while applying migrations there works.
 */
/** Tests that run the schema engine (WASM, each migration replayed on a shadow database): 30 s or more on a busy machine. */
const ENGINE_TIMEOUT = 180_000;

async function shadowAdapter() {
  const db = await PGlite.create();
  return { adapter: pgliteAdapter(db), close: () => db.close() };
}

describe('schema and migrations', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp(await testEnv());
  });

  afterAll(async () => {
    await t.close();
    await disposeEnv(t.env);
  });

  it(
    'schema.prisma and prisma/migrations agree (no drift)',
    async () => {
      const { adapter, close } = await shadowAdapter();
      try {
        expect(await diffMigrationsToSchema(adapter)).toBeNull();
      } finally {
        await close();
      }
    },
    ENGINE_TIMEOUT,
  );

  it(
    'the drift check catches a schema change that has no migration',
    async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'spaces-drift-'));
      const schema = path.join(dir, 'schema.prisma');
      const changed = (await readFile(SCHEMA_PATH, 'utf8')).replace(
        'model User {\n  id          String       @id',
        'model User {\n  id          String       @id\n  email       String?',
      );
      expect(changed).toContain('email');
      await writeFile(schema, changed);
      const { adapter, close } = await shadowAdapter();
      try {
        const script = await diffMigrationsToSchema(adapter, MIGRATIONS_DIR, schema);
        expect(script).toContain('ALTER TABLE "users" ADD COLUMN     "email" TEXT');
      } finally {
        await close();
        await rm(dir, { recursive: true, force: true });
      }
    },
    ENGINE_TIMEOUT,
  );

  it('records each migration in _prisma_migrations as prisma migrate deploy would (name, SHA-256 checksum, finished)', async () => {
    const folders = (await readdir(MIGRATIONS_DIR, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(folders.length).toBeGreaterThan(0);
    const rows = await t.prisma.$queryRaw<
      { migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null }[]
    >`
      SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY migration_name`;
    expect(rows.map((r) => r.migration_name)).toEqual(folders);
    for (const row of rows) {
      const sql = await readFile(path.join(MIGRATIONS_DIR, row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
      expect(row.finished_at).not.toBeNull();
      expect(row.rolled_back_at).toBeNull();
    }
  });

  it('applying again applies nothing', async () => {
    if (onPostgres()) {
      expect(await applyMigrations(pgAdapter(t.env.DATABASE_URL!, { max: 1 }))).toEqual([]);
    } else {
      expect(t.app.get<Database>(DATABASE).appliedMigrations).toEqual([]);
    }
  });

  it(
    'a database already up to date is checked with one query: the schema engine is not started',
    async () => {
      const db = await PGlite.create();
      try {
        const connections = { count: 0 };
        const counted = () => {
          const adapter = pgliteAdapter(db);
          const connect = adapter.connect.bind(adapter);
          adapter.connect = () => {
            connections.count += 1;
            return connect();
          };
          return adapter;
        };
        // Empty: no history table, so the engine runs and applies everything.
        expect((await applyMigrations(counted())).length).toBeGreaterThan(0);
        expect(connections.count).toBeGreaterThan(1);
        connections.count = 0;
        expect(await applyMigrations(counted())).toEqual([]);
        expect(connections.count).toBe(1);
      } finally {
        await db.close();
      }
    },
    ENGINE_TIMEOUT,
  );

  it("the embedded database keeps 16 MB of shared buffers in the service's memory", async () => {
    if (onPostgres()) return;
    const [row] = await t.prisma.$queryRaw<{ shared_buffers: string }[]>`SHOW shared_buffers`;
    expect(row.shared_buffers).toBe('16MB');
  });

  it(
    'db:migration writes the next migration from the schema diff',
    async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'spaces-migrations-'));
      await cp(MIGRATIONS_DIR, path.join(dir, 'migrations'), { recursive: true });
      const schema = path.join(dir, 'schema.prisma');
      await writeFile(
        schema,
        (await readFile(SCHEMA_PATH, 'utf8')).replace(
          'model User {\n  id          String       @id',
          'model User {\n  id          String       @id\n  email       String?',
        ),
      );
      const db = await PGlite.create();
      try {
        const folder = await createMigration(pgliteAdapter(db), 'Add user email', path.join(dir, 'migrations'), schema);
        expect(path.basename(folder!)).toMatch(/^\d{14}_add_user_email$/);
        expect(await readFile(path.join(folder!, 'migration.sql'), 'utf8')).toContain('ADD COLUMN     "email" TEXT');
        // The schema and the extended history now agree.
        expect(await diffMigrationsToSchema(pgliteAdapter(db), path.join(dir, 'migrations'), schema)).toBeNull();
      } finally {
        await db.close();
        await rm(dir, { recursive: true, force: true });
      }
    },
    ENGINE_TIMEOUT,
  );

  it(
    'a failing migration is reported, not recorded as applied',
    async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'spaces-broken-'));
      await cp(MIGRATIONS_DIR, dir, { recursive: true });
      const broken = path.join(dir, '29990101000000_broken');
      await mkdir(broken);
      await writeFile(path.join(broken, 'migration.sql'), 'ALTER TABLE "no_such_table" ADD COLUMN x INT;');
      const db = await PGlite.create();
      try {
        await expect(applyMigrations(pgliteAdapter(db), dir)).rejects.toThrow(/Migration 29990101000000_broken failed: .*no_such_table/);
        const rows = (
          await db.query<{ migration_name: string; finished_at: Date | null }>('SELECT migration_name, finished_at FROM _prisma_migrations')
        ).rows;
        expect(rows.find((r) => r.migration_name === '29990101000000_broken')?.finished_at ?? null).toBeNull();
        // The next start does not take the history for up to date: the engine sees the failure.
        await expect(applyMigrations(pgliteAdapter(db))).rejects.toThrow(/29990101000000_broken/);
      } finally {
        await db.close();
        await rm(dir, { recursive: true, force: true });
      }
    },
    ENGINE_TIMEOUT,
  );
});
