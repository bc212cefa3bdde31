import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TokensModule } from '../tokens/tokens.module.js';
import { BearerAuthGuard } from './bearer-auth.guard.js';
import { BearerStrategy } from './bearer.strategy.js';

@Module({
  imports: [TokensModule],
  providers: [BearerStrategy, { provide: APP_GUARD, useClass: BearerAuthGuard }],
})
export class AuthModule {}
