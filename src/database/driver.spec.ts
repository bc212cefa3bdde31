import type { SqlDriverAdapter, SqlQuery } from '@prisma/driver-adapter-utils';
import { AdapterDriver, preparedStatementName } from './driver.js';
import { type PgConnection, type PreparedQuery, StatementRefused } from './prepared-query.js';

/** A connection that records the queries it is given and answers one text row. */
function fakeConnection(seen: SqlQuery[]): SqlDriverAdapter {
  return {
    provider: 'postgres',
    adapterName: 'fake',
    queryRaw: async (query: SqlQuery) => {
      seen.push(query);
      return {
        columnNames: ['id', 'n'],
        columnTypes: [],
        rows: [
          ['a', 1],
          ['b', null],
        ],
      };
    },
    executeRaw: async (query: SqlQuery) => {
      seen.push(query);
      return 3;
    },
  } as unknown as SqlDriverAdapter;
}

describe('AdapterDriver', () => {
  /** A driver over a fake adapter; with `pool`, over @prisma/adapter-pg whose pg pool is `pool`. */
  async function connected(seen: SqlQuery[], pool?: unknown): Promise<AdapterDriver> {
    const adapterName = pool === undefined ? 'fake' : '@prisma/adapter-pg';
    const adapter = { ...fakeConnection(seen), adapterName, underlyingDriver: () => pool } as SqlDriverAdapter;
    const driver = new AdapterDriver();
    await driver
      .capture({ provider: 'postgres', adapterName, connect: async () => adapter, connectToShadowDb: async () => adapter })
      .connect();
    return driver;
  }

  it('reads every column as text, SQL NULL as null', async () => {
    const driver = await connected([]);
    expect(await driver.query('SELECT id, n FROM t WHERE x = $1', ['1'])).toEqual([
      { id: 'a', n: '1' },
      { id: 'b', n: null },
    ]);
  });

  it('names its statements for preparing, one stable name a text; other statements stay unnamed', async () => {
    const seen: SqlQuery[] = [];
    const driver = await connected(seen);
    const select = 'SELECT id, n FROM t WHERE y = $1';
    const update = 'UPDATE t SET n = 1 WHERE y = $1';
    expect(preparedStatementName({ sql: select })).toBeUndefined();
    await driver.query(select, ['1']);
    await driver.execute(update, ['1']);
    const selectName = preparedStatementName({ sql: select });
    expect(selectName).toMatch(/^spaces_[0-9a-f]{24}$/);
    expect(preparedStatementName({ sql: update })).toMatch(/^spaces_[0-9a-f]{24}$/);
    expect(preparedStatementName({ sql: update })).not.toBe(selectName);
    await driver.query(select, ['2']);
    expect(preparedStatementName({ sql: select })).toBe(selectName);
    expect(preparedStatementName({ sql: 'SELECT 1' })).toBeUndefined();
    expect(seen.map((q) => q.args)).toEqual([['1'], ['1'], ['2']]);
  });

  it("on @prisma/adapter-pg, runs the statements on pg's pool itself: named, described once, every column as PostgreSQL's text", async () => {
    const seen: SqlQuery[] = [];
    const sent: string[] = [];
    const connection: PgConnection = {
      parsedStatements: {},
      submittedNamedStatements: {},
      stream: { cork: () => sent.push('cork'), uncork: () => sent.push('uncork') },
      parse: ({ name }) => sent.push(`parse ${name}`),
      bind: ({ statement, values }) => sent.push(`bind ${statement} ${JSON.stringify(values)}`),
      describe: () => sent.push('describe'),
      execute: () => sent.push('execute'),
      sync: () => sent.push('sync'),
    };
    // What pg's pool and client do with a submittable: submit it, then hand it the server's messages.
    const pool = fakePool(connection, (query) => {
      if (query.text.startsWith('SELECT')) {
        if (sent.includes('describe')) query.handleRowDescription({ fields: [{ name: 'id' }, { name: 'flag' }] });
        query.handleDataRow({ fields: ['a', 't'] });
        query.handleDataRow({ fields: ['b', null] });
        query.handleCommandComplete({ text: 'SELECT 2' });
      } else {
        query.handleCommandComplete({ text: 'UPDATE 4' });
      }
      query.handleReadyForQuery();
    });
    const driver = await connected(seen, pool);
    const select = 'SELECT id, flag::text FROM pooled WHERE x = $1';
    const name = preparedStatementName({ sql: select }) ?? 'not yet named';
    expect(await driver.query(select, ['1'])).toEqual([
      { id: 'a', flag: 't' },
      { id: 'b', flag: null },
    ]);
    const selectName = preparedStatementName({ sql: select });
    expect(name).toBe('not yet named');
    expect(sent.splice(0)).toEqual(['cork', `parse ${selectName}`, `bind ${selectName} ["1"]`, 'describe', 'execute', 'sync', 'uncork']);
    // Parsed on this connection and described once: the next run binds and executes only.
    expect(await driver.query(select, ['2'])).toEqual([
      { id: 'a', flag: 't' },
      { id: 'b', flag: null },
    ]);
    expect(sent.splice(0)).toEqual(['cork', `bind ${selectName} ["2"]`, 'execute', 'sync', 'uncork']);
    expect(await driver.execute('UPDATE pooled SET n = 1 WHERE x = $1', ['2'])).toBe(4);
    const updateName = preparedStatementName({ sql: 'UPDATE pooled SET n = 1 WHERE x = $1' });
    // A statement run for its count is never described.
    expect(sent.splice(0)).toEqual(['cork', `parse ${updateName}`, `bind ${updateName} ["2"]`, 'execute', 'sync', 'uncork']);
    expect(seen).toEqual([]);
    // Every run gave its connection back to the pool as sound.
    expect(pool.released).toEqual([undefined, undefined, undefined]);
  });

  it("gives a connection back after PostgreSQL's error of a statement, and closes one whose link failed", async () => {
    const connection: PgConnection = {
      parsedStatements: {},
      submittedNamedStatements: {},
      stream: {},
      parse: () => undefined,
      bind: () => undefined,
      describe: () => undefined,
      execute: () => undefined,
      sync: () => undefined,
    };
    const serverError = Object.assign(new Error('duplicate key value violates unique constraint'), { name: 'error', code: '23505' });
    const ended = Object.assign(new Error('terminating connection due to administrator command'), { name: 'error', code: '57P01' });
    // A write that reached a member demoted in a failover: its connection must not be kept.
    const demoted = Object.assign(new Error('cannot execute INSERT in a read-only transaction'), { name: 'error', code: '25006' });
    const lost = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    let answer: Error = serverError;
    const pool = fakePool(connection, (query) => query.handleError(answer));
    const driver = await connected([], pool);
    const insert = 'INSERT INTO pooled (id) VALUES ($1)';
    await expect(driver.execute(insert, ['a'])).rejects.toBe(serverError);
    answer = ended;
    await expect(driver.execute(insert, ['a'])).rejects.toBe(ended);
    answer = demoted;
    await expect(driver.execute(insert, ['a'])).rejects.toBe(demoted);
    answer = lost;
    await expect(driver.execute(insert, ['a'])).rejects.toBe(lost);
    // A parameter the statement cannot take is refused before anything is sent.
    await expect(driver.execute(insert, [7 as unknown as string])).rejects.toBeInstanceOf(StatementRefused);
    expect(pool.released).toEqual([undefined, ended, demoted, lost, undefined]);
  });

  it('refuses to run before Prisma connected', async () => {
    await expect(new AdapterDriver().query('SELECT 1', [])).rejects.toThrow(/before Prisma connected/);
  });
});

/** pg's pool as far as the Driver uses it: one connection, a client that submits a query and lets `respond` answer it. */
function fakePool(connection: PgConnection, respond: (query: PreparedQuery) => void) {
  const released: (Error | undefined)[] = [];
  const client = {
    once: () => undefined,
    removeListener: () => undefined,
    query: (query: PreparedQuery) => {
      const refused = query.submit(connection);
      if (refused) return query.handleError(refused);
      if (connection.submittedNamedStatements[query.name]) {
        connection.parsedStatements[query.name] = query.text;
        delete connection.submittedNamedStatements[query.name];
      }
      respond(query);
    },
  };
  return {
    released,
    connect: (callback: (error: Error | undefined, c: typeof client, release: (error?: Error) => void) => void) =>
      callback(undefined, client, (error) => released.push(error)),
  };
}
