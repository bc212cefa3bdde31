import { SPACE_NEEDS } from './access/space-needs.js';
import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Callers } from '../auth/auth.decorators.js';
import { ApiCreatedAt, ApiDone } from '../common/api-created.js';
import { Locations, type ReplyHeaders } from '../common/location.js';
import { ApiErrors, BODY_ROUTE_ERRORS, LIST_ROUTE_ERRORS, READ_ROUTE_ERRORS } from '../common/api-responses.js';
import { PageQueryDto, pageRequest } from '../common/pagination/page-query.dto.js';
import { listBody } from '../common/pagination/pagination.js';
import { CurrentSpace, SpaceRoute } from './access/space-access.decorators.js';
import type { SpaceAccess, UserSpaceAccess } from './access/space-access.js';
import { MintInviteTokenDto } from './dto/invite.dto.js';
import { AddToSpaceDto, IntermediariesDto, MemberDto, PrivilegesDto, UpdatePrivilegesDto } from './dto/members.dto.js';
import { TokenDto } from './dto/mint-tokens.dto.js';
import { UserListDto } from './dto/space.dto.js';
import { MembersService } from './members.service.js';
import { SpacesApi } from '../common/spaces-api.decorator.js';

const UserId = () => ApiParam({ name: 'uid', description: 'User ID.', schema: { type: 'string' } });

/** A space's members, their privileges and ownership, and invites. */
@ApiTags('Space')
@ApiBearerAuth()
@ApiSecurity('X-Auth-Token')
@SpacesApi()
@Controller('spaces/:id')
export class SpaceMembersController {
  constructor(
    private readonly members: MembersService,
    private readonly locations: Locations,
  ) {}

  @Get('users')
  @Callers('user', 'provider', 'admin')
  @SpaceRoute(SPACE_NEEDS.users)
  @ApiOperation({ operationId: 'listSpaceUsers', summary: 'List space users', description: 'Needs space_view.' })
  @ApiOkResponse({ type: UserListDto })
  @ApiErrors(...LIST_ROUTE_ERRORS)
  async users(@CurrentSpace() access: SpaceAccess, @Query() query: PageQueryDto): Promise<UserListDto> {
    const page = await this.members.users(access, pageRequest(query));
    return listBody('users', page);
  }

  @Post('users/token')
  @Callers('user')
  @SpaceRoute({ privilege: 'space_add_user' })
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'createSpaceUserInviteToken',
    summary: 'Create space user invite token',
    description:
      'Needs space_add_user. A user joins the space with the token (POST /user/spaces/join), ' +
      'as long as its minter still holds the privileges to invite. Single use unless `usageLimit` says otherwise.',
  })
  @ApiBody({ type: MintInviteTokenDto, required: false })
  @ApiOkResponse({ type: TokenDto, description: 'The new token.' })
  @ApiErrors(...BODY_ROUTE_ERRORS, HttpStatus.NOT_FOUND)
  async invite(@CurrentSpace() access: UserSpaceAccess, @Body() body: MintInviteTokenDto): Promise<TokenDto> {
    return { token: await this.members.mintInvite(access, body) };
  }

  @Get('users/:uid')
  @Callers('user', 'provider', 'admin')
  @SpaceRoute(SPACE_NEEDS.user)
  @UserId()
  @ApiOperation({ operationId: 'getSpaceUser', summary: 'Get space user details', description: 'Needs space_view.' })
  @ApiOkResponse({ type: MemberDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  async user(@CurrentSpace() access: SpaceAccess, @Param('uid') uid: string): Promise<MemberDto> {
    return this.members.user(access, uid);
  }

  @Put('users/:uid')
  @Callers('user', 'admin')
  @SpaceRoute(SPACE_NEEDS.addUser)
  @UserId()
  @ApiOperation({
    operationId: 'addSpaceUser',
    summary: 'Add user to space',
    description:
      'A user holding space_add_user (through a group, typically) adds itself as a direct member (403 for anyone else), ' +
      'with the member level, or with space_set_privileges the privileges given; the administrator adds any user. ' +
      'The first direct member of a space without owners becomes its owner.',
  })
  @ApiBody({ type: AddToSpaceDto, required: false })
  @ApiCreatedAt('/spaces/{id}/users/{uid}')
  @ApiErrors(...BODY_ROUTE_ERRORS, HttpStatus.NOT_FOUND, HttpStatus.CONFLICT)
  async addUser(
    @CurrentSpace() access: SpaceAccess,
    @Param('uid') uid: string,
    @Body() body: AddToSpaceDto,
    @Res({ passthrough: true }) res: ReplyHeaders,
  ): Promise<void> {
    await this.members.addUser(access, uid, body.privileges);
    this.locations.set(res, 'spaces', access.spaceId, 'users', uid);
  }

  @Delete('users/:uid')
  @Callers('user', 'admin')
  @SpaceRoute(SPACE_NEEDS.removeUser)
  @UserId()
  @ApiOperation({
    operationId: 'removeSpaceUser',
    summary: 'Remove user from space',
    description:
      'Needs space_remove_user (the administrator: any member). Only an owner or the administrator removes an owner; the last owner cannot be removed ' +
      'while other users remain, directly or through groups (400).',
  })
  @ApiDone('The user is no longer a member.')
  @ApiErrors(HttpStatus.BAD_REQUEST, ...READ_ROUTE_ERRORS)
  async removeUser(@CurrentSpace() access: SpaceAccess, @Param('uid') uid: string): Promise<void> {
    await this.members.remove(access, uid);
  }

  @Get('users/:uid/privileges')
  @Callers('user', 'admin')
  @SpaceRoute(SPACE_NEEDS.userPrivileges)
  @UserId()
  @ApiOperation({
    operationId: 'getSpaceUserPrivileges',
    summary: "Get user's space privileges",
    description:
      "A direct member's stored privileges (an owner's too: owners hold every privilege whatever is stored). " +
      "Any member may read their own; another member's needs space_view_privileges (the administrator: anyone's).",
  })
  @ApiOkResponse({ type: PrivilegesDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  async privileges(@CurrentSpace() access: SpaceAccess, @Param('uid') uid: string): Promise<PrivilegesDto> {
    return { privileges: await this.members.privileges(access, uid) };
  }

  @Patch('users/:uid/privileges')
  @Callers('user', 'admin')
  @SpaceRoute(SPACE_NEEDS.setPrivileges)
  @UserId()
  @ApiOperation({
    operationId: 'updateSpaceUserPrivileges',
    summary: "Update user's space privileges",
    description:
      "Needs space_set_privileges (the administrator: any space). Grants and revokes a direct member's stored privileges (an owner's too: " +
      'an owner still holds every privilege while it is one).',
  })
  @ApiBody({ type: UpdatePrivilegesDto })
  @ApiDone('The privileges are updated.')
  @ApiErrors(...BODY_ROUTE_ERRORS, HttpStatus.NOT_FOUND)
  async setPrivileges(@CurrentSpace() access: SpaceAccess, @Param('uid') uid: string, @Body() body: UpdatePrivilegesDto): Promise<void> {
    await this.members.setPrivileges(access, uid, body);
  }

  @Get('owners')
  @Callers('user', 'provider', 'admin')
  @SpaceRoute(SPACE_NEEDS.owners)
  @ApiOperation({ operationId: 'listSpaceOwners', summary: 'List space owners', description: 'Needs space_view.' })
  @ApiOkResponse({ type: UserListDto })
  @ApiErrors(...LIST_ROUTE_ERRORS)
  async owners(@CurrentSpace() access: SpaceAccess, @Query() query: PageQueryDto): Promise<UserListDto> {
    const page = await this.members.users(access, pageRequest(query), true);
    return listBody('users', page);
  }

  @Put('owners/:uid')
  @Callers('user', 'admin')
  @SpaceRoute(SPACE_NEEDS.manageOwners)
  @UserId()
  @ApiOperation({
    operationId: 'addSpaceOwner',
    summary: 'Add space owner',
    description:
      'Owners and the administrator only. The user must be an effective member (400 otherwise); while an owner it holds every privilege. ' +
      'A direct member keeps its stored privileges; a member through groups only becomes a direct one with every privilege. ' +
      'An owner again: 409.',
  })
  @ApiDone('The user is an owner.')
  @ApiErrors(HttpStatus.BAD_REQUEST, ...READ_ROUTE_ERRORS)
  async addOwner(@CurrentSpace() access: SpaceAccess, @Param('uid') uid: string): Promise<void> {
    await this.members.addOwner(access, uid);
  }

  @Delete('owners/:uid')
  @Callers('user', 'admin')
  @SpaceRoute(SPACE_NEEDS.manageOwners)
  @UserId()
  @ApiOperation({
    operationId: 'removeSpaceOwner',
    summary: 'Remove space owner',
    description:
      'Owners and the administrator only. The user stays a direct member with its stored privileges; the only owner stays (400).',
  })
  @ApiDone('The user is no longer an owner.')
  @ApiErrors(HttpStatus.BAD_REQUEST, ...READ_ROUTE_ERRORS)
  async removeOwner(@CurrentSpace() access: SpaceAccess, @Param('uid') uid: string): Promise<void> {
    await this.members.removeOwner(access, uid);
  }

  @Get('effective_users')
  @Callers('user', 'provider', 'admin')
  @SpaceRoute(SPACE_NEEDS.effectiveUsers)
  @ApiOperation({
    operationId: 'listEffectiveSpaceUsers',
    summary: 'List effective space users',
    description: 'Needs space_view (or a supporting provider). Direct members and the members of its groups.',
  })
  @ApiOkResponse({ type: UserListDto })
  @ApiErrors(...LIST_ROUTE_ERRORS)
  async effectiveUsers(@CurrentSpace() access: SpaceAccess, @Query() query: PageQueryDto): Promise<UserListDto> {
    return listBody('users', await this.members.effectiveUsers(access, pageRequest(query)));
  }

  @Get('effective_users/:uid')
  @Callers('user', 'provider', 'admin')
  @SpaceRoute(SPACE_NEEDS.effectiveUser)
  @UserId()
  @ApiOperation({
    operationId: 'getEffectiveSpaceUser',
    summary: 'Get effective space user details',
    description: 'Needs space_view (or a supporting provider).',
  })
  @ApiOkResponse({ type: MemberDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  async effectiveUser(@CurrentSpace() access: SpaceAccess, @Param('uid') uid: string): Promise<MemberDto> {
    return this.members.user(access, uid);
  }

  @Get('effective_users/:uid/privileges')
  @Callers('user', 'provider', 'admin')
  @SpaceRoute(SPACE_NEEDS.effectivePrivileges)
  @UserId()
  @ApiOperation({
    operationId: 'getEffectiveSpaceUserPrivileges',
    summary: "Get effective user's space privileges",
    description:
      "The stored privileges and those of each group it comes through; every privilege for an owner. One's own, " +
      "another's with space_view_privileges, or a supporting provider.",
  })
  @ApiOkResponse({ type: PrivilegesDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  async effectivePrivileges(@CurrentSpace() access: SpaceAccess, @Param('uid') uid: string): Promise<PrivilegesDto> {
    return { privileges: await this.members.effectivePrivileges(access, uid) };
  }

  @Get('effective_users/:uid/membership')
  @Callers('user', 'provider', 'admin')
  @SpaceRoute(SPACE_NEEDS.membership)
  @UserId()
  @ApiOperation({
    operationId: 'getEffectiveSpaceUserMembership',
    summary: "Get effective user's space membership intermediaries",
    description:
      "The groups it comes through, then `self` when it is a direct member. One's own, another's with space_view, or a supporting provider.",
  })
  @ApiOkResponse({ type: IntermediariesDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  async membership(@CurrentSpace() access: SpaceAccess, @Param('uid') uid: string): Promise<IntermediariesDto> {
    return { intermediaries: await this.members.membership(access, uid) };
  }
}
