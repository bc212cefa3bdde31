import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ValidateIf } from 'class-validator';
import { ZONE_PRIVILEGES, ZONE_VIEWER, type ZonePrivilege, ZonePrivileges } from '../../access/zone-privileges.js';
import { rule } from '../../common/validation/rule.js';
import { present } from './mint-tokens.dto.js';

const ITEMS = { type: 'array' as const, items: { type: 'string' as const, enum: [...ZONE_PRIVILEGES] } };

const IsZonePrivilegeList = rule(
  'isZonePrivilegeList',
  (value) => Array.isArray(value) && value.length <= ZONE_PRIVILEGES.length * 4 && value.every((v) => ZonePrivileges.isPrivilege(v)),
  (p) => `${p} must be an array of zone privileges (known: ${ZONE_PRIVILEGES.join(', ')})`,
);

@ApiSchema({ name: 'ZonePrivilegeLevels', description: 'The zone privileges: all of them (admin) and those of a viewer, alphabetically.' })
export class ZonePrivilegeLevelsDto {
  @ApiProperty({ ...ITEMS, example: [...ZONE_PRIVILEGES] })
  admin: ZonePrivilege[];

  @ApiProperty({ ...ITEMS, example: [...ZONE_VIEWER] })
  viewer: ZonePrivilege[];
}

@ApiSchema({ name: 'ZonePrivileges', description: "A user's zone privileges, alphabetically." })
export class ZonePrivilegesDto {
  @ApiProperty({ ...ITEMS, example: ['oz_spaces_view'] })
  privileges: ZonePrivilege[];
}

@ApiSchema({ name: 'ZonePrivilegesUpdate', description: 'Zone privileges to grant and to revoke, at least one of them.' })
export class UpdateZonePrivilegesDto {
  @ApiPropertyOptional({ ...ITEMS, example: ['oz_spaces_view'] })
  @ValidateIf(present('grant'))
  @IsZonePrivilegeList()
  grant?: ZonePrivilege[];

  @ApiPropertyOptional({ ...ITEMS, example: ['oz_spaces_update'] })
  @ValidateIf(present('revoke'))
  @IsZonePrivilegeList()
  revoke?: ZonePrivilege[];
}
