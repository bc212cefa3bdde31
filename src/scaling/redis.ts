import type { Redis } from 'ioredis';

/**
 * Loads an optional package of the Redis features (ioredis,
 * @nest-lab/throttler-storage-redis): they are installed with the service,
 * and by a host application only if it sets a Redis URL.
 */
export async function loadOptional<T>(name: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') {
      throw new Error(`A Redis URL is set, which needs the ${name} package: install it beside spaces-service`, { cause: error });
    }
    throw error;
  }
}

/**
 * A connection to the Redis that instances share (REDIS_URL). Commands fail
 * fast while Redis is away (no offline queue, one retry), so a request is
 * answered rather than held; the connection comes back by itself.
 */
export async function connectRedis(url: string, name: string): Promise<Redis> {
  const { Redis } = await loadOptional('ioredis', () => import('ioredis'));
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
