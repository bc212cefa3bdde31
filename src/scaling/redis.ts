import { Redis } from 'ioredis';

/**
 * A connection to the Redis that instances share (REDIS_URL). Commands fail
 * fast while Redis is away (no offline queue, one retry), so a request is
 * answered rather than held; the connection comes back by itself.
 */
export function connectRedis(url: string, name: string): Redis {
  const redis = new Redis(url, {
    connectionName: `spaces-${name}`,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
  // Errors are reported on the commands that meet them; the connection retries on its own.
  redis.on('error', () => undefined);
  return redis;
}
