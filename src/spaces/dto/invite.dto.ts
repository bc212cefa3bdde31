import { ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ValidateIf } from 'class-validator';
import { IsPrivilegeList } from '../../common/validation/privileges.js';
import { SPACE_PRIVILEGES, type SpacePrivilege, SpacePrivileges } from '../../access/privileges.js';
import { TokenField } from '../../tokens/token-field.js';
import { LimitedTokenRequest, present } from './mint-tokens.dto.js';

@ApiSchema({ name: 'SpaceInviteTokenRequest', description: 'Limits of a new invite token, and what joining grants.' })
export class MintInviteTokenDto extends LimitedTokenRequest {
  @ApiPropertyOptional({
    description:
      'Privileges the joining user gets (default: member level). Beyond member level, ' +
      'minting needs space_set_privileges as well as space_add_user.',
    type: 'array',
    items: { type: 'string', enum: [...SPACE_PRIVILEGES] },
    default: SpacePrivileges.member,
  })
  @ValidateIf(present('privileges'))
  @IsPrivilegeList()
  privileges?: SpacePrivilege[];
}

@ApiSchema({ name: 'SpaceJoinRequest', description: 'An invite token to a space.' })
export class JoinSpaceDto {
  @TokenField('An invite token minted with POST /spaces/{id}/users/token.')
  token: string;
}
