import { Body, Controller, Delete, Get, HttpStatus, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { GroupPrivileges } from '../access/privileges.js';
import { Callers, ClientIp, CurrentCaller } from '../auth/auth.decorators.js';
import { ApiCreatedAt, ApiDone } from '../common/api-created.js';
import { ApiErrors, BODY_ROUTE_ERRORS, OWN_LIST_ERRORS, READ_ROUTE_ERRORS } from '../common/api-responses.js';
import { Idempotent } from '../common/idempotency/idempotent.decorator.js';
import { Locations, type ReplyHeaders } from '../common/location.js';
import { PageQueryDto, pageRequest } from '../common/pagination/page-query.dto.js';
import { listBody } from '../common/pagination/pagination.js';
import { SpacesApi } from '../common/spaces-api.decorator.js';
import type { UserCaller } from '../spaces/access/space-access.js';
import { CurrentGroup, GroupRoute } from './access/group-access.decorators.js';
import type { GroupAccess } from './access/group-access.js';
import {
  CreateGroupDto,
  GroupDto,
  GroupListDto,
  GroupPrivilegeLevelsDto,
  JoinWithTokenDto,
  toGroupDto,
  UpdateGroupDto,
} from './dto/group.dto.js';
import { GroupsService } from './groups.service.js';

const GroupId = (name = 'gid') => ApiParam({ name, description: 'Group ID.', schema: { type: 'string' } });

/** Groups: the administrator's create and list, anyone's read of the privilege levels, a group's own details. */
@ApiTags('Group')
@ApiBearerAuth()
@ApiSecurity('X-Auth-Token')
@SpacesApi()
@Controller('groups')
export class GroupsController {
  constructor(
    private readonly groups: GroupsService,
    private readonly locations: Locations,
  ) {}

  @Post()
  @Idempotent('groups')
  @Callers('admin')
  @ApiOperation({
    operationId: 'createGroup',
    summary: 'Create new group',
    description: 'The administrator creates a group without members.',
  })
  @ApiBody({ type: CreateGroupDto })
  @ApiCreatedAt('/groups/{id}')
  @ApiErrors(...BODY_ROUTE_ERRORS)
  async create(@Body() body: CreateGroupDto, @Res({ passthrough: true }) res: ReplyHeaders): Promise<void> {
    this.locations.set(res, 'groups', await this.groups.createEmpty(body));
  }

  @Get()
  @Callers('admin')
  @ApiOperation({ operationId: 'listGroups', summary: 'List all groups', description: 'The administrator lists every group.' })
  @ApiOkResponse({ type: GroupListDto })
  @ApiErrors(...OWN_LIST_ERRORS)
  async list(@Query() query: PageQueryDto): Promise<GroupListDto> {
    return listBody('groups', await this.groups.all(pageRequest(query)));
  }

  // Declared before ':id', which would otherwise match it.
  @Get('privileges')
  @Callers('user', 'provider', 'admin')
  @ApiOperation({
    operationId: 'getGroupPrivileges',
    summary: 'Get group privileges',
    description: 'Lists the group privileges of each of the member, manager and admin levels.',
  })
  @ApiOkResponse({ type: GroupPrivilegeLevelsDto })
  @ApiErrors(HttpStatus.UNAUTHORIZED, HttpStatus.FORBIDDEN, HttpStatus.INTERNAL_SERVER_ERROR)
  privileges(): GroupPrivilegeLevelsDto {
    return GroupPrivileges.levels();
  }

  @Get(':id')
  @Callers('user', 'admin')
  @GroupRoute({ admin: true })
  @ApiOperation({ operationId: 'getGroup', summary: 'Get group details', description: 'Any effective member; the administrator.' })
  @ApiOkResponse({ type: GroupDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  async get(@CurrentGroup() access: GroupAccess): Promise<GroupDto> {
    return toGroupDto(await this.groups.get(access.groupId));
  }

  @Patch(':id')
  @Callers('user')
  @GroupRoute({ privilege: 'group_update' })
  @ApiOperation({
    operationId: 'modifyGroup',
    summary: 'Modify group details',
    description: 'Needs group_update. Give name, type or both.',
  })
  @ApiBody({ type: UpdateGroupDto })
  @ApiDone('The group is updated.')
  @ApiErrors(...BODY_ROUTE_ERRORS, HttpStatus.NOT_FOUND)
  async update(@CurrentGroup() access: GroupAccess, @Body() body: UpdateGroupDto): Promise<void> {
    await this.groups.update(access, body);
  }

  @Delete(':id')
  @Callers('user', 'admin')
  @GroupRoute({ privilege: 'group_delete', admin: true })
  @ApiOperation({
    operationId: 'removeGroup',
    summary: 'Remove group',
    description:
      'Needs group_delete (or the administrator). Removes its memberships, its relations to other groups and spaces, and its invites.',
  })
  @ApiDone('The group is deleted.')
  @ApiErrors(...READ_ROUTE_ERRORS)
  async delete(@CurrentGroup() access: GroupAccess): Promise<void> {
    await this.groups.delete(access);
  }
}

/** The current user's groups: direct and effective, creating, joining and leaving. */
@ApiTags('User')
@ApiBearerAuth()
@ApiSecurity('X-Auth-Token')
@SpacesApi()
@Controller('user')
export class UserGroupsController {
  constructor(
    private readonly groups: GroupsService,
    private readonly locations: Locations,
  ) {}

  @Post('groups')
  @Idempotent('user', 'groups')
  @Callers('user')
  @ApiOperation({
    operationId: 'createUserGroup',
    summary: 'Create new user group',
    description: 'The current user creates a group and becomes its direct member with every group privilege.',
  })
  @ApiBody({ type: CreateGroupDto })
  @ApiCreatedAt('/user/groups/{id}')
  @ApiErrors(...BODY_ROUTE_ERRORS)
  async create(
    @CurrentCaller() caller: UserCaller,
    @Body() body: CreateGroupDto,
    @Res({ passthrough: true }) res: ReplyHeaders,
  ): Promise<void> {
    this.locations.set(res, 'user', 'groups', await this.groups.createForUser(caller, body));
  }

  @Get('groups')
  @Callers('user')
  @ApiOperation({
    operationId: 'listUserGroups',
    summary: 'List user groups',
    description: 'The groups the current user is a direct member of.',
  })
  @ApiOkResponse({ type: GroupListDto })
  @ApiErrors(...OWN_LIST_ERRORS)
  async list(@CurrentCaller() caller: UserCaller, @Query() query: PageQueryDto): Promise<GroupListDto> {
    return listBody('groups', await this.groups.ofUser(caller, pageRequest(query), false));
  }

  @Post('groups/join')
  @Idempotent('user', 'groups')
  @Callers('user')
  @ApiOperation({
    operationId: 'joinGroup',
    summary: 'Join group',
    description:
      'Joins the group an invite token (POST /groups/{id}/users/token) is for, with the privileges it carries. ' +
      'A direct member who joins again gets 409; a failure consumes nothing.',
  })
  @ApiBody({ type: JoinWithTokenDto })
  @ApiCreatedAt('/user/groups/{id}')
  @ApiErrors(...BODY_ROUTE_ERRORS, HttpStatus.CONFLICT)
  async join(
    @CurrentCaller() caller: UserCaller,
    @Body() body: JoinWithTokenDto,
    @Res({ passthrough: true }) res: ReplyHeaders,
    @ClientIp() ip: string | undefined,
  ): Promise<void> {
    this.locations.set(res, 'user', 'groups', await this.groups.join(caller, body.token, ip));
  }

  @Get('groups/:gid')
  @Callers('user')
  @GroupId()
  @ApiOperation({
    operationId: 'getUserGroup',
    summary: 'Get user group details',
    description: 'A group the current user is an effective member of.',
  })
  @ApiOkResponse({ type: GroupDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  async get(@CurrentCaller() caller: UserCaller, @Param('gid') gid: string): Promise<GroupDto> {
    return toGroupDto(await this.groups.ofUserOne(caller, gid));
  }

  @Delete('groups/:gid')
  @Callers('user')
  @GroupId()
  @ApiOperation({
    operationId: 'leaveGroup',
    summary: 'Leave group',
    description:
      'The current user leaves a group it is a direct member of (404 otherwise). Groups have no owners: the last member may leave.',
  })
  @ApiDone('The user is no longer a direct member.')
  @ApiErrors(...READ_ROUTE_ERRORS)
  async leave(@CurrentCaller() caller: UserCaller, @Param('gid') gid: string): Promise<void> {
    await this.groups.leave(caller, gid);
  }

  @Get('effective_groups')
  @Callers('user')
  @ApiOperation({
    operationId: 'listEffectiveUserGroups',
    summary: 'List effective user groups',
    description: 'The groups the current user is a member of, directly or through other groups.',
  })
  @ApiOkResponse({ type: GroupListDto })
  @ApiErrors(...OWN_LIST_ERRORS)
  async effective(@CurrentCaller() caller: UserCaller, @Query() query: PageQueryDto): Promise<GroupListDto> {
    return listBody('groups', await this.groups.ofUser(caller, pageRequest(query), true));
  }

  @Get('effective_groups/:gid')
  @Callers('user')
  @GroupId()
  @ApiOperation({
    operationId: 'getEffectiveUserGroup',
    summary: 'Get effective user group details',
    description: 'A group the current user is an effective member of.',
  })
  @ApiOkResponse({ type: GroupDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  async effectiveOne(@CurrentCaller() caller: UserCaller, @Param('gid') gid: string): Promise<GroupDto> {
    return toGroupDto(await this.groups.ofUserOne(caller, gid));
  }
}
