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
 * The few hottest statements skip Prisma's query engine: they cost a third of
 * the CPU a Prisma query does. Parameters are text; every column is read as
 * text, so that results are the same on PostgreSQL and on PGlite.
 */
export abstract class Driver {
  /** Rows as objects of text (SQL NULL as null). */
  abstract query(sql: string, args: string[]): Promise<Record<string, string | null>[]>;
  /** Runs a statement; returns the rows it changed. */
  abstract execute(sql: string, args: string[]): Promise<number>;
}

/** Over the driver adapter the service's own Prisma client connected (prepared statements on PostgreSQL). */
export class AdapterDriver extends Driver {
  private connected?: SqlDriverAdapter;

  /** The factory to give PrismaClient: it remembers the connection Prisma opens. */
  capture(factory: SqlMigrationAwareDriverAdapterFactory): SqlDriverAdapterFactory {
    return {
      provider: factory.provider,
      adapterName: factory.adapterName,
      connect: async () => (this.connected = await factory.connect()),
    };
  }

  async query(sql: string, args: string[]): Promise<Record<string, string | null>[]> {
    prepare(sql);
    const result = await this.adapter().queryRaw({ sql, args, argTypes: args.map(() => TEXT) });
    return result.rows.map((row) =>
      // The columns are cast to text (argTypes and the statements): String() of an object never happens here.
      // eslint-disable-next-line @typescript-eslint/no-base-to-string
      Object.fromEntries(result.columnNames.map((name, i) => [name, row[i] === null ? null : String(row[i])])),
    );
  }

  execute(sql: string, args: string[]): Promise<number> {
    prepare(sql);
    return this.adapter().executeRaw({ sql, args, argTypes: args.map(() => TEXT) });
  }

  /** What the connected adapter runs on (`pg`'s Pool for @prisma/adapter-pg), for the metrics; undefined before Prisma connects. */
  underlying(): unknown {
    return (this.connected as { underlyingDriver?: () => unknown } | undefined)?.underlyingDriver?.();
  }

  private adapter(): SqlDriverAdapter {
    if (!this.connected) throw new Error('The database driver is used before Prisma connected');
    return this.connected;
  }
}

/** The raw-query surface of a Prisma client. */
export interface RawClient {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}

/**
 * Over a host application's Prisma client, whose connection the service does
 * not hold: the same statements through the client's raw queries.
 */
export class ClientDriver extends Driver {
  constructor(private readonly client: RawClient) {
    super();
  }

  async query(sql: string, args: string[]): Promise<Record<string, string | null>[]> {
    const rows = await this.client.$queryRawUnsafe<Record<string, unknown>[]>(sql, ...args);
    return rows.map((row) =>
      // The statements select text and scalars only: String() of an object never happens here.
      // eslint-disable-next-line @typescript-eslint/no-base-to-string
      Object.fromEntries(Object.entries(row).map(([name, value]) => [name, value === null ? null : String(value)])),
    );
  }

  execute(sql: string, args: string[]): Promise<number> {
    return this.client.$executeRawUnsafe(sql, ...args);
  }
}
