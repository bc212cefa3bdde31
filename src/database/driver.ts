import { createHash } from 'node:crypto';
import type {
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQuery,
} from '@prisma/driver-adapter-utils';
import type { Pool } from 'pg';
import { isDatabaseUnavailable } from '../common/database-errors.js';
import { PreparedQuery, type PreparedResult, StatementRefused } from './prepared-query.js';

const TEXT = { scalarType: 'string', arity: 'scalar' } as const;

/** @prisma/adapter-pg's name for itself: its underlying driver is pg's Pool. */
const PG_ADAPTER = '@prisma/adapter-pg';

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

/** The statement's prepared-statement name, made on its first use. */
function prepare(sql: string): string {
  let name = PREPARED.get(sql);
  if (name === undefined) PREPARED.set(sql, (name = `spaces_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`));
  return name;
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
  private pool?: Pool | null;

  /** The factory to give PrismaClient: it remembers the connection Prisma opens. */
  capture(factory: SqlMigrationAwareDriverAdapterFactory): SqlDriverAdapterFactory {
    return {
      provider: factory.provider,
      adapterName: factory.adapterName,
      connect: async () => (this.connected = await factory.connect()),
    };
  }

  async query(sql: string, args: string[]): Promise<Record<string, string | null>[]> {
    const name = prepare(sql);
    const pool = this.pgPool();
    // Straight to pg's pool (the one the adapter holds): the same prepared statement, every column as
    // PostgreSQL's text, without the adapter's argument mapping and column-type inference per query.
    if (pool) return (await run(pool, new PreparedQuery(name, sql, args, true))).rows;
    const result = await this.adapter().queryRaw({ sql, args, argTypes: args.map(() => TEXT) });
    return result.rows.map((row) =>
      // The columns are cast to text (argTypes and the statements): String() of an object never happens here.
      // eslint-disable-next-line @typescript-eslint/no-base-to-string
      Object.fromEntries(result.columnNames.map((name, i) => [name, row[i] === null ? null : String(row[i])])),
    );
  }

  async execute(sql: string, args: string[]): Promise<number> {
    const name = prepare(sql);
    const pool = this.pgPool();
    if (pool) return (await run(pool, new PreparedQuery(name, sql, args, false))).rowCount;
    return this.adapter().executeRaw({ sql, args, argTypes: args.map(() => TEXT) });
  }

  /** pg's pool under @prisma/adapter-pg (undefined on PGlite): looked up once. */
  private pgPool(): Pool | undefined {
    if (this.pool === undefined) this.pool = this.adapter().adapterName === PG_ADAPTER ? (this.underlying() as Pool) : null;
    return this.pool ?? undefined;
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

/**
 * A PreparedQuery on a connection of the pool. pg's `pool.query` closes a
 * connection after any error, and with it every statement prepared there; a
 * connection PostgreSQL answered with an error of the statement (a duplicate
 * key, bad input) is sound, and goes back to the pool. One whose link failed,
 * that the server ended, or whose run timed out is closed, as pg's pool does.
 */
function run(pool: Pool, query: PreparedQuery): Promise<PreparedResult> {
  return new Promise((resolve, reject) => {
    pool.connect((connectError, client, release) => {
      if (connectError || !client) return reject(connectError ?? new Error('The pool gave no connection'));
      let released = false;
      const finish = (error: Error | null, result?: PreparedResult): void => {
        if (released) return;
        released = true;
        client.removeListener('error', finish);
        release(error && !keepsConnection(error) ? error : undefined);
        if (error) reject(error);
        else resolve(result as PreparedResult);
      };
      client.once('error', finish);
      query.callback = finish;
      client.query(query as never);
    });
  });
}

/**
 * SQLSTATE classes after which the connection is closed besides those that
 * say the database cannot be reached (isDatabaseUnavailable: the link, the
 * server ending the session, a member demoted in a failover): a system or
 * internal error (58, XX), or a prepared statement there that can no longer
 * run (0A000, "cached plan must not change result type", after a schema
 * change: on a new connection the statement is prepared afresh).
 */
const CLOSES_CONNECTION = /^(58|XX|0A)/;

/** Whether a connection is still sound after a run failed with this error. */
function keepsConnection(error: Error): boolean {
  if (error instanceof StatementRefused) return true;
  // PostgreSQL's ErrorResponse, as pg reports it (a DatabaseError with its SQLSTATE); a lost link has no SQLSTATE.
  const code = (error as { code?: unknown }).code;
  if (error.name !== 'error' || typeof code !== 'string' || code.length !== 5) return false;
  return !CLOSES_CONNECTION.test(code) && !isDatabaseUnavailable(error);
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
