import { type PgConnection, PreparedQuery, StatementRefused } from './prepared-query.js';

function connection(): PgConnection & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    parsedStatements: {},
    submittedNamedStatements: {},
    stream: {},
    parse: ({ name }) => sent.push(`parse ${name}`),
    bind: ({ statement }) => sent.push(`bind ${statement}`),
    describe: () => sent.push('describe'),
    execute: () => sent.push('execute'),
    sync: () => sent.push('sync'),
  };
}

function settled(query: PreparedQuery): Promise<unknown> {
  return new Promise((resolve, reject) => {
    query.callback = (error, result) => (error ? reject(error) : resolve(result));
  });
}

describe('PreparedQuery', () => {
  it('counts the rows of the command tag, 0 when it has no count', async () => {
    for (const [tag, count] of [
      ['INSERT 0 1', 1],
      ['UPDATE 12', 12],
      ['DELETE 0', 0],
      ['SELECT 3', 3],
      ['BEGIN', 0],
    ] as const) {
      const query = new PreparedQuery(`spaces_count_${count}_${tag.length}`, 'UPDATE t SET x = 1', [], false);
      const result = settled(query);
      query.submit(connection());
      query.handleCommandComplete({ text: tag });
      query.handleReadyForQuery();
      await expect(result).resolves.toEqual({ rows: [], rowCount: count });
    }
  });

  it('refuses a parameter that is not text or null, sending nothing', () => {
    const conn = connection();
    const query = new PreparedQuery('spaces_param', 'SELECT $1::text AS v', [1 as unknown as string], true);
    expect(query.submit(conn)).toBeInstanceOf(StatementRefused);
    expect(conn.sent).toEqual([]);
  });

  it('refuses a name already prepared on the connection for another text', () => {
    const conn = connection();
    conn.parsedStatements.spaces_taken = 'SELECT 1';
    expect(new PreparedQuery('spaces_taken', 'SELECT 2', [], true).submit(conn)).toBeInstanceOf(StatementRefused);
    expect(conn.sent).toEqual([]);
  });

  it('fails a run whose rows have another width than the columns learnt, and describes the statement again next time', async () => {
    const name = 'spaces_width';
    const text = 'SELECT a, b FROM t';
    const conn = connection();
    const first = new PreparedQuery(name, text, [], true);
    const firstResult = settled(first);
    first.submit(conn);
    expect(conn.sent).toEqual([`parse ${name}`, `bind ${name}`, 'describe', 'execute', 'sync']);
    first.handleRowDescription({ fields: [{ name: 'a' }, { name: 'b' }] });
    first.handleDataRow({ fields: ['1', '2'] });
    first.handleReadyForQuery();
    await expect(firstResult).resolves.toEqual({ rows: [{ a: '1', b: '2' }], rowCount: 0 });

    conn.sent.length = 0;
    const second = new PreparedQuery(name, text, [], true);
    const secondResult = settled(second);
    second.submit(conn);
    expect(conn.sent).toEqual([`bind ${name}`, 'execute', 'sync']);
    second.handleDataRow({ fields: ['1', '2', '3'] });
    second.handleReadyForQuery();
    await expect(secondResult).rejects.toBeInstanceOf(StatementRefused);

    conn.sent.length = 0;
    new PreparedQuery(name, text, [], true).submit(conn);
    expect(conn.sent).toEqual([`bind ${name}`, 'describe', 'execute', 'sync']);
  });

  it('learns columns per connection, and only from a run that succeeded', async () => {
    const name = 'spaces_per_connection';
    const text = 'SELECT a FROM t';
    const one = connection();
    const failed = new PreparedQuery(name, text, [], true);
    const failedResult = settled(failed);
    failed.submit(one);
    failed.handleRowDescription({ fields: [{ name: 'a' }] });
    failed.handleError(new Error('canceled'));
    await expect(failedResult).rejects.toThrow('canceled');
    one.sent.length = 0;
    new PreparedQuery(name, text, [], true).submit(one);
    expect(one.sent).toEqual([`bind ${name}`, 'describe', 'execute', 'sync']);

    const learnt = new PreparedQuery(name, text, [], true);
    learnt.submit(one);
    learnt.handleRowDescription({ fields: [{ name: 'a' }] });
    learnt.handleReadyForQuery();
    const other = connection();
    new PreparedQuery(name, text, [], true).submit(other);
    expect(other.sent).toEqual([`parse ${name}`, `bind ${name}`, 'describe', 'execute', 'sync']);
  });

  it('describes a statement without rows (NoData) once too', async () => {
    const name = 'spaces_no_rows';
    const conn = connection();
    const first = new PreparedQuery(name, 'UPDATE t SET a = $1', ['1'], true);
    const result = settled(first);
    first.submit(conn);
    first.handleCommandComplete({ text: 'UPDATE 2' });
    first.handleReadyForQuery();
    await expect(result).resolves.toEqual({ rows: [], rowCount: 2 });
    conn.sent.length = 0;
    new PreparedQuery(name, 'UPDATE t SET a = $1', ['1'], true).submit(conn);
    expect(conn.sent).toEqual([`bind ${name}`, 'execute', 'sync']);
  });

  it("passes the server's error on, once", async () => {
    const query = new PreparedQuery('spaces_error', 'SELECT 1', [], true);
    let calls = 0;
    const error = new Error('duplicate key');
    const result = new Promise((resolve) => {
      query.callback = (e) => {
        calls += 1;
        resolve(e);
      };
    });
    query.submit(connection());
    query.handleError(error);
    query.handleReadyForQuery();
    expect(await result).toBe(error);
    expect(calls).toBe(1);
  });
});
