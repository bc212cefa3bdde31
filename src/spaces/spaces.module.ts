import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module.js';
import { TokensModule } from '../tokens/tokens.module.js';
import { SpaceAccessGuard } from './access/space-access.guard.js';
import { SpaceAccessService } from './access/space-access.service.js';
import { MembersRepository } from './members.repository.js';
import { MembersService } from './members.service.js';
import { ProviderSpacesController } from './provider-spaces.controller.js';
import { SpaceMembersController } from './space-members.controller.js';
import { SpaceProvidersController } from './space-providers.controller.js';
import { SpacesController } from './spaces.controller.js';
import { SpacesRepository } from './spaces.repository.js';
import { SpacesService } from './spaces.service.js';
import { SpaceFields } from './space-fields.js';
import { ConfigurationController } from './configuration.controller.js';
import { ZoneAccessGuard } from './access/zone-route.js';
import { ZonePrivilegesController } from './zone-privileges.controller.js';
import { ZonePrivilegesRepository } from './zone-privileges.repository.js';
import { ZonePrivilegesService } from './zone-privileges.service.js';
import { CreationFieldsGuard } from './access/creation-fields.guard.js';
import { SupportsRepository } from './supports.repository.js';
import { MarketplaceEvents } from './marketplace-events.js';
import { MembershipRequestsRepository } from './membership-requests.repository.js';
import { SupportsService } from './supports.service.js';
import { UserEffectiveSpacesController, UserSpacesController } from './user-spaces.controller.js';

/** The spaces routes and their rules (the public SpacesModule imports it with the rest). */
@Module({
  imports: [TokensModule, AccessModule],
  controllers: [
    ConfigurationController,
    ZonePrivilegesController,
    UserSpacesController,
    UserEffectiveSpacesController,
    SpacesController,
    SpaceMembersController,
    SpaceProvidersController,
    ProviderSpacesController,
  ],
  providers: [
    SpacesService,
    MembersService,
    SupportsService,
    SpaceAccessService,
    SpaceAccessGuard,
    SpacesRepository,
    MembersRepository,
    SupportsRepository,
    SpaceFields,
    CreationFieldsGuard,
    ZoneAccessGuard,
    ZonePrivilegesService,
    ZonePrivilegesRepository,
    MembershipRequestsRepository,
    MarketplaceEvents,
  ],
  exports: [
    SpacesService,
    MembersService,
    SpaceAccessService,
    SpaceAccessGuard,
    SpacesRepository,
    SpaceFields,
    MembershipRequestsRepository,
    MarketplaceEvents,
  ],
})
export class SpacesFeatureModule {}
