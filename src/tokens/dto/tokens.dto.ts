import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { PageDto } from '../../common/pagination/page-query.dto.js';
import { ID_EXAMPLE } from '../../common/subject.dto.js';
import { NULLABLE_SIZE_OUTPUT_SCHEMA, sizeJson } from '../../common/validation/sizes.js';
import { GROUP_PRIVILEGES, GroupPrivileges, SPACE_PRIVILEGES, SpacePrivileges } from '../../access/privileges.js';
import { TokenType } from '../../generated/prisma/enums.js';
import { TokenField } from '../token-field.js';
import { unixSeconds } from '../token-codec.js';
import type { TokenRecord } from '../tokens.repository.js';

@ApiSchema({ name: 'TokenTarget', description: 'What the token is about.' })
export class TokenTargetDto {
  @ApiProperty({ enum: ['space', 'group'] })
  type: 'space' | 'group';

  @ApiProperty({ example: ID_EXAMPLE })
  id: string;
}

@ApiSchema({ name: 'TokenInfo', description: 'A token, as its owner sees it: never the token itself.' })
export class TokenInfoDto {
  @ApiProperty({ example: ID_EXAMPLE })
  tokenId: string;

  @ApiProperty({ enum: Object.values(TokenType) })
  type: TokenType;

  @ApiProperty({ type: TokenTargetDto, nullable: true })
  target: TokenTargetDto | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Unix time (seconds) the token stops working.' })
  validUntil: number | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'How many uses it allows; null = unlimited.' })
  usageLimit: number | null;

  @ApiProperty({ type: 'integer', description: 'How many times it was used.' })
  usageCount: number;

  @ApiProperty({ ...NULLABLE_SIZE_OUTPUT_SCHEMA, description: 'Largest support size it grants (provider support tokens).' })
  maxSize: number | string | null;

  @ApiProperty({
    type: 'array',
    items: { type: 'string', enum: [...SPACE_PRIVILEGES, ...GROUP_PRIVILEGES] },
    description:
      'Privileges a user or group joining with it gets (invite tokens), in alphabetical order: space privileges ' +
      'for invites to a space, group privileges for invites to a group; empty otherwise.',
  })
  privileges: string[];

  @ApiProperty()
  revoked: boolean;

  @ApiProperty({ type: 'integer', description: 'Unix time (seconds) of creation.' })
  creationTime: number;
}

export function toTokenInfo(token: TokenRecord): TokenInfoDto {
  return {
    tokenId: token.id,
    type: token.type,
    target: targetOf(token),
    validUntil: token.validUntil && unixSeconds(token.validUntil),
    usageLimit: token.usageLimit,
    usageCount: token.usageCount,
    maxSize: token.maxSize === null ? null : sizeJson(token.maxSize),
    privileges: token.groupId !== null ? GroupPrivileges.names(BigInt(token.groupPrivileges)) : SpacePrivileges.names(token.privileges),
    revoked: token.revoked,
    creationTime: unixSeconds(token.createdAt),
  };
}

function targetOf(token: TokenRecord): TokenTargetDto | null {
  if (token.groupId !== null) return { type: 'group', id: token.groupId };
  return token.spaceId === null ? null : { type: 'space', id: token.spaceId };
}

@ApiSchema({ name: 'TokenList', description: "The caller's tokens, in ID order." })
export class TokenListDto extends PageDto {
  @ApiProperty({ type: [TokenInfoDto] })
  tokens: TokenInfoDto[];
}

@ApiSchema({ name: 'TokenExamineRequest', description: 'A token to examine.' })
export class ExamineTokenDto {
  @TokenField('Any token this service issued.')
  token: string;
}
