import type { PGlite } from '@electric-sql/pglite';
import { Logger } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, SqlQuery } from '@prisma/driver-adapter-utils';
import { preparedStatementName } from './driver.js';

/** Loaded only for the embedded database: a service on PostgreSQL never holds PGlite's code. */
const loadPGlite = () => Promise.all([import('@electric-sql/pglite'), import('pglite-prisma-adapter')]);

/**
 * pglite-prisma-adapter starts `exec` for scripts without awaiting it, so a
 * failing migration would be recorded as applied and its error left unhandled.
 * Migrations must wait for the script and see its error.
 */
function awaitScripts(adapter: SqlDriverAdapter, db: PGlite): SqlDriverAdapter {
  adapter.executeScript = async (script: string) => {
    await db.exec(script);
  };
  return adapter;
}

export function pgliteAdapter(db: PGlite): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: 'postgres',
    adapterName: 'pglite-prisma-adapter', // as PrismaPGlite names itself
    connect: async () => {
      const [, { PrismaPGlite }] = await loadPGlite();
      return awaitScripts(await new PrismaPGlite(db).connect(), db);
    },
    connectToShadowDb: async () => {
      const [{ PGlite }, { PrismaPGlite }] = await loadPGlite();
      const shadow = new PGlite();
      const adapter = awaitScripts(await new PrismaPGlite(shadow).connect(), shadow);
      adapter.dispose = () => shadow.close();
      return adapter;
    },
  };
}

const logger = new Logger('Database');

export interface PgAdapterOptions {
  max?: number;
  connectionTimeoutMillis?: number;
}

export function pgAdapter(connectionString: string, options: PgAdapterOptions = {}): PrismaPg {
  const factory = new PrismaPg(
    {
      connectionString,
      max: options.max ?? 10,
      connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5_000,
      // A leader that vanished (failover, network) is noticed on idle connections too.
      keepAlive: true,
    },
    {
      // The hottest statements are prepared once per connection (see Driver).
      statementNameGenerator: preparedStatementName as (query: SqlQuery) => string,
      // A connection that broke (57P01 after a failover, a reset) leaves the pool; the next request opens another.
      onPoolError: (error: Error) => logger.warn(`An idle database connection failed: ${error.message}`),
      onConnectionError: (error: Error) => logger.warn(`A database connection failed: ${error.message}`),
    },
  );
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    // A connection the server drops (a failover) can report more than one error: pg's pool listens
    // for one while a query runs and for idle ones, and an error with nobody listening would end
    // the process. Every connection keeps a listener for its whole life; the pool still handles each error.
    adapter
      .underlyingDriver()
      .on('connect', (client) => client.on('error', (error: Error) => logger.debug(`A database connection reported: ${error.message}`)));
    return adapter;
  };
  return factory;
}
