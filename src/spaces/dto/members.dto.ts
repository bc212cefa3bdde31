import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ValidateIf } from 'class-validator';
import { IsPrivilegeList } from '../../common/validation/privileges.js';
import { SPACE_PRIVILEGES, type SpacePrivilege } from '../../access/privileges.js';
import { present } from './mint-tokens.dto.js';
import { ID_EXAMPLE } from '../../common/subject.dto.js';

export const PRIVILEGE_ITEMS = { type: 'array' as const, items: { type: 'string' as const, enum: [...SPACE_PRIVILEGES] } };

@ApiSchema({ name: 'SpaceMember', description: 'A member of a space.' })
export class MemberDto {
  @ApiProperty({ example: '6e4ad3b4f5f8d4a3c1e0b2a9d8c7b6a5' })
  userId: string;

  @ApiProperty({ example: 'Alice' })
  name: string;
}

@ApiSchema({ name: 'SpacePrivileges', description: 'Space privileges, in alphabetical order.' })
export class PrivilegesDto {
  @ApiProperty({ ...PRIVILEGE_ITEMS, example: ['space_read_data', 'space_view', 'space_view_transfers', 'space_write_data'] })
  privileges: SpacePrivilege[];
}

@ApiSchema({ name: 'SpacePrivilegesUpdate', description: 'Privileges to grant and to revoke, at least one of them.' })
export class UpdatePrivilegesDto {
  @ApiPropertyOptional({ ...PRIVILEGE_ITEMS, example: ['space_add_user'] })
  @ValidateIf(present('grant'))
  @IsPrivilegeList()
  grant?: SpacePrivilege[];

  @ApiPropertyOptional({ ...PRIVILEGE_ITEMS, example: ['space_write_data'] })
  @ValidateIf(present('revoke'))
  @IsPrivilegeList()
  revoke?: SpacePrivilege[];
}

@ApiSchema({ name: 'SpaceMemberAdd', description: 'The privileges a new direct member of a space gets.' })
export class AddToSpaceDto {
  @ApiPropertyOptional({ ...PRIVILEGE_ITEMS, description: 'Default: the member level.' })
  @ValidateIf(present('privileges'))
  @IsPrivilegeList()
  privileges?: SpacePrivilege[];
}

@ApiSchema({ name: 'MembershipIntermediary', description: 'A direct member through which a subject is a member.' })
export class IntermediaryDto {
  @ApiProperty({ enum: ['group', 'space'], description: '`group`, or the entity itself (`space` or `group`) with id `self`.' })
  type: 'group' | 'space';

  @ApiProperty({ example: ID_EXAMPLE, description: "A group's id, or `self` when the subject is a direct member." })
  id: string;
}

@ApiSchema({ name: 'MembershipIntermediaries', description: 'How a subject is an effective member: group entries by id, then `self`.' })
export class IntermediariesDto {
  @ApiProperty({ type: [IntermediaryDto] })
  intermediaries: IntermediaryDto[];
}
