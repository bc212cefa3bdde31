import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module.js';
import { SPACES_CONFIG } from '../config/spaces-config.js';
import type { AppConfig } from '../config/environment.js';
import { LocalRevocations, REVOCATIONS, RedisRevocations } from '../scaling/revocations.js';
import { NamedTokensController, TemporaryTokensController } from './named-tokens.controller.js';
import { TokenInspectionService } from './token-inspection.service.js';
import { TokenManagementService } from './token-management.service.js';
import { TokensController } from './tokens.controller.js';
import { TokensRepository } from './tokens.repository.js';
import { TokensService } from './tokens.service.js';

@Module({
  imports: [AccessModule],
  // The named and temporary routes first: a router matching in order (Express)
  // must not take DELETE /user/tokens/named for DELETE /user/tokens/{id}.
  controllers: [NamedTokensController, TemporaryTokensController, TokensController],
  providers: [
    TokensRepository,
    TokensService,
    TokenManagementService,
    TokenInspectionService,
    {
      provide: REVOCATIONS,
      inject: [SPACES_CONFIG],
      useFactory: async (config: AppConfig) =>
        config.REDIS_URL ? await RedisRevocations.connect(config.REDIS_URL) : new LocalRevocations(),
    },
  ],
  exports: [TokensService],
})
export class TokensModule {}
