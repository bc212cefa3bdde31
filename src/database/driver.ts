import type {
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';

const TEXT = { scalarType: 'string', arity: 'scalar' } as const;

/**
 * Prisma's own connection to the database (the driver adapter it connected),
 * for the few hottest statements, which skip the query engine: they cost a
 * third of the CPU a Prisma query does. Parameters are text; every column is
 * read as text, so that results are the same on PostgreSQL and on PGlite.
 */
export class Driver {
  private connected?: SqlDriverAdapter;

  /** The factory to give PrismaClient: it remembers the connection Prisma opens. */
  capture(factory: SqlMigrationAwareDriverAdapterFactory): SqlDriverAdapterFactory {
    return {
      provider: factory.provider,
      adapterName: factory.adapterName,
      connect: async () => (this.connected = await factory.connect()),
    };
  }

  /** Rows as objects of text (SQL NULL as null). */
  async query(sql: string, args: string[]): Promise<Record<string, string | null>[]> {
    const result = await this.adapter().queryRaw({ sql, args, argTypes: args.map(() => TEXT) });
    return result.rows.map((row) =>
      Object.fromEntries(result.columnNames.map((name, i) => [name, row[i] === null ? null : String(row[i])])),
    );
  }

  /** Runs a statement; returns the rows it changed. */
  execute(sql: string, args: string[]): Promise<number> {
    return this.adapter().executeRaw({ sql, args, argTypes: args.map(() => TEXT) });
  }

  private adapter(): SqlDriverAdapter {
    if (!this.connected) throw new Error('The database driver is used before Prisma connected');
    return this.connected;
  }
}
