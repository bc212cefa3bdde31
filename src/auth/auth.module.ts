import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/environment.js';
import { TokensModule } from '../tokens/tokens.module.js';
import { Authenticator } from './authenticator.js';
import { BearerAuthGuard } from './bearer-auth.guard.js';
import { BearerStrategy } from './bearer.strategy.js';
import { RateLimitGuard } from './rate-limit.guard.js';
import { WindowCounterStorage } from './window-counter.storage.js';

@Module({
  imports: [
    TokensModule,
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        throttlers: [{ ttl: config.RATE_LIMIT_WINDOW_SECONDS * 1000, limit: Math.max(config.RATE_LIMIT, 1) }],
        storage: new WindowCounterStorage(),
      }),
    }),
  ],
  providers: [
    BearerStrategy,
    Authenticator,
    // Global guards run in this order: the rate limit first, then authentication.
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_GUARD, useClass: BearerAuthGuard },
  ],
})
export class AuthModule {}
