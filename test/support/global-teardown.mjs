// Drops every database this run made, and the template dump.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';

export default async function globalTeardown() {
  const runId = process.env.SPACES_TEST_RUN_ID;
  if (process.env.DATABASE_URL && runId) {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${runId}%`]);
      for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
  }
  const template = process.env.SPACES_TEST_PGLITE_TEMPLATE;
  if (template) await rm(path.dirname(template), { recursive: true, force: true });
}
