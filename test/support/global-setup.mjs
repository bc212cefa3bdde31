// Migrates the run's template database once; test files copy it.
// Plain ESM over the compiled service (Jest loads global set-up without the
// TypeScript transform): `npm test` builds first.
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { pgAdapter, pgliteAdapter } from '../../dist/database/adapters.js';
import { applyMigrations } from '../../dist/database/schema-engine.js';

export default async function globalSetup() {
  const runId = `spaces_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  process.env.SPACES_TEST_RUN_ID = runId;
  if (process.env.DATABASE_URL) {
    const template = `${runId}_template`;
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    await client.query(`CREATE DATABASE "${template}"`);
    await client.end();
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${template}`;
    await applyMigrations(pgAdapter(url.toString(), { max: 1 }));
    process.env.SPACES_TEST_PG_TEMPLATE = template;
  } else {
    const db = await PGlite.create();
    await applyMigrations(pgliteAdapter(db));
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'spaces-template-')), 'template.tar');
    const dump = await db.dumpDataDir('none');
    await writeFile(file, Buffer.from(await dump.arrayBuffer()));
    await db.close();
    process.env.SPACES_TEST_PGLITE_TEMPLATE = file;
  }
}
