/**
 * Recognises failures that mean "the database cannot be reached right now",
 * whichever layer raised them (pg, the driver adapter, the Prisma client).
 */
const UNREACHABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
const UNREACHABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);
const UNREACHABLE_ADAPTER_KINDS = new Set([
  'DatabaseNotReachable',
  'DatabaseAccessDenied',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'TransactionStartTimeout',
]);
// SQLSTATE classes 08 (connection exception), 57P (operator intervention), 53 (insufficient resources),
// and 25006 (read-only transaction): a write that reached a member not yet promoted, or just demoted,
// in a failover or switchover of a replicated cluster.
const UNREACHABLE_SQLSTATE = /^(08|57P|53|25006$)/;
const UNREACHABLE_MESSAGE = new RegExp(
  [
    'Connection terminated',
    'connection timeout',
    'timeout exceeded when trying to connect',
    "Can't reach database server",
    'Client has encountered a connection error',
    'the database system is (shutting down|starting up|in recovery mode)',
    'terminating connection',
    'is not currently accepting connections',
    'too many (clients|connections)',
    'cannot execute [A-Z ]+ in a read-only transaction',
    // Prisma's P2028 when every pooled connection is busy reconnecting (a failover): no transaction could start.
    'Unable to start a transaction in the given time',
    // … and when a transaction outlived its timeout waiting on the database (a commit held by a missing standby).
    'cannot be executed on an expired transaction',
    // Prisma's rendering of a driver error: "Database error. Code: `08006`".
    'Code: `(08|57P|53)[0-9A-Z]*`',
    'Code: `25006`',
  ].join('|'),
  'i',
);

export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const e = current as {
      code?: unknown;
      kind?: unknown;
      message?: unknown;
      cause?: unknown;
      originalCode?: unknown;
    };
    const code = typeof e.code === 'string' ? e.code : undefined;
    if (code && (UNREACHABLE_PRISMA_CODES.has(code) || UNREACHABLE_NODE_CODES.has(code))) return true;
    if (code && /^[0-9A-Z]{5}$/.test(code) && UNREACHABLE_SQLSTATE.test(code)) return true;
    if (typeof e.originalCode === 'string' && UNREACHABLE_SQLSTATE.test(e.originalCode)) return true;
    if (typeof e.kind === 'string' && UNREACHABLE_ADAPTER_KINDS.has(e.kind)) return true;
    if (typeof e.message === 'string' && UNREACHABLE_MESSAGE.test(e.message)) return true;
    if ((current as Error).name === 'PrismaClientInitializationError') return true;
    current = e.cause;
  }
  return false;
}

/** The Prisma error code (P2002, P2025, …) of a known request error, if any. */
export function prismaErrorCode(error: unknown): string | undefined {
  const e = error as { name?: unknown; code?: unknown } | null;
  if (e && e.name === 'PrismaClientKnownRequestError' && typeof e.code === 'string') return e.code;
  return undefined;
}
