import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { AppConfig } from '../config/environment.js';
import { pgAdapter, pgliteAdapter } from './adapters.js';
import { DataDirLock } from './data-dir-lock.js';
import { applyMigrations } from './schema-engine.js';

/** The database the service runs on, opened and migrated. */
export interface Database {
  readonly kind: 'embedded' | 'postgresql';
  readonly adapter: SqlMigrationAwareDriverAdapterFactory;
  readonly appliedMigrations: string[];
  close(): Promise<void>;
}

export const DATABASE = Symbol('Database');

/** Where the embedded database keeps its files, inside DATA_DIR. */
export function embeddedDataPath(dataDir: string): string {
  return path.join(dataDir, 'pgdata');
}

/**
 * Opens the configured database and applies pending migrations: PostgreSQL
 * when DATABASE_URL is set, else PGlite on disk under DATA_DIR, held by this
 * process alone.
 */
export async function openDatabase(config: AppConfig): Promise<Database> {
  if (config.DATABASE_URL) {
    const url = config.DATABASE_URL;
    const appliedMigrations = await applyMigrations(pgAdapter(url, { max: 1 }));
    const adapter = pgAdapter(url, { max: config.DATABASE_POOL_SIZE });
    return { kind: 'postgresql', adapter, appliedMigrations, close: async () => undefined };
  }

  const lock = await DataDirLock.acquire(config.DATA_DIR);
  let db: PGlite | undefined;
  try {
    const { PGlite } = await import('@electric-sql/pglite'); // not loaded on PostgreSQL
    db = await PGlite.create(embeddedDataPath(config.DATA_DIR));
    const adapter = pgliteAdapter(db);
    const appliedMigrations = await applyMigrations(adapter);
    const opened = db;
    return {
      kind: 'embedded',
      adapter,
      appliedMigrations,
      close: async () => {
        try {
          if (!opened.closed) await opened.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (error) {
    await db?.close().catch(() => undefined);
    lock.release();
    throw error;
  }
}
