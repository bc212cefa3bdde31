import { isDatabaseUnavailable } from './database-errors.js';

/** What a client of a replicated PostgreSQL meets during a failover or switchover: all "unavailable" (503). */
describe('isDatabaseUnavailable', () => {
  it.each([
    ['node-postgres on a connection the leader dropped', new Error('Connection terminated unexpectedly')],
    ['a pooled client after an error', new Error('Client has encountered a connection error and is not queryable')],
    [
      '57P01 (terminated by the administrator)',
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    ],
    ['57P03 (starting up)', Object.assign(new Error('the database system is starting up'), { code: '57P03' })],
    ['25006 on a member not yet promoted', Object.assign(new Error('cannot execute INSERT in a read-only transaction'), { code: '25006' })],
    ["the adapter's 25006", { name: 'DriverAdapterError', cause: { kind: 'postgres', code: '25006', originalCode: '25006' } }],
    ["Prisma's rendering of 25006", new Error('Database error. Code: `25006`')],
    ['ECONNREFUSED', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a connect timeout', new Error('timeout exceeded when trying to connect')],
    [
      "Prisma's P2028 when no connection frees up in time",
      Object.assign(new Error('Transaction API error: Unable to start a transaction in the given time.'), {
        name: 'PrismaClientKnownRequestError',
        code: 'P2028',
      }),
    ],
    [
      'a transaction that outlived its timeout waiting on the database',
      new Error(
        'Transaction API error: A query cannot be executed on an expired transaction. The timeout for this transaction was 10000 ms',
      ),
    ],
  ])('%s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', Object.assign(new Error('duplicate key'), { code: '23505' })],
    ['another 25xxx (in failed transaction)', Object.assign(new Error('current transaction is aborted'), { code: '25P02' })],
    ['a plain bug', new TypeError('x is undefined')],
  ])('not %s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
