import { randomBytes } from 'node:crypto';
import { copyFile, cp, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { embeddedDataPath } from '../../src/database/embedded.js';
import { MIGRATIONS_DIR, migrationNames } from '../../src/database/schema-engine.js';

/**
 * Test databases. Global set-up migrates one template per run (a PGlite dump,
 * or a PostgreSQL template database when DATABASE_URL is set); each test file
 * starts from a copy of it, and everything is dropped at the end of the run.
 */

// Set by global-setup.mjs.
export const ENV_PGLITE_TEMPLATE = 'SPACES_TEST_PGLITE_TEMPLATE';
export const ENV_PG_TEMPLATE = 'SPACES_TEST_PG_TEMPLATE';
export const ENV_RUN_ID = 'SPACES_TEST_RUN_ID';

export const serverUrl = (): string | undefined => process.env.DATABASE_URL || undefined;
export const onPostgres = (): boolean => serverUrl() !== undefined;

/** The URL of `database` on the server DATABASE_URL names. */
export function urlFor(database: string): string {
  const url = new URL(serverUrl()!);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh DATA_DIR whose embedded database is a copy of the migrated template. */
export async function seededDataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'spaces-test-'));
  const template = process.env[ENV_PGLITE_TEMPLATE];
  if (template) {
    const blob = new Blob([await readFile(template)]);
    const db = await PGlite.create(embeddedDataPath(dir), { loadDataDir: blob });
    await db.close();
  }
  return dir;
}

/** A fresh PostgreSQL database copied from the run's migrated template; returns its URL. */
export async function seededDatabase(): Promise<string> {
  const template = process.env[ENV_PG_TEMPLATE];
  const name = `${process.env[ENV_RUN_ID]}_${randomBytes(4).toString('hex')}`;
  await withServer((c) => c.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`));
  return urlFor(name);
}

export async function dropDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  await withServer((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** The migrations up to and including `last`, in a folder of their own (to build a database of an older schema). */
export async function migrationsUpTo(last: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'spaces-old-migrations-'));
  for (const name of await migrationNames()) {
    if (name > last) break;
    await cp(path.join(MIGRATIONS_DIR, name), path.join(dir, name), { recursive: true });
  }
  await copyFile(path.join(MIGRATIONS_DIR, 'migration_lock.toml'), path.join(dir, 'migration_lock.toml'));
  return dir;
}
