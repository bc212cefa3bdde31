import { Module } from '@nestjs/common';
import { TokensModule } from '../tokens/tokens.module.js';
import { IdentitiesController } from './identities.controller.js';
import { IdentitiesRepository } from './identities.repository.js';
import { IdentitiesService } from './identities.service.js';

@Module({
  imports: [TokensModule],
  controllers: [IdentitiesController],
  providers: [IdentitiesService, IdentitiesRepository],
})
export class IdentitiesModule {}
