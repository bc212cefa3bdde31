import { Global, Module } from '@nestjs/common';
import { SPACES_CONFIG } from '../config/spaces-config.js';
import type { AppConfig } from '../config/environment.js';
import { TokensModule } from '../tokens/tokens.module.js';
import { Authenticator } from './authenticator.js';
import { BearerAuthGuard } from './bearer-auth.guard.js';
import { BearerStrategy } from './bearer.strategy.js';
import { KnownIdentitiesRepository } from './known-identities.repository.js';
import { RATE_LIMIT_OPTIONS, RATE_LIMIT_STORAGE, RateLimitGuard } from './rate-limit.guard.js';
import { RedisRateLimitStorage } from '../scaling/redis-rate-limit.storage.js';
import { WindowCounterStorage } from './window-counter.storage.js';

/**
 * Who is calling, and how often. Global within the spaces feature, so every
 * controller's guards (see SpacesApi) find what they need; its tokens are
 * the service's own, so a host application's providers are never shadowed
 * (the rate limit's options are not @nestjs/throttler's module tokens, which
 * a host may use for its own limits).
 */
@Global()
@Module({
  imports: [TokensModule],
  providers: [
    BearerStrategy,
    Authenticator,
    KnownIdentitiesRepository,
    RateLimitGuard,
    BearerAuthGuard,
    {
      provide: RATE_LIMIT_OPTIONS,
      inject: [SPACES_CONFIG],
      useFactory: (config: AppConfig) => ({
        throttlers: [{ ttl: config.RATE_LIMIT_WINDOW_SECONDS * 1000, limit: Math.max(config.RATE_LIMIT, 1) }],
      }),
    },
    {
      provide: RATE_LIMIT_STORAGE,
      inject: [SPACES_CONFIG],
      useFactory: async (config: AppConfig) =>
        config.REDIS_URL ? await RedisRateLimitStorage.connect(config.REDIS_URL) : new WindowCounterStorage(),
    },
  ],
  exports: [Authenticator, RATE_LIMIT_OPTIONS, RATE_LIMIT_STORAGE],
})
export class AuthModule {}
