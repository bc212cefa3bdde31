import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Callers, ClientIp, CurrentCaller } from '../auth/auth.decorators.js';
import type { Caller } from '../auth/caller.js';
import { ApiCreatedAt, ApiDone } from '../common/api-created.js';
import { ApiErrors, BODY_ROUTE_ERRORS, LIST_ROUTE_ERRORS, READ_ROUTE_ERRORS } from '../common/api-responses.js';
import { Idempotent } from '../common/idempotency/idempotent.decorator.js';
import { Locations, type ReplyHeaders } from '../common/location.js';
import { PageQueryDto, pageRequest } from '../common/pagination/page-query.dto.js';
import { listBody } from '../common/pagination/pagination.js';
import { SpacesApi } from '../common/spaces-api.decorator.js';
import { futureDate } from '../spaces/token-limits.js';
import { MemberDto } from '../spaces/dto/members.dto.js';
import { TokenDto } from '../spaces/dto/mint-tokens.dto.js';
import { UserListDto } from '../spaces/dto/space.dto.js';
import { CurrentGroup, GroupRoute } from './access/group-access.decorators.js';
import type { GroupAccess, UserGroupAccess } from './access/group-access.js';
import {
  AddToGroupDto,
  CreateGroupDto,
  GroupDto,
  GroupListDto,
  GroupPrivilegesDto,
  IntermediariesDto,
  JoinWithTokenDto,
  MintGroupInviteDto,
  SharedGroupDto,
  toGroupDto,
  toSharedGroupDto,
  UpdateGroupPrivilegesDto,
} from './dto/group.dto.js';
import { GroupMembersService } from './group-members.service.js';
import { GroupsService } from './groups.service.js';

const Uid = () => ApiParam({ name: 'uid', description: 'User ID.', schema: { type: 'string' } });
const Cid = () => ApiParam({ name: 'cid', description: 'Child group ID.', schema: { type: 'string' } });
const Pid = () => ApiParam({ name: 'pid', description: 'Parent group ID.', schema: { type: 'string' } });

/** A group's users, direct and effective, their privileges, and invites for users. */
@ApiTags('Group')
@ApiBearerAuth()
@ApiSecurity('X-Auth-Token')
@SpacesApi()
@Controller('groups/:id')
export class GroupUsersController {
  constructor(
    private readonly members: GroupMembersService,
    private readonly groups: GroupsService,
    private readonly locations: Locations,
  ) {}

  @Get('users')
  @Callers('user')
  @GroupRoute({ privilege: 'group_view' })
  @ApiOperation({ operationId: 'listGroupUsers', summary: 'List group users', description: 'Needs group_view. Direct members only.' })
  @ApiOkResponse({ type: UserListDto })
  @ApiErrors(...LIST_ROUTE_ERRORS)
  async users(@CurrentGroup() access: GroupAccess, @Query() query: PageQueryDto): Promise<UserListDto> {
    return listBody('users', await this.members.users(access, pageRequest(query), false));
  }

  @Post('users/token')
  @Callers('user')
  @GroupRoute({ privilege: 'group_add_user' })
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'createGroupUserInviteToken',
    summary: 'Create user invite token for group',
    description:
      'Needs group_add_user (and group_set_privileges to carry more than group_view). A user joins with it ' +
      '(POST /user/groups/join) while its minter may still invite. Single use unless `usageLimit` says otherwise.',
  })
  @ApiBody({ type: MintGroupInviteDto, required: false })
  @ApiOkResponse({ type: TokenDto, description: 'The new token.' })
  @ApiErrors(...BODY_ROUTE_ERRORS, HttpStatus.NOT_FOUND)
  async invite(@CurrentGroup() access: UserGroupAccess, @Body() body: MintGroupInviteDto): Promise<TokenDto> {
    return { token: await this.groups.mintInvite(access, 'user_join_group', body, futureDate(body.validUntil)) };
  }

  @Get('users/:uid')
  @Callers('user')
  @GroupRoute({ privilege: 'group_view' })
  @Uid()
  @ApiOperation({ operationId: 'getGroupUser', summary: 'Get group user details', description: 'Needs group_view. Any effective member.' })
  @ApiOkResponse({ type: MemberDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  async user(@CurrentGroup() access: GroupAccess, @Param('uid') uid: string): Promise<MemberDto> {
    return this.members.user(access, uid);
  }

  @Put('users/:uid')
  @Callers('user', 'admin')
  @GroupRoute({ privilege: 'group_add_user', admin: true })
  @Uid()
  @ApiOperation({
    operationId: 'addGroupUser',
    summary: 'Add user to group',
    description:
      'A user holding group_add_user (effectively) adds itself as a direct member (403 for anyone else); the administrator adds ' +
      'any user. Default privileges [group_view]; choosing them needs group_set_privileges.',
  })
  @ApiBody({ type: AddToGroupDto, required: false })
  @ApiCreatedAt('/groups/{id}/users/{uid}')
  @ApiErrors(...BODY_ROUTE_ERRORS, HttpStatus.NOT_FOUND, HttpStatus.CONFLICT)
  async addUser(
    @CurrentGroup() access: GroupAccess,
    @Param('uid') uid: string,
    @Body() body: AddToGroupDto,
    @Res({ passthrough: true }) res: ReplyHeaders,
  ): Promise<void> {
    await this.members.addUser(access, uid, body.privileges);
    this.locations.set(res, 'groups', access.groupId, 'users', uid);
  }

  @Delete('users/:uid')
  @Callers('user')
  @GroupRoute({ privilege: 'group_remove_user' })
  @Uid()
  @ApiOperation({
    operationId: 'removeGroupUser',
    summary: 'Remove user from group',
    description: 'Needs group_remove_user. Direct members only (404 otherwise).',
  })
  @ApiDone('The user is no longer a direct member.')
  @ApiErrors(...READ_ROUTE_ERRORS)
  async removeUser(@CurrentGroup() access: UserGroupAccess, @Param('uid') uid: string): Promise<void> {
    await this.members.removeUser(access, uid);
  }

  @Get('users/:uid/privileges')
  @Callers('user')
  @GroupRoute()
  @Uid()
  @ApiOperation({
    operationId: 'getGroupUserPrivileges',
    summary: "Get user's group privileges",
    description: "A direct member's stored privileges: one's own, or another's with group_view_privileges.",
  })
  @ApiOkResponse({ type: GroupPrivilegesDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  async userPrivileges(@CurrentGroup() access: UserGroupAccess, @Param('uid') uid: string): Promise<GroupPrivilegesDto> {
    return { privileges: await this.members.userPrivileges(access, uid) };
  }

  @Patch('users/:uid/privileges')
  @Callers('user')
  @GroupRoute({ privilege: 'group_set_privileges' })
  @Uid()
  @ApiOperation({
    operationId: 'updateGroupUserPrivileges',
    summary: "Update user's group privileges",
    description: 'Needs group_set_privileges.',
  })
  @ApiBody({ type: UpdateGroupPrivilegesDto })
  @ApiDone('The privileges are updated.')
  @ApiErrors(...BODY_ROUTE_ERRORS, HttpStatus.NOT_FOUND)
  async setUserPrivileges(
    @CurrentGroup() access: UserGroupAccess,
    @Param('uid') uid: string,
    @Body() body: UpdateGroupPrivilegesDto,
  ): Promise<void> {
    await this.members.setUserPrivileges(access, uid, body);
  }

  @Get('effective_users')
  @Callers('user')
  @GroupRoute({ privilege: 'group_view' })
  @ApiOperation({
    operationId: 'listEffectiveGroupUsers',
    summary: 'List effective group users',
    description: 'Needs group_view. Direct members and members of its effective children.',
  })
  @ApiOkResponse({ type: UserListDto })
  @ApiErrors(...LIST_ROUTE_ERRORS)
  async effectiveUsers(@CurrentGroup() access: GroupAccess, @Query() query: PageQueryDto): Promise<UserListDto> {
    return listBody('users', await this.members.users(access, pageRequest(query), true));
  }

  @Get('effective_users/:uid')
  @Callers('user')
  @GroupRoute({ privilege: 'group_view' })
  @Uid()
  @ApiOperation({ operationId: 'getEffectiveGroupUser', summary: 'Get effective group user details', description: 'Needs group_view.' })
  @ApiOkResponse({ type: MemberDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  async effectiveUser(@CurrentGroup() access: GroupAccess, @Param('uid') uid: string): Promise<MemberDto> {
    return this.members.user(access, uid);
  }

  @Get('effective_users/:uid/privileges')
  @Callers('user')
  @GroupRoute()
  @Uid()
  @ApiOperation({
    operationId: 'getEffectiveGroupUserPrivileges',
    summary: "Get effective user's group privileges",
    description:
      "The union of the direct privileges and those of each child group it comes through: one's own, or another's with group_view_privileges.",
  })
  @ApiOkResponse({ type: GroupPrivilegesDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  async effectiveUserPrivileges(@CurrentGroup() access: UserGroupAccess, @Param('uid') uid: string): Promise<GroupPrivilegesDto> {
    return { privileges: await this.members.effectiveUserPrivileges(access, uid) };
  }

  @Get('effective_users/:uid/membership')
  @Callers('user')
  @GroupRoute()
  @Uid()
  @ApiOperation({
    operationId: 'getEffectiveGroupUserMembership',
    summary: "Get effective user's group membership intermediaries",
    description: "The direct members it comes through: one's own, or another's with group_view.",
  })
  @ApiOkResponse({ type: IntermediariesDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  async userMembership(@CurrentGroup() access: UserGroupAccess, @Param('uid') uid: string): Promise<IntermediariesDto> {
    return { intermediaries: await this.members.userMembership(access, uid) };
  }
}

/** A group's children and parents, direct and effective, with their privileges. */
@ApiTags('Group')
@ApiBearerAuth()
@ApiSecurity('X-Auth-Token')
@SpacesApi()
@Controller('groups/:id')
export class GroupRelationsController {
  constructor(
    private readonly members: GroupMembersService,
    private readonly groups: GroupsService,
    private readonly locations: Locations,
  ) {}

  @Get('children')
  @Callers('user')
  @GroupRoute({ privilege: 'group_view' })
  @ApiOperation({ operationId: 'listChildGroups', summary: 'List child groups', description: 'Needs group_view.' })
  @ApiOkResponse({ type: GroupListDto })
  @ApiErrors(...LIST_ROUTE_ERRORS)
  async children(@CurrentGroup() access: GroupAccess, @Query() query: PageQueryDto): Promise<GroupListDto> {
    return listBody('groups', await this.members.children(access, pageRequest(query), false));
  }

  @Post('children')
  @Idempotent('groups', ':id', 'children')
  @Callers('user')
  @GroupRoute({ privilege: 'group_add_child' })
  @ApiOperation({
    operationId: 'createChildGroup',
    summary: 'Create child group',
    description:
      "Needs group_add_child. The caller becomes the new group's member with every privilege; the new group gets [group_view] here.",
  })
  @ApiBody({ type: CreateGroupDto })
  @ApiCreatedAt('/groups/{id}/children/{cid}')
  @ApiErrors(...BODY_ROUTE_ERRORS, HttpStatus.NOT_FOUND)
  async createChild(
    @CurrentGroup() access: UserGroupAccess,
    @Body() body: CreateGroupDto,
    @Res({ passthrough: true }) res: ReplyHeaders,
  ): Promise<void> {
    this.locations.set(res, 'groups', access.groupId, 'children', await this.members.createChild(access, body));
  }

  @Post('children/token')
  @Callers('user')
  @GroupRoute({ privilege: 'group_add_child' })
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'createChildGroupInviteToken',
    summary: 'Create child group invite token',
    description:
      'Needs group_add_child (and group_set_privileges beyond group_view). A group joins with it (POST /groups/{id}/parents/join).',
  })
  @ApiBody({ type: MintGroupInviteDto, required: false })
  @ApiOkResponse({ type: TokenDto, description: 'The new token.' })
  @ApiErrors(...BODY_ROUTE_ERRORS, HttpStatus.NOT_FOUND)
  async childInvite(@CurrentGroup() access: UserGroupAccess, @Body() body: MintGroupInviteDto): Promise<TokenDto> {
    return { token: await this.groups.mintInvite(access, 'group_join_group', body, futureDate(body.validUntil)) };
  }

  @Get('children/:cid')
  @Callers('user')
  @GroupRoute()
  @Cid()
  @ApiOperation({
    operationId: 'getChildGroup',
    summary: 'Get child group details',
    description: 'With group_view here, or as an effective member of the child. Any effective child.',
  })
  @ApiOkResponse({ type: SharedGroupDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  async child(@CurrentCaller() caller: Caller, @CurrentGroup() access: GroupAccess, @Param('cid') cid: string): Promise<SharedGroupDto> {
    return toSharedGroupDto(await this.members.child(caller, access, access.groupId, cid));
  }

  @Put('children/:cid')
  @Callers('user', 'admin')
  @GroupRoute({ privilege: 'group_add_child', admin: true })
  @Cid()
  @ApiOperation({
    operationId: 'addChildGroup',
    summary: 'Add child group',
    description:
      'Needs group_add_child here and group_add_parent in the child (404 when the child cannot be seen). Default privileges ' +
      '[group_view]; choosing them needs group_set_privileges. A group cannot become its own ancestor (400).',
  })
  @ApiBody({ type: AddToGroupDto, required: false })
  @ApiCreatedAt('/groups/{id}/children/{cid}')
  @ApiErrors(...BODY_ROUTE_ERRORS, HttpStatus.NOT_FOUND, HttpStatus.CONFLICT)
  async addChild(
    @CurrentGroup() access: GroupAccess,
    @Param('cid') cid: string,
    @Body() body: AddToGroupDto,
    @Res({ passthrough: true }) res: ReplyHeaders,
  ): Promise<void> {
    await this.members.addChild(access, cid, body.privileges);
    this.locations.set(res, 'groups', access.groupId, 'children', cid);
  }

  @Delete('children/:cid')
  @Callers('user')
  @GroupRoute({ privilege: 'group_remove_child' })
  @Cid()
  @ApiOperation({
    operationId: 'removeChildGroup',
    summary: 'Remove child group',
    description: 'Needs group_remove_child. Direct children only (404 otherwise).',
  })
  @ApiDone('The group is no longer a child.')
  @ApiErrors(...READ_ROUTE_ERRORS)
  async removeChild(@CurrentGroup() access: UserGroupAccess, @Param('cid') cid: string): Promise<void> {
    await this.members.removeChild(access, cid);
  }

  @Get('children/:cid/privileges')
  @Callers('user')
  @GroupRoute({ privilege: 'group_view_privileges' })
  @Cid()
  @ApiOperation({
    operationId: 'getChildGroupPrivileges',
    summary: "Get child group's privileges",
    description: 'Needs group_view_privileges. Stored, direct children only.',
  })
  @ApiOkResponse({ type: GroupPrivilegesDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  async childPrivileges(@CurrentGroup() access: GroupAccess, @Param('cid') cid: string): Promise<GroupPrivilegesDto> {
    return { privileges: await this.members.childPrivileges(access, cid, false) };
  }

  @Patch('children/:cid/privileges')
  @Callers('user')
  @GroupRoute({ privilege: 'group_set_privileges' })
  @Cid()
  @ApiOperation({
    operationId: 'updateChildGroupPrivileges',
    summary: "Update child group's privileges",
    description: 'Needs group_set_privileges.',
  })
  @ApiBody({ type: UpdateGroupPrivilegesDto })
  @ApiDone('The privileges are updated.')
  @ApiErrors(...BODY_ROUTE_ERRORS, HttpStatus.NOT_FOUND)
  async setChildPrivileges(
    @CurrentGroup() access: UserGroupAccess,
    @Param('cid') cid: string,
    @Body() body: UpdateGroupPrivilegesDto,
  ): Promise<void> {
    await this.members.setChildPrivileges(access, cid, body);
  }

  @Get('effective_children')
  @Callers('user')
  @GroupRoute({ privilege: 'group_view' })
  @ApiOperation({ operationId: 'listEffectiveChildGroups', summary: 'List effective child groups', description: 'Needs group_view.' })
  @ApiOkResponse({ type: GroupListDto })
  @ApiErrors(...LIST_ROUTE_ERRORS)
  async effectiveChildren(@CurrentGroup() access: GroupAccess, @Query() query: PageQueryDto): Promise<GroupListDto> {
    return listBody('groups', await this.members.children(access, pageRequest(query), true));
  }

  @Get('effective_children/:cid')
  @Callers('user')
  @GroupRoute({ privilege: 'group_view' })
  @Cid()
  @ApiOperation({ operationId: 'getEffectiveChildGroup', summary: 'Get effective child group details', description: 'Needs group_view.' })
  @ApiOkResponse({ type: SharedGroupDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  async effectiveChild(
    @CurrentCaller() caller: Caller,
    @CurrentGroup() access: GroupAccess,
    @Param('cid') cid: string,
  ): Promise<SharedGroupDto> {
    return toSharedGroupDto(await this.members.child(caller, access, access.groupId, cid));
  }

  @Get('effective_children/:cid/privileges')
  @Callers('user')
  @GroupRoute({ privilege: 'group_view_privileges' })
  @Cid()
  @ApiOperation({
    operationId: 'getEffectiveChildGroupPrivileges',
    summary: "Get effective child group's privileges",
    description: 'Needs group_view_privileges.',
  })
  @ApiOkResponse({ type: GroupPrivilegesDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  async effectiveChildPrivileges(@CurrentGroup() access: GroupAccess, @Param('cid') cid: string): Promise<GroupPrivilegesDto> {
    return { privileges: await this.members.childPrivileges(access, cid, true) };
  }

  @Get('effective_children/:cid/membership')
  @Callers('user')
  @GroupRoute()
  @Cid()
  @ApiOperation({
    operationId: 'getEffectiveChildGroupMembership',
    summary: "Get effective child group's membership intermediaries",
    description: 'With group_view here, or as an effective member of the child.',
  })
  @ApiOkResponse({ type: IntermediariesDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  async childMembership(
    @CurrentCaller() caller: Caller,
    @CurrentGroup() access: GroupAccess,
    @Param('cid') cid: string,
  ): Promise<IntermediariesDto> {
    return { intermediaries: await this.members.childMembership(caller, access, cid) };
  }

  @Get('parents')
  @Callers('user')
  @GroupRoute({ privilege: 'group_view' })
  @ApiOperation({ operationId: 'listParentGroups', summary: 'List parent groups', description: 'Needs group_view.' })
  @ApiOkResponse({ type: GroupListDto })
  @ApiErrors(...LIST_ROUTE_ERRORS)
  async parents(@CurrentGroup() access: GroupAccess, @Query() query: PageQueryDto): Promise<GroupListDto> {
    return listBody('groups', await this.members.parents(access, pageRequest(query), false));
  }

  @Post('parents')
  @Idempotent('groups', ':id', 'parents')
  @Callers('user')
  @GroupRoute({ privilege: 'group_add_parent' })
  @ApiOperation({
    operationId: 'createParentGroup',
    summary: 'Create parent group',
    description:
      "Needs group_add_parent. This group becomes the new group's child with every privilege there; the caller gets nothing directly.",
  })
  @ApiBody({ type: CreateGroupDto })
  @ApiCreatedAt('/groups/{id}/parents/{pid}')
  @ApiErrors(...BODY_ROUTE_ERRORS, HttpStatus.NOT_FOUND)
  async createParent(
    @CurrentGroup() access: UserGroupAccess,
    @Body() body: CreateGroupDto,
    @Res({ passthrough: true }) res: ReplyHeaders,
  ): Promise<void> {
    this.locations.set(res, 'groups', access.groupId, 'parents', await this.members.createParent(access, body));
  }

  @Post('parents/join')
  @Idempotent('groups', ':id', 'parents')
  @Callers('user')
  @GroupRoute({ privilege: 'group_add_parent' })
  @ApiOperation({
    operationId: 'joinParentGroup',
    summary: 'Join parent group',
    description:
      'Needs group_add_parent. The group joins the group a child invite token (POST /groups/{id}/children/token) is for. ' +
      'A cycle is 400 invalid_request (the token is kept); a direct child joining again gets 409.',
  })
  @ApiBody({ type: JoinWithTokenDto })
  @ApiCreatedAt('/groups/{id}/parents/{pid}')
  @ApiErrors(...BODY_ROUTE_ERRORS, HttpStatus.NOT_FOUND, HttpStatus.CONFLICT)
  async joinParent(
    @CurrentGroup() access: UserGroupAccess,
    @Body() body: JoinWithTokenDto,
    @Res({ passthrough: true }) res: ReplyHeaders,
    @ClientIp() ip: string | undefined,
  ): Promise<void> {
    this.locations.set(res, 'groups', access.groupId, 'parents', await this.members.joinParent(access, body.token, ip));
  }

  @Get('parents/:pid')
  @Callers('user')
  @GroupRoute()
  @Pid()
  @ApiOperation({
    operationId: 'getParentGroup',
    summary: 'Get parent group details',
    description: 'Any effective member. Any effective parent.',
  })
  @ApiOkResponse({ type: GroupDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  async parent(@CurrentGroup() access: GroupAccess, @Param('pid') pid: string): Promise<GroupDto> {
    return toGroupDto(await this.members.parent(access, pid));
  }

  @Delete('parents/:pid')
  @Callers('user')
  @GroupRoute({ privilege: 'group_leave_parent' })
  @Pid()
  @ApiOperation({
    operationId: 'leaveParentGroup',
    summary: 'Leave parent group',
    description: 'Needs group_leave_parent. Direct parents only (404 otherwise).',
  })
  @ApiDone('The group is no longer a child of the parent.')
  @ApiErrors(...READ_ROUTE_ERRORS)
  async leaveParent(@CurrentGroup() access: UserGroupAccess, @Param('pid') pid: string): Promise<void> {
    await this.members.leaveParent(access, pid);
  }

  @Get('effective_parents')
  @Callers('user')
  @GroupRoute({ privilege: 'group_view' })
  @ApiOperation({ operationId: 'listEffectiveParentGroups', summary: 'List effective parent groups', description: 'Needs group_view.' })
  @ApiOkResponse({ type: GroupListDto })
  @ApiErrors(...LIST_ROUTE_ERRORS)
  async effectiveParents(@CurrentGroup() access: GroupAccess, @Query() query: PageQueryDto): Promise<GroupListDto> {
    return listBody('groups', await this.members.parents(access, pageRequest(query), true));
  }

  @Get('effective_parents/:pid')
  @Callers('user')
  @GroupRoute()
  @Pid()
  @ApiOperation({
    operationId: 'getEffectiveParentGroup',
    summary: 'Get effective parent group details',
    description: 'Any effective member.',
  })
  @ApiOkResponse({ type: GroupDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  async effectiveParent(@CurrentGroup() access: GroupAccess, @Param('pid') pid: string): Promise<GroupDto> {
    return toGroupDto(await this.members.parent(access, pid));
  }
}
