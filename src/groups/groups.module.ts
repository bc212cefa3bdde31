import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module.js';
import { SpacesFeatureModule } from '../spaces/spaces.module.js';
import { TokensModule } from '../tokens/tokens.module.js';
import { GroupAccessGuard } from './access/group-access.guard.js';
import { GroupAccessService } from './access/group-access.service.js';
import { GroupGraph } from './group-graph.service.js';
import { GroupMembersService } from './group-members.service.js';
import { GroupRelationsController, GroupUsersController } from './group-members.controller.js';
import { GroupSpacesController, SpaceGroupsController } from './group-spaces.controller.js';
import { GroupSpacesService } from './group-spaces.service.js';
import { GroupsController, UserGroupsController } from './groups.controller.js';
import { GroupsRepository } from './groups.repository.js';
import { GroupsService } from './groups.service.js';

/** Groups: their routes, their members and relations, and groups as members of spaces. */
@Module({
  imports: [TokensModule, AccessModule, SpacesFeatureModule],
  controllers: [
    UserGroupsController,
    GroupsController,
    GroupUsersController,
    GroupRelationsController,
    GroupSpacesController,
    SpaceGroupsController,
  ],
  providers: [GroupsRepository, GroupGraph, GroupAccessService, GroupAccessGuard, GroupsService, GroupMembersService, GroupSpacesService],
})
export class GroupsModule {}
