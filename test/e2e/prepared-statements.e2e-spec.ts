import pg from 'pg';
import { AdapterDriver } from '../../src/database/driver.js';
import { dropDatabase, onPostgres, seededDatabase } from '../support/databases.js';

/**
 * The Driver's statements on a real PostgreSQL, through pg's pool as the
 * service runs them (PreparedQuery): parsed once a connection, described
 * once, errors as pg reports them, and the connection usable after each.
 */
(onPostgres() ? describe : describe.skip)('prepared statements on PostgreSQL', () => {
  let url: string;
  let pool: pg.Pool;
  let driver: AdapterDriver;
  const sent = { parse: 0, describe: 0 };

  beforeAll(async () => {
    url = await seededDatabase();
    // One connection: every statement runs on it, and what it is sent can be counted.
    pool = new pg.Pool({ connectionString: url, max: 1 });
    const client = await pool.connect();
    const connection = (client as unknown as { connection: Record<string, (...args: unknown[]) => unknown> }).connection;
    for (const message of ['parse', 'describe'] as const) {
      const send = connection[message].bind(connection);
      connection[message] = (...args: unknown[]) => {
        sent[message] += 1;
        return send(...args);
      };
    }
    client.release();
    await pool.query('CREATE TABLE prepared_probe (id text PRIMARY KEY, note text, n integer NOT NULL DEFAULT 0)');
    driver = new AdapterDriver();
    const adapter = { provider: 'postgres', adapterName: '@prisma/adapter-pg', underlyingDriver: () => pool };
    await driver
      .capture({
        provider: 'postgres',
        adapterName: '@prisma/adapter-pg',
        connect: async () => adapter as never,
        connectToShadowDb: async () => adapter as never,
      })
      .connect();
  });

  afterAll(async () => {
    await pool.end();
    await dropDatabase(url);
  });

  it('reads rows as text (NULL as null) and counts changed rows, preparing and describing each statement once', async () => {
    expect(await driver.execute('INSERT INTO prepared_probe (id, note) VALUES ($1, $2)', ['a', 'first'])).toBe(1);
    expect(await driver.execute('INSERT INTO prepared_probe (id, note) VALUES ($1, $2)', ['b', null as unknown as string])).toBe(1);
    sent.parse = 0;
    sent.describe = 0;
    const select = 'SELECT id, note, n::text AS n, (n = 0)::text AS zero FROM prepared_probe WHERE id >= $1 ORDER BY id';
    for (let i = 0; i < 3; i++) {
      expect(await driver.query(select, ['a'])).toEqual([
        { id: 'a', note: 'first', n: '0', zero: 'true' },
        { id: 'b', note: null, n: '0', zero: 'true' },
      ]);
    }
    expect(await driver.query(select, ['z'])).toEqual([]);
    expect(sent).toEqual({ parse: 1, describe: 1 });
    expect(await driver.execute('UPDATE prepared_probe SET n = n + 1 WHERE id >= $1', ['a'])).toBe(2);
    expect(await driver.execute('UPDATE prepared_probe SET n = n + 1 WHERE id >= $1', ['c'])).toBe(0);
    // A statement run for its count is never described.
    expect(sent).toEqual({ parse: 2, describe: 1 });
  });

  it("rejects with pg's error (its SQLSTATE) and keeps the connection, with its prepared statements", async () => {
    const backend = 'SELECT pg_backend_pid()::text AS pid';
    const [{ pid }] = await driver.query(backend, []);
    const insert = 'INSERT INTO prepared_probe (id, note) VALUES ($1, $2)';
    await expect(driver.execute(insert, ['a', 'again'])).rejects.toMatchObject({ code: '23505' });
    await expect(driver.query('SELECT id FROM prepared_probe WHERE n > $1::integer', ['not a number'])).rejects.toMatchObject({
      code: '22P02',
    });
    sent.parse = 0;
    await expect(driver.execute(insert, ['a', 'and again'])).rejects.toMatchObject({ code: '23505' });
    expect(await driver.query('SELECT count(*)::text AS count FROM prepared_probe WHERE id <> $1', [''])).toEqual([{ count: '2' }]);
    // The same session: nothing was closed, and the statement that failed was not parsed again.
    expect(await driver.query(backend, [])).toEqual([{ pid }]);
    expect(sent.parse).toBe(1);
  });

  it('closes a connection the server ended, and the next statement runs on a new one', async () => {
    const backend = 'SELECT pg_backend_pid()::text AS pid';
    const [{ pid }] = await driver.query(backend, []);
    const killer = new pg.Client({ connectionString: url });
    await killer.connect();
    try {
      const sleeping = driver.query('SELECT pg_sleep(5)::text AS slept WHERE $1 = $1', ['x']);
      const caught = sleeping.catch((error: unknown) => error);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await killer.query('SELECT pg_terminate_backend($1::integer)', [pid]);
      expect(await caught).toMatchObject({ code: '57P01' });
    } finally {
      await killer.end();
    }
    const [{ pid: next }] = await driver.query(backend, []);
    expect(next).not.toBe(pid);
  });

  it('a statement whose text fails to parse is parsed again once it can be', async () => {
    const select = 'SELECT id FROM prepared_later WHERE id = $1';
    await expect(driver.query(select, ['x'])).rejects.toMatchObject({ code: '42P01' });
    await pool.query('CREATE TABLE prepared_later (id text PRIMARY KEY)');
    await pool.query("INSERT INTO prepared_later VALUES ('x')");
    expect(await driver.query(select, ['x'])).toEqual([{ id: 'x' }]);
  });

  it('a statement whose result columns change under it fails once, as PostgreSQL fails it, then runs with its new columns', async () => {
    await pool.query('CREATE TABLE prepared_shape (id text PRIMARY KEY)');
    await pool.query("INSERT INTO prepared_shape VALUES ('s')");
    const select = 'SELECT * FROM prepared_shape WHERE id = $1';
    expect(await driver.query(select, ['s'])).toEqual([{ id: 's' }]);
    await pool.query('ALTER TABLE prepared_shape ADD COLUMN extra text');
    // PostgreSQL refuses a prepared statement whose result type changed ("cached plan must not change result type").
    await expect(driver.query(select, ['s'])).rejects.toMatchObject({ code: '0A000' });
    // That connection is closed: on the next, the statement is prepared and described afresh.
    expect(await driver.query(select, ['s'])).toEqual([{ id: 's', extra: null }]);
    // The same width under other names: learnt again, not kept from before.
    await pool.query('ALTER TABLE prepared_shape RENAME COLUMN extra TO other');
    await expect(driver.query(select, ['s'])).rejects.toMatchObject({ code: '0A000' });
    expect(await driver.query(select, ['s'])).toEqual([{ id: 's', other: null }]);
    expect(await driver.query('SELECT id FROM prepared_shape WHERE id = $1', ['s'])).toEqual([{ id: 's' }]);
  });
});
