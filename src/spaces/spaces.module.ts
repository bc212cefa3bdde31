import { Module } from '@nestjs/common';
import { TokensModule } from '../tokens/tokens.module.js';
import { ProviderSpacesController } from './provider-spaces.controller.js';
import { SpacesController } from './spaces.controller.js';
import { SpacesRepository } from './spaces.repository.js';
import { SpacesService } from './spaces.service.js';
import { UserSpacesController } from './user-spaces.controller.js';

@Module({
  imports: [TokensModule],
  controllers: [UserSpacesController, SpacesController, ProviderSpacesController],
  providers: [SpacesService, SpacesRepository],
})
export class SpacesModule {}
