import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module.js';
import { SpacesFeatureModule } from '../spaces/spaces.module.js';
import { MarketplaceController, UserMembershipRequestsController } from './marketplace.controller.js';
import { MarketplaceGuard } from './marketplace.guard.js';
import { MarketplaceRepository } from './marketplace.repository.js';
import { MarketplaceService } from './marketplace.service.js';
import { MembershipRequestsService } from './membership-requests.service.js';

/**
 * The Space Marketplace's routes: the list of advertised spaces, each one's
 * page, and the requests to join them. Registered before the spaces routes,
 * whose `/spaces/:id/…` would otherwise match `/spaces/marketplace/…` on
 * routers that take the first match.
 */
@Module({
  imports: [AccessModule, SpacesFeatureModule],
  controllers: [MarketplaceController, UserMembershipRequestsController],
  providers: [MarketplaceService, MembershipRequestsService, MarketplaceRepository, MarketplaceGuard],
})
export class MarketplaceModule {}
