import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Callers } from '../auth/auth.decorators.js';
import { ApiDone } from '../common/api-created.js';
import { ApiErrors, BODY_ROUTE_ERRORS, LIST_ROUTE_ERRORS, READ_ROUTE_ERRORS } from '../common/api-responses.js';
import { PageQueryDto, pageRequest } from '../common/pagination/page-query.dto.js';
import { listBody } from '../common/pagination/pagination.js';
import { CurrentSpace, SpaceRoute } from './access/space-access.decorators.js';
import type { SpaceAccess, UserSpaceAccess } from './access/space-access.js';
import { MintInviteTokenDto } from './dto/invite.dto.js';
import { MemberDto, PrivilegesDto, UpdatePrivilegesDto } from './dto/members.dto.js';
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
  constructor(private readonly members: MembersService) {}

  @Get('users')
  @Callers('user', 'provider')
  @SpaceRoute({ privilege: 'space_view', providers: true })
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
  @Callers('user', 'provider')
  @SpaceRoute({ privilege: 'space_view', providers: true })
  @UserId()
  @ApiOperation({ operationId: 'getSpaceUser', summary: 'Get space user details', description: 'Needs space_view.' })
  @ApiOkResponse({ type: MemberDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  async user(@CurrentSpace() access: SpaceAccess, @Param('uid') uid: string): Promise<MemberDto> {
    return this.members.user(access, uid);
  }

  @Delete('users/:uid')
  @Callers('user')
  @SpaceRoute({ privilege: 'space_remove_user' })
  @UserId()
  @ApiOperation({
    operationId: 'removeSpaceUser',
    summary: 'Remove user from space',
    description:
      'Needs space_remove_user. Only an owner removes another owner; the last owner cannot be removed ' +
      'while other members remain (400).',
  })
  @ApiDone('The user is no longer a member.')
  @ApiErrors(HttpStatus.BAD_REQUEST, ...READ_ROUTE_ERRORS)
  async removeUser(@CurrentSpace() access: UserSpaceAccess, @Param('uid') uid: string): Promise<void> {
    await this.members.remove(access, uid);
  }

  @Get('users/:uid/privileges')
  @Callers('user')
  @SpaceRoute()
  @UserId()
  @ApiOperation({
    operationId: 'getSpaceUserPrivileges',
    summary: "Get user's space privileges",
    description: "Any member may read their own; another member's needs space_view_privileges.",
  })
  @ApiOkResponse({ type: PrivilegesDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  async privileges(@CurrentSpace() access: UserSpaceAccess, @Param('uid') uid: string): Promise<PrivilegesDto> {
    return { privileges: await this.members.privileges(access, uid) };
  }

  @Patch('users/:uid/privileges')
  @Callers('user')
  @SpaceRoute({ privilege: 'space_set_privileges' })
  @UserId()
  @ApiOperation({
    operationId: 'updateSpaceUserPrivileges',
    summary: "Update user's space privileges",
    description:
      "Needs space_set_privileges. Grants and revokes privileges; an owner's privileges cannot be reduced " +
      '(owners hold every privilege).',
  })
  @ApiBody({ type: UpdatePrivilegesDto })
  @ApiDone('The privileges are updated.')
  @ApiErrors(...BODY_ROUTE_ERRORS, HttpStatus.NOT_FOUND)
  async setPrivileges(
    @CurrentSpace() access: UserSpaceAccess,
    @Param('uid') uid: string,
    @Body() body: UpdatePrivilegesDto,
  ): Promise<void> {
    await this.members.setPrivileges(access, uid, body);
  }

  @Get('owners')
  @Callers('user', 'provider')
  @SpaceRoute({ privilege: 'space_view', providers: true })
  @ApiOperation({ operationId: 'listSpaceOwners', summary: 'List space owners', description: 'Needs space_view.' })
  @ApiOkResponse({ type: UserListDto })
  @ApiErrors(...LIST_ROUTE_ERRORS)
  async owners(@CurrentSpace() access: SpaceAccess, @Query() query: PageQueryDto): Promise<UserListDto> {
    const page = await this.members.users(access, pageRequest(query), true);
    return listBody('users', page);
  }

  @Put('owners/:uid')
  @Callers('user')
  @SpaceRoute({ owner: true })
  @UserId()
  @ApiOperation({
    operationId: 'addSpaceOwner',
    summary: 'Add space owner',
    description: 'Owners only. The user must already be a member (400 otherwise); it then holds every privilege.',
  })
  @ApiDone('The user is an owner.')
  @ApiErrors(HttpStatus.BAD_REQUEST, ...READ_ROUTE_ERRORS)
  async addOwner(@CurrentSpace() access: UserSpaceAccess, @Param('uid') uid: string): Promise<void> {
    await this.members.addOwner(access, uid);
  }

  @Delete('owners/:uid')
  @Callers('user')
  @SpaceRoute({ owner: true })
  @UserId()
  @ApiOperation({
    operationId: 'removeSpaceOwner',
    summary: 'Remove space owner',
    description: 'Owners only. The user stays a member; the last owner stays (400).',
  })
  @ApiDone('The user is no longer an owner.')
  @ApiErrors(HttpStatus.BAD_REQUEST, ...READ_ROUTE_ERRORS)
  async removeOwner(@CurrentSpace() access: UserSpaceAccess, @Param('uid') uid: string): Promise<void> {
    await this.members.removeOwner(access, uid);
  }
}
