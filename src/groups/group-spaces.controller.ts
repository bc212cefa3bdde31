import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Callers, ClientIp } from '../auth/auth.decorators.js';
import { ApiCreatedAt, ApiDone } from '../common/api-created.js';
import { ApiErrors, BODY_ROUTE_ERRORS, LIST_ROUTE_ERRORS, READ_ROUTE_ERRORS } from '../common/api-responses.js';
import { Idempotent } from '../common/idempotency/idempotent.decorator.js';
import { Locations, type ReplyHeaders } from '../common/location.js';
import { PageQueryDto, pageRequest } from '../common/pagination/page-query.dto.js';
import { listBody } from '../common/pagination/pagination.js';
import { SpacesApi } from '../common/spaces-api.decorator.js';
import { CurrentSpace, SpaceRoute } from '../spaces/access/space-access.decorators.js';
import type { SpaceAccess, UserSpaceAccess } from '../spaces/access/space-access.js';
import { MintInviteTokenDto } from '../spaces/dto/invite.dto.js';
import { PrivilegesDto, UpdatePrivilegesDto } from '../spaces/dto/members.dto.js';
import { TokenDto } from '../spaces/dto/mint-tokens.dto.js';
import { CreateGroupSpaceDto, SpaceDto, SpaceListDto, toSpaceDto } from '../spaces/dto/space.dto.js';
import { CurrentGroup, GroupRoute } from './access/group-access.decorators.js';
import type { GroupAccess, UserGroupAccess } from './access/group-access.js';
import {
  AddToSpaceDto,
  CreateGroupDto,
  GroupListDto,
  IntermediariesDto,
  JoinWithTokenDto,
  SharedGroupDto,
  toSharedGroupDto,
} from './dto/group.dto.js';
import { GroupSpacesService } from './group-spaces.service.js';

const Sid = () => ApiParam({ name: 'sid', description: 'Space ID.', schema: { type: 'string' } });
const Gid = () => ApiParam({ name: 'gid', description: 'Group ID.', schema: { type: 'string' } });

/** The spaces a group is a member of: listing, creating, joining and leaving them. */
@ApiTags('Group')
@ApiBearerAuth()
@ApiSecurity('X-Auth-Token')
@SpacesApi()
@Controller('groups/:id')
export class GroupSpacesController {
  constructor(
    private readonly spaces: GroupSpacesService,
    private readonly locations: Locations,
  ) {}

  @Get('spaces')
  @Callers('user')
  @GroupRoute({ privilege: 'group_view' })
  @ApiOperation({
    operationId: 'listGroupSpaces',
    summary: 'List group spaces',
    description: 'Needs group_view. Spaces the group is a direct member of.',
  })
  @ApiOkResponse({ type: SpaceListDto })
  @ApiErrors(...LIST_ROUTE_ERRORS)
  async list(@CurrentGroup() access: GroupAccess, @Query() query: PageQueryDto): Promise<SpaceListDto> {
    return listBody('spaces', await this.spaces.spacesOfGroup(access, pageRequest(query), false));
  }

  @Post('spaces')
  @Idempotent('groups', ':id', 'spaces')
  @Callers('user')
  @GroupRoute({ privilege: 'group_add_space' })
  @ApiOperation({
    operationId: 'createSpaceForGroup',
    summary: 'Create a new space for group',
    description:
      'Needs group_add_space. The group gets every space privilege in the new space; the caller becomes its direct member with every privilege and its owner.',
  })
  @ApiBody({ type: CreateGroupSpaceDto })
  @ApiCreatedAt('/groups/{id}/spaces/{sid}')
  @ApiErrors(...BODY_ROUTE_ERRORS, HttpStatus.NOT_FOUND)
  async create(
    @CurrentGroup() access: UserGroupAccess,
    @Body() body: CreateGroupSpaceDto,
    @Res({ passthrough: true }) res: ReplyHeaders,
  ): Promise<void> {
    this.locations.set(res, 'groups', access.groupId, 'spaces', await this.spaces.createSpace(access, body.name));
  }

  @Post('spaces/join')
  @Idempotent('groups', ':id', 'spaces')
  @Callers('user')
  @GroupRoute({ privilege: 'group_add_space' })
  @ApiOperation({
    operationId: 'joinSpaceByGroup',
    summary: 'Join space as group',
    description: 'Needs group_add_space. The group joins the space a group invite token (POST /spaces/{id}/groups/token) is for.',
  })
  @ApiBody({ type: JoinWithTokenDto })
  @ApiCreatedAt('/groups/{id}/spaces/{sid}')
  @ApiErrors(...BODY_ROUTE_ERRORS, HttpStatus.NOT_FOUND, HttpStatus.CONFLICT)
  async join(
    @CurrentGroup() access: UserGroupAccess,
    @Body() body: JoinWithTokenDto,
    @Res({ passthrough: true }) res: ReplyHeaders,
    @ClientIp() ip: string | undefined,
  ): Promise<void> {
    this.locations.set(res, 'groups', access.groupId, 'spaces', await this.spaces.joinSpace(access, body.token, ip));
  }

  @Get('spaces/:sid')
  @Callers('user')
  @GroupRoute({ privilege: 'group_view' })
  @Sid()
  @ApiOperation({
    operationId: 'getGroupSpace',
    summary: 'Get group space details',
    description: 'Needs group_view. Any space the group is an effective member of.',
  })
  @ApiOkResponse({ type: SpaceDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  async get(@CurrentGroup() access: GroupAccess, @Param('sid') sid: string): Promise<SpaceDto> {
    return toSpaceDto(await this.spaces.spaceOfGroup(access, sid), false);
  }

  @Delete('spaces/:sid')
  @Callers('user')
  @GroupRoute({ privilege: 'group_leave_space' })
  @Sid()
  @ApiOperation({
    operationId: 'leaveSpaceAsGroup',
    summary: 'Leave space as group',
    description: 'Needs group_leave_space. Direct membership only (404 otherwise).',
  })
  @ApiDone('The group is no longer a direct member of the space.')
  @ApiErrors(...READ_ROUTE_ERRORS)
  async leave(@CurrentGroup() access: UserGroupAccess, @Param('sid') sid: string): Promise<void> {
    await this.spaces.leaveSpace(access, sid);
  }

  @Get('effective_spaces')
  @Callers('user')
  @GroupRoute({ privilege: 'group_view' })
  @ApiOperation({
    operationId: 'listEffectiveGroupSpaces',
    summary: 'List effective group spaces',
    description: 'Needs group_view. Spaces the group is a member of, directly or through its parents.',
  })
  @ApiOkResponse({ type: SpaceListDto })
  @ApiErrors(...LIST_ROUTE_ERRORS)
  async effective(@CurrentGroup() access: GroupAccess, @Query() query: PageQueryDto): Promise<SpaceListDto> {
    return listBody('spaces', await this.spaces.spacesOfGroup(access, pageRequest(query), true));
  }

  @Get('effective_spaces/:sid')
  @Callers('user')
  @GroupRoute({ privilege: 'group_view' })
  @Sid()
  @ApiOperation({ operationId: 'getEffectiveGroupSpace', summary: 'Get effective group space details', description: 'Needs group_view.' })
  @ApiOkResponse({ type: SpaceDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  async effectiveOne(@CurrentGroup() access: GroupAccess, @Param('sid') sid: string): Promise<SpaceDto> {
    return toSpaceDto(await this.spaces.spaceOfGroup(access, sid), false);
  }
}

/** A space's groups, direct and effective, with their privileges, and invites for groups. */
@ApiTags('Space')
@ApiBearerAuth()
@ApiSecurity('X-Auth-Token')
@SpacesApi()
@Controller('spaces/:id')
export class SpaceGroupsController {
  constructor(
    private readonly spaces: GroupSpacesService,
    private readonly locations: Locations,
  ) {}

  @Get('groups')
  @Callers('user', 'provider')
  @SpaceRoute({ privilege: 'space_view', providers: true })
  @ApiOperation({
    operationId: 'listSpaceGroups',
    summary: 'List space groups',
    description: 'Needs space_view (or a supporting provider). Direct member groups.',
  })
  @ApiOkResponse({ type: GroupListDto })
  @ApiErrors(...LIST_ROUTE_ERRORS)
  async list(@CurrentSpace() access: SpaceAccess, @Query() query: PageQueryDto): Promise<GroupListDto> {
    return listBody('groups', await this.spaces.groupsOfSpace(access, pageRequest(query), false));
  }

  @Post('groups')
  @Idempotent('spaces', ':id', 'groups')
  @Callers('user')
  @SpaceRoute({ privilege: 'space_add_group' })
  @ApiOperation({
    operationId: 'createSpaceGroup',
    summary: 'Create group in space',
    description:
      'Needs space_add_group. A new group, the caller its member with every group privilege, the group a member of the space with the member level.',
  })
  @ApiBody({ type: CreateGroupDto })
  @ApiCreatedAt('/spaces/{id}/groups/{gid}')
  @ApiErrors(...BODY_ROUTE_ERRORS, HttpStatus.NOT_FOUND)
  async create(
    @CurrentSpace() access: UserSpaceAccess,
    @Body() body: CreateGroupDto,
    @Res({ passthrough: true }) res: ReplyHeaders,
  ): Promise<void> {
    this.locations.set(res, 'spaces', access.spaceId, 'groups', await this.spaces.createGroup(access, body));
  }

  @Post('groups/token')
  @Callers('user')
  @SpaceRoute({ privilege: 'space_add_group' })
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'createSpaceGroupInviteToken',
    summary: 'Create space invite token for group',
    description:
      'Needs space_add_group (and space_set_privileges beyond the member level). A group joins with it (POST /groups/{id}/spaces/join).',
  })
  @ApiBody({ type: MintInviteTokenDto, required: false })
  @ApiOkResponse({ type: TokenDto, description: 'The new token.' })
  @ApiErrors(...BODY_ROUTE_ERRORS, HttpStatus.NOT_FOUND)
  async invite(@CurrentSpace() access: UserSpaceAccess, @Body() body: MintInviteTokenDto): Promise<TokenDto> {
    return { token: await this.spaces.mintInvite(access, body) };
  }

  @Get('groups/:gid')
  @Callers('user', 'provider')
  @SpaceRoute({ providers: true })
  @Gid()
  @ApiOperation({
    operationId: 'getSpaceGroup',
    summary: 'Get space group details',
    description: 'With space_view, as an effective member of the group, or a supporting provider. Any effective group.',
  })
  @ApiOkResponse({ type: SharedGroupDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  async get(@CurrentSpace() access: SpaceAccess, @Param('gid') gid: string): Promise<SharedGroupDto> {
    return toSharedGroupDto(await this.spaces.groupOfSpace(access, gid));
  }

  @Put('groups/:gid')
  @Callers('user', 'admin')
  @SpaceRoute({ privilege: 'space_add_group', admins: true })
  @Gid()
  @ApiOperation({
    operationId: 'addSpaceGroup',
    summary: 'Add group to space',
    description:
      'Needs space_add_group here and group_add_space in the group (404 when the group cannot be seen). Default privileges: the member ' +
      'level; choosing them needs space_set_privileges. The administrator adds any group. Never makes anyone an owner.',
  })
  @ApiBody({ type: AddToSpaceDto, required: false })
  @ApiCreatedAt('/spaces/{id}/groups/{gid}')
  @ApiErrors(...BODY_ROUTE_ERRORS, HttpStatus.NOT_FOUND, HttpStatus.CONFLICT)
  async add(
    @CurrentSpace() access: SpaceAccess,
    @Param('gid') gid: string,
    @Body() body: AddToSpaceDto,
    @Res({ passthrough: true }) res: ReplyHeaders,
  ): Promise<void> {
    await this.spaces.addGroup(access, gid, body.privileges);
    this.locations.set(res, 'spaces', access.spaceId, 'groups', gid);
  }

  @Delete('groups/:gid')
  @Callers('user')
  @SpaceRoute({ privilege: 'space_remove_group' })
  @Gid()
  @ApiOperation({
    operationId: 'removeSpaceGroup',
    summary: 'Remove group from space',
    description: 'Needs space_remove_group. Direct groups only (404 otherwise).',
  })
  @ApiDone('The group is no longer a direct member.')
  @ApiErrors(...READ_ROUTE_ERRORS)
  async remove(@CurrentSpace() access: UserSpaceAccess, @Param('gid') gid: string): Promise<void> {
    await this.spaces.removeGroup(access, gid);
  }

  @Get('groups/:gid/privileges')
  @Callers('user', 'provider')
  @SpaceRoute({ privilege: 'space_view_privileges', providers: true })
  @Gid()
  @ApiOperation({
    operationId: 'getSpaceGroupPrivileges',
    summary: "Get group's space privileges",
    description: 'Needs space_view_privileges (or a supporting provider). Stored, direct groups only.',
  })
  @ApiOkResponse({ type: PrivilegesDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  async privileges(@CurrentSpace() access: SpaceAccess, @Param('gid') gid: string): Promise<PrivilegesDto> {
    return { privileges: await this.spaces.groupPrivileges(access, gid, false) };
  }

  @Patch('groups/:gid/privileges')
  @Callers('user')
  @SpaceRoute({ privilege: 'space_set_privileges' })
  @Gid()
  @ApiOperation({
    operationId: 'updateSpaceGroupPrivileges',
    summary: "Update group's space privileges",
    description: 'Needs space_set_privileges.',
  })
  @ApiBody({ type: UpdatePrivilegesDto })
  @ApiDone('The privileges are updated.')
  @ApiErrors(...BODY_ROUTE_ERRORS, HttpStatus.NOT_FOUND)
  async setPrivileges(
    @CurrentSpace() access: UserSpaceAccess,
    @Param('gid') gid: string,
    @Body() body: UpdatePrivilegesDto,
  ): Promise<void> {
    await this.spaces.setGroupPrivileges(access, gid, body);
  }

  @Get('effective_groups')
  @Callers('user', 'provider')
  @SpaceRoute({ privilege: 'space_view', providers: true })
  @ApiOperation({
    operationId: 'listEffectiveSpaceGroups',
    summary: 'List effective space groups',
    description: 'Needs space_view (or a supporting provider).',
  })
  @ApiOkResponse({ type: GroupListDto })
  @ApiErrors(...LIST_ROUTE_ERRORS)
  async effective(@CurrentSpace() access: SpaceAccess, @Query() query: PageQueryDto): Promise<GroupListDto> {
    return listBody('groups', await this.spaces.groupsOfSpace(access, pageRequest(query), true));
  }

  @Get('effective_groups/:gid')
  @Callers('user', 'provider')
  @SpaceRoute({ providers: true })
  @Gid()
  @ApiOperation({
    operationId: 'getEffectiveSpaceGroup',
    summary: 'Get effective space group details',
    description: 'With space_view, as an effective member of the group, or a supporting provider.',
  })
  @ApiOkResponse({ type: SharedGroupDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  async effectiveOne(@CurrentSpace() access: SpaceAccess, @Param('gid') gid: string): Promise<SharedGroupDto> {
    return toSharedGroupDto(await this.spaces.groupOfSpace(access, gid));
  }

  @Get('effective_groups/:gid/privileges')
  @Callers('user', 'provider')
  @SpaceRoute({ privilege: 'space_view_privileges', providers: true })
  @Gid()
  @ApiOperation({
    operationId: 'getEffectiveSpaceGroupPrivileges',
    summary: "Get effective group's space privileges",
    description: 'Needs space_view_privileges (or a supporting provider).',
  })
  @ApiOkResponse({ type: PrivilegesDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  async effectivePrivileges(@CurrentSpace() access: SpaceAccess, @Param('gid') gid: string): Promise<PrivilegesDto> {
    return { privileges: await this.spaces.groupPrivileges(access, gid, true) };
  }

  @Get('effective_groups/:gid/membership')
  @Callers('user', 'provider')
  @SpaceRoute({ providers: true })
  @Gid()
  @ApiOperation({
    operationId: 'getEffectiveSpaceGroupMembership',
    summary: "Get effective group's space membership intermediaries",
    description: 'With space_view, as an effective member of the group, or a supporting provider.',
  })
  @ApiOkResponse({ type: IntermediariesDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  async membership(@CurrentSpace() access: SpaceAccess, @Param('gid') gid: string): Promise<IntermediariesDto> {
    return { intermediaries: await this.spaces.groupMembership(access, gid) };
  }
}
