import type { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import type { OnApplicationShutdown } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Redis } from 'ioredis';
import { ApiError } from '../common/api-error.js';
import { connectRedis, loadOptional } from './redis.js';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** Where the counts live in the shared Redis. */
export const RATE_LIMIT_KEY_PREFIX = 'spaces:rate:';

/**
 * Rate-limit counts shared by every instance, in Redis (REDIS_URL), through
 * @nest-lab/throttler-storage-redis (one atomic script a request). While
 * Redis cannot be reached, requests answer 503 service_unavailable, as when
 * the database is away: the limit is never silently lifted.
 */
export class RedisRateLimitStorage implements ThrottlerStorage, OnApplicationShutdown {
  private constructor(
    private readonly redis: Redis,
    private readonly storage: ThrottlerStorageRedisService,
  ) {}

  static async connect(url: string): Promise<RedisRateLimitStorage> {
    const { ThrottlerStorageRedisService } = await loadOptional(
      '@nest-lab/throttler-storage-redis',
      () => import('@nest-lab/throttler-storage-redis'),
    );
    const redis = await connectRedis(url, 'rate-limit');
    return new RedisRateLimitStorage(redis, new ThrottlerStorageRedisService(redis));
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttler: string): Promise<ThrottlerStorageRecord> {
    try {
      return await this.storage.increment(`${RATE_LIMIT_KEY_PREFIX}${key}`, ttl, limit, blockDuration, throttler);
    } catch {
      throw new ApiError('service_unavailable', 'The rate-limit store is not reachable.');
    }
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
