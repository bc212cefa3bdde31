import type { PGlite } from '@electric-sql/pglite';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { AppConfig } from '../config/environment.js';
import { PrismaClient } from '../generated/prisma/client.js';
import { pgAdapter, pgliteAdapter } from './adapters.js';
import { DataDirLock } from './data-dir-lock.js';
import { AdapterDriver, ClientDriver, type Driver } from './driver.js';
import { embeddedDataPath, embeddedExists, openEmbedded, prepareEmbedded } from './embedded.js';
import { applyMigrations, migrationNames, migrationsUpToDate } from './schema-engine.js';

/** The database the service runs on, connected and migrated. */
export interface Database {
  /** `host`: a host application's Prisma client, which it connects, migrates and closes. */
  readonly kind: 'embedded' | 'postgresql' | 'host';
  readonly prisma: PrismaClient;
  readonly driver: Driver;
  /** A client over the replicas (DATABASE_REPLICA_URL), for reads that may lag; none by default. */
  readonly replica?: PrismaClient;
  /** The migrations this start applied. */
  readonly appliedMigrations: string[];
  /** The connection pool's state now (PostgreSQL); null where the service holds no pool (embedded, a host's client). */
  pool(): PoolState | null;
  /** Disconnects and closes what the service opened (nothing of a host's client). */
  close(): Promise<void>;
}

/** A `pg` pool's counts, as the metrics report them. */
export interface PoolState {
  max: number;
  total: number;
  idle: number;
  waiting: number;
}

/** The counts of a `pg` Pool (duck-typed: pg is loaded by the adapter). */
function poolState(pool: unknown): PoolState | null {
  const p = pool as { totalCount?: unknown; idleCount?: unknown; waitingCount?: unknown; options?: { max?: unknown } } | undefined;
  if (!p || typeof p.totalCount !== 'number' || typeof p.idleCount !== 'number' || typeof p.waitingCount !== 'number') return null;
  return { max: typeof p.options?.max === 'number' ? p.options.max : 10, total: p.totalCount, idle: p.idleCount, waiting: p.waitingCount };
}

/**
 * The migrations this build ships (`shipped`, read from disk when not given)
 * that the database does not record as applied. Rejects when the database
 * cannot be read.
 */
export async function pendingMigrations(
  prisma: Pick<PrismaClient, '$queryRawUnsafe'>,
  shipped: Promise<string[]> | string[] = migrationNames(),
): Promise<string[]> {
  const rows = await prisma.$queryRawUnsafe<{ migration_name: string }[]>(
    'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
  );
  const applied = new Set(rows.map((row) => row.migration_name));
  return (await shipped).filter((name) => !applied.has(name));
}

/** The host's migrations are not all applied: the feature does not start on a schema it does not know. */
export class PendingMigrationsError extends Error {
  override name = 'PendingMigrationsError';
}

/**
 * A host application's Prisma client (SpacesModule's `database.prisma`): the
 * host applies the service's migrations (`migrateSpacesDatabase`); the
 * feature checks they are all there before it serves.
 */
export async function hostDatabase(prisma: PrismaClient): Promise<Database> {
  // No history table: everything is pending.
  const pending = await pendingMigrations(prisma).catch(() => migrationNames());
  if (pending.length > 0) {
    throw new PendingMigrationsError(
      `The spaces migrations are not applied to the given database (pending: ${pending.join(', ')}). ` +
        'Apply them with migrateSpacesDatabase() before the application starts.',
    );
  }
  return { kind: 'host', prisma, driver: new ClientDriver(prisma), appliedMigrations: [], pool: () => null, close: async () => undefined };
}

/** The service's own Prisma client over a migrated adapter. */
async function connect(
  kind: 'embedded' | 'postgresql',
  adapter: SqlMigrationAwareDriverAdapterFactory,
  appliedMigrations: string[],
  closeStore: () => Promise<void>,
  replicaAdapter?: SqlMigrationAwareDriverAdapterFactory,
): Promise<Database> {
  const driver = new AdapterDriver();
  const prisma = new PrismaClient({ adapter: driver.capture(adapter) });
  await prisma.$connect(); // now, so that the driver is there for the first request
  // The replicas may be away at start: their client connects with its first query.
  const replica = replicaAdapter ? new PrismaClient({ adapter: replicaAdapter }) : undefined;
  return {
    kind,
    prisma,
    driver,
    replica,
    appliedMigrations,
    pool: () => (kind === 'postgresql' ? poolState(driver.underlying()) : null),
    close: async () => {
      try {
        await replica?.$disconnect();
        await prisma.$disconnect();
      } finally {
        await closeStore();
      }
    },
  };
}

export const DATABASE = Symbol('Database');

/** A host application's Prisma client to use instead of opening one (null: open the configured database). */
export const HOST_PRISMA = Symbol('HostPrisma');

/**
 * Opens the configured database and applies pending migrations: PostgreSQL
 * when DATABASE_URL is set, else PGlite on disk under DATA_DIR, held by this
 * process alone.
 */
export async function openDatabase(config: AppConfig): Promise<Database> {
  if (config.DATABASE_URL) {
    const url = config.DATABASE_URL;
    const appliedMigrations = await applyMigrations(pgAdapter(url, { max: 1 }));
    const replica = config.DATABASE_REPLICA_URL ? pgAdapter(config.DATABASE_REPLICA_URL, { max: config.DATABASE_POOL_SIZE }) : undefined;
    return connect('postgresql', pgAdapter(url, { max: config.DATABASE_POOL_SIZE }), appliedMigrations, async () => undefined, replica);
  }

  const lock = await DataDirLock.acquire(config.DATA_DIR);
  const dataPath = embeddedDataPath(config.DATA_DIR);
  let db: PGlite | undefined;
  try {
    // Creating the database and migrating it happen in a process of their own (prepareEmbedded).
    // A new one is migrated as it is made; one that was there already is checked once open.
    const existing = await embeddedExists(dataPath);
    let appliedMigrations = existing ? [] : await prepareEmbedded(dataPath);
    db = await openEmbedded(dataPath);
    if (existing && !(await migrationsUpToDate(pgliteAdapter(db)))) {
      const stale = db;
      db = undefined;
      await stale.close();
      appliedMigrations = await prepareEmbedded(dataPath);
      db = await openEmbedded(dataPath);
    }
    const opened = db;
    return await connect('embedded', pgliteAdapter(db), appliedMigrations, async () => {
      try {
        if (!opened.closed) await opened.close();
      } finally {
        lock.release();
      }
    });
  } catch (error) {
    await db?.close().catch(() => undefined);
    lock.release();
    throw error;
  }
}
