import { createHash } from 'node:crypto';
import type {
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQuery,
} from '@prisma/driver-adapter-utils';

const TEXT = { scalarType: 'string', arity: 'scalar' } as const;

/** The Driver's statements (fixed texts, so a bounded set), with their prepared-statement names. */
const PREPARED = new Map<string, string>();

/**
 * The name a statement is prepared under on each PostgreSQL connection, for
 * the Driver's statements only: the server parses and plans them once per
 * connection instead of on every request. Prisma's own queries stay unnamed.
 */
export function preparedStatementName(query: Pick<SqlQuery, 'sql'>): string | undefined {
  return PREPARED.get(query.sql);
}

function prepare(sql: string): void {
  if (!PREPARED.has(sql)) PREPARED.set(sql, `spaces_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`);
}

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
    prepare(sql);
    const result = await this.adapter().queryRaw({ sql, args, argTypes: args.map(() => TEXT) });
    return result.rows.map((row) =>
      Object.fromEntries(result.columnNames.map((name, i) => [name, row[i] === null ? null : String(row[i])])),
    );
  }

  /** Runs a statement; returns the rows it changed. */
  execute(sql: string, args: string[]): Promise<number> {
    prepare(sql);
    return this.adapter().executeRaw({ sql, args, argTypes: args.map(() => TEXT) });
  }

  private adapter(): SqlDriverAdapter {
    if (!this.connected) throw new Error('The database driver is used before Prisma connected');
    return this.connected;
  }
}
