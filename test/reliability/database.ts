import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { embeddedDataPath } from '../../src/database/embedded.js';
import type { TestEnv } from '../support/test-app.js';

/** Reads the service's database directly, after the service has stopped. */
export async function query<T>(env: TestEnv, sql: string, params: unknown[] = []): Promise<T[]> {
  if (env.DATABASE_URL) {
    const client = new pg.Client({ connectionString: env.DATABASE_URL });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }
  const db = await PGlite.create(embeddedDataPath(env.DATA_DIR));
  try {
    return (await db.query<T>(sql, params)).rows;
  } finally {
    await db.close();
  }
}
