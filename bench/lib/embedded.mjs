import { readdir, readFile } from 'node:fs/promises';

const MIGRATIONS = new URL('../../prisma/migrations/', import.meta.url);

/** The PostgreSQL settings the service gives its embedded database. */
export async function embeddedSettings() {
  return [...(await import('../../dist/database/embedded.js')).EMBEDDED_SETTINGS];
}

/**
 * A fresh PGlite database in this process, opened with the service's
 * settings and migrated from the service's migrations (their SQL, in order:
 * the schema the service's own start applies). `settings` is given by a
 * caller that keeps the service's modules out of its process.
 */
export async function openEmbedded(dataDir, settings) {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create(dataDir, {
    startParams: [...PGlite.defaultStartParams, ...(settings ?? (await embeddedSettings()))],
  });
  for (const name of (await readdir(MIGRATIONS)).filter((n) => /^\d{14}_/.test(n)).sort()) {
    await db.exec(await readFile(new URL(`${name}/migration.sql`, MIGRATIONS), 'utf8'));
  }
  return db;
}
