import type { SqlDriverAdapter, SqlQuery } from '@prisma/driver-adapter-utils';
import { AdapterDriver, preparedStatementName } from './driver.js';

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
  async function connected(seen: SqlQuery[]): Promise<AdapterDriver> {
    const driver = new AdapterDriver();
    const factory = driver.capture({
      provider: 'postgres',
      adapterName: 'fake',
      connect: async () => fakeConnection(seen),
      connectToShadowDb: async () => fakeConnection(seen),
    });
    await factory.connect();
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

  it("on @prisma/adapter-pg, sends the statements to pg's pool itself: named, every column as PostgreSQL's text", async () => {
    const seen: SqlQuery[] = [];
    const sent: {
      name?: string;
      text: string;
      values: string[];
      rowMode?: string;
      types: { getTypeParser: () => (v: string) => unknown };
    }[] = [];
    const pool = {
      query: async (config: (typeof sent)[number]) => {
        sent.push(config);
        return config.rowMode === 'array'
          ? {
              rows: [
                ['a', 't'],
                ['b', null],
              ],
              fields: [{ name: 'id' }, { name: 'flag' }],
              rowCount: 2,
            }
          : { rows: [], fields: [], rowCount: 4 };
      },
    };
    const driver = new AdapterDriver();
    const connection = { ...fakeConnection(seen), adapterName: '@prisma/adapter-pg', underlyingDriver: () => pool };
    await driver
      .capture({
        provider: 'postgres',
        adapterName: '@prisma/adapter-pg',
        connect: async () => connection,
        connectToShadowDb: async () => connection,
      })
      .connect();
    const select = 'SELECT id, flag::text FROM pooled WHERE x = $1';
    expect(await driver.query(select, ['1'])).toEqual([
      { id: 'a', flag: 't' },
      { id: 'b', flag: null },
    ]);
    expect(await driver.execute('UPDATE pooled SET n = 1 WHERE x = $1', ['2'])).toBe(4);
    expect(seen).toEqual([]);
    expect(sent.map(({ name, text, values, rowMode }) => ({ name, text, values, rowMode }))).toEqual([
      { name: preparedStatementName({ sql: select }), text: select, values: ['1'], rowMode: 'array' },
      { name: expect.stringMatching(/^spaces_/), text: 'UPDATE pooled SET n = 1 WHERE x = $1', values: ['2'], rowMode: undefined },
    ]);
    // No type parsing: the bytes PostgreSQL sent, as text.
    expect(sent[0].types.getTypeParser()('2026-12-01 00:00:00+00')).toBe('2026-12-01 00:00:00+00');
  });

  it('refuses to run before Prisma connected', async () => {
    await expect(new AdapterDriver().query('SELECT 1', [])).rejects.toThrow(/before Prisma connected/);
  });
});
