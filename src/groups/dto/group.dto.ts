import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsIn, ValidateIf } from 'class-validator';
import { GROUP_PRIVILEGES, type GroupPrivilege, GroupPrivileges } from '../../access/privileges.js';
import { PageDto } from '../../common/pagination/page-query.dto.js';
import { ID_EXAMPLE } from '../../common/subject.dto.js';
import { IsName } from '../../common/validation/names.js';
import { IsGroupPrivilegeList } from '../../common/validation/privileges.js';
import type { GroupType } from '../../generated/prisma/enums.js';
import { LimitedTokenRequest, present } from '../../spaces/dto/mint-tokens.dto.js';
import { TokenField } from '../../tokens/token-field.js';
import { unixSeconds } from '../../tokens/token-codec.js';
import { GROUP_TYPES, type GroupRecord } from '../groups.repository.js';

const TYPE_RULE = `type must be one of ${GROUP_TYPES.join(', ')}`;
const GROUP_PRIVILEGE_ITEMS = { type: 'array' as const, items: { type: 'string' as const, enum: [...GROUP_PRIVILEGES] } };

@ApiSchema({ name: 'GroupCreator', description: 'The user who created a group.' })
export class GroupCreatorDto {
  @ApiProperty({ enum: ['user'] })
  type: 'user';

  @ApiProperty({ example: ID_EXAMPLE })
  id: string;
}

@ApiSchema({ name: 'SharedGroup', description: 'A group, as its fellow members see it.' })
export class SharedGroupDto {
  @ApiProperty({ example: ID_EXAMPLE })
  groupId: string;

  @ApiProperty({ example: 'Team' })
  name: string;

  @ApiProperty({ enum: GROUP_TYPES, example: 'team' })
  type: GroupType;

  @ApiProperty({ description: 'Unix time (seconds) of creation.', example: 1_795_000_000 })
  creationTime: number;
}

@ApiSchema({ name: 'Group', description: 'A group.' })
export class GroupDto extends SharedGroupDto {
  @ApiProperty({ type: GroupCreatorDto, nullable: true, description: 'Who created it; null for a group the administrator created.' })
  creator: GroupCreatorDto | null;
}

export function toSharedGroupDto(group: GroupRecord): SharedGroupDto {
  return { groupId: group.id, name: group.name, type: group.type, creationTime: unixSeconds(group.createdAt) };
}

export function toGroupDto(group: GroupRecord): GroupDto {
  return {
    groupId: group.id,
    name: group.name,
    type: group.type,
    creator: group.creatorId === null ? null : { type: 'user', id: group.creatorId },
    creationTime: unixSeconds(group.createdAt),
  };
}

@ApiSchema({ name: 'GroupCreate', description: 'A new group.' })
export class CreateGroupDto {
  @ApiProperty({ description: 'The name of the group.', example: 'Team', minLength: 2, maxLength: 128 })
  @IsName()
  name: string;

  @ApiPropertyOptional({ enum: GROUP_TYPES, default: 'team' })
  @ValidateIf(present('type'))
  @IsIn(GROUP_TYPES, { message: TYPE_RULE })
  type?: GroupType;
}

@ApiSchema({ name: 'GroupUpdate', description: 'New group parameters: at least one.' })
export class UpdateGroupDto {
  @ApiPropertyOptional({ description: 'The new name.', example: 'Renamed team', minLength: 2, maxLength: 128 })
  @ValidateIf(present('name'))
  @IsName()
  name?: string;

  @ApiPropertyOptional({ enum: GROUP_TYPES })
  @ValidateIf(present('type'))
  @IsIn(GROUP_TYPES, { message: TYPE_RULE })
  type?: GroupType;
}

@ApiSchema({ name: 'GroupList', description: 'Group IDs, in ID order.' })
export class GroupListDto extends PageDto {
  @ApiProperty({ type: [String], example: [ID_EXAMPLE] })
  groups: string[];
}

@ApiSchema({ name: 'GroupPrivileges', description: 'Group privileges, in alphabetical order.' })
export class GroupPrivilegesDto {
  @ApiProperty({ ...GROUP_PRIVILEGE_ITEMS, example: ['group_view'] })
  privileges: GroupPrivilege[];
}

@ApiSchema({ name: 'GroupPrivilegesUpdate', description: 'Group privileges to grant and to revoke, at least one of them.' })
export class UpdateGroupPrivilegesDto {
  @ApiPropertyOptional({ ...GROUP_PRIVILEGE_ITEMS, example: ['group_add_user'] })
  @ValidateIf(present('grant'))
  @IsGroupPrivilegeList()
  grant?: GroupPrivilege[];

  @ApiPropertyOptional({ ...GROUP_PRIVILEGE_ITEMS, example: ['group_update'] })
  @ValidateIf(present('revoke'))
  @IsGroupPrivilegeList()
  revoke?: GroupPrivilege[];
}

@ApiSchema({ name: 'GroupPrivilegeLevels', description: "Onezone's privilege levels for groups, each cumulative." })
export class GroupPrivilegeLevelsDto {
  @ApiProperty({ type: [String], example: GroupPrivileges.member })
  member: string[];

  @ApiProperty({ type: [String], example: GroupPrivileges.manager })
  manager: string[];

  @ApiProperty({ type: [String], example: GroupPrivileges.admin })
  admin: string[];
}

@ApiSchema({ name: 'GroupMemberAdd', description: 'The privileges a new direct member of a group gets.' })
export class AddToGroupDto {
  @ApiPropertyOptional({ ...GROUP_PRIVILEGE_ITEMS, default: ['group_view'] })
  @ValidateIf(present('privileges'))
  @IsGroupPrivilegeList()
  privileges?: GroupPrivilege[];
}

@ApiSchema({ name: 'GroupInviteTokenRequest', description: 'Limits of a new invite token to a group, and what joining grants.' })
export class MintGroupInviteDto extends LimitedTokenRequest {
  @ApiPropertyOptional({
    ...GROUP_PRIVILEGE_ITEMS,
    description: 'Group privileges the joining user or group gets (default [group_view]); beyond it, minting needs group_set_privileges.',
    default: ['group_view'],
  })
  @ValidateIf(present('privileges'))
  @IsGroupPrivilegeList()
  privileges?: GroupPrivilege[];
}

@ApiSchema({ name: 'GroupJoinRequest', description: 'An invite token.' })
export class JoinWithTokenDto {
  @TokenField('An invite token.')
  token: string;
}

export { AddToSpaceDto, IntermediariesDto, IntermediaryDto } from '../../spaces/dto/members.dto.js';
