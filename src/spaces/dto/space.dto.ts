import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import { ValidateIf } from 'class-validator';
import { PageDto } from '../../common/pagination/page-query.dto.js';
import { ID_EXAMPLE } from '../../common/subject.dto.js';
import { IsName } from '../../common/validation/names.js';
import { SIZE_OUTPUT_SCHEMA, sizeJson } from '../../common/validation/sizes.js';
import { unixSeconds } from '../../tokens/token-codec.js';
import { SpacePrivileges } from '../../access/privileges.js';
import { DIR_STATS_STATUSES, type DirStatsServiceStatus, type SpaceRecord } from '../../access/access.repository.js';
import { present } from './mint-tokens.dto.js';
import { SpaceMetadataFields } from './space-metadata.dto.js';

@ApiSchema({ name: 'SpaceSupportParameters', description: "A support's parameters." })
export class SupportParametersDto {
  @ApiProperty({ example: false })
  accountingEnabled: boolean;

  @ApiProperty({ example: false })
  dirStatsServiceEnabled: boolean;

  @ApiProperty({ enum: DIR_STATS_STATUSES, example: 'disabled', description: 'As the provider reports it.' })
  dirStatsServiceStatus: DirStatsServiceStatus;
}

@ApiSchema({ name: 'SpaceCreator', description: 'Who created the space: a user, a provider, or nobody (the administrator).' })
export class SpaceCreatorDto {
  @ApiProperty({ enum: ['user', 'provider', 'nobody'] })
  type: 'user' | 'provider' | 'nobody';

  @ApiProperty({ type: String, nullable: true, example: ID_EXAMPLE, description: 'null for nobody.' })
  id: string | null;
}

@ApiSchema({ name: 'SpaceDetails', description: 'A space.' })
@ApiExtraModels(SupportParametersDto)
export class SpaceDto {
  @ApiProperty({ example: ID_EXAMPLE })
  spaceId: string;

  @ApiProperty({ example: 'My Private space' })
  name: string;

  @ApiProperty({ description: 'Markdown, as stored.', example: '' })
  description: string;

  @ApiProperty({ example: '' })
  organizationName: string;

  @ApiProperty({ type: [String], example: ['science'] })
  tags: string[];

  @ApiProperty({ example: false })
  advertisedInMarketplace: boolean;

  @ApiProperty({
    description:
      'The real address only for members holding space_view and space_manage_in_marketplace, and the administrator; "" for others.',
    example: '',
  })
  marketplaceContactEmail: string;

  @ApiProperty({
    description: 'Supporting providers: provider ID → bytes granted.',
    type: 'object',
    additionalProperties: SIZE_OUTPUT_SCHEMA,
    example: { '0a9d8c7b6a56e4ad3b4f5f8d4a3c1e0b': 1073741824 },
  })
  providers: Record<string, number | string>;

  @ApiProperty({
    description: 'Supporting providers: provider ID → support parameters.',
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(SupportParametersDto) },
  })
  supportParametersRegistry: Record<string, SupportParametersDto>;

  @ApiProperty({ type: SpaceCreatorDto, description: 'Who created the space.' })
  creator: SpaceCreatorDto;

  @ApiProperty({ description: 'Unix time (seconds) of creation.', example: 1_795_000_000 })
  creationTime: number;
}

/** The space as answers show it; the contact email only to who may see it. */
export function toSpaceDto(space: SpaceRecord, showContactEmail: boolean): SpaceDto {
  return {
    spaceId: space.id,
    name: space.name,
    description: space.description,
    organizationName: space.organizationName,
    tags: [...space.tags],
    advertisedInMarketplace: space.advertisedInMarketplace,
    marketplaceContactEmail: showContactEmail ? space.marketplaceContactEmail : '',
    providers: Object.fromEntries(space.supports.map((s) => [s.providerId, sizeJson(s.size)])),
    supportParametersRegistry: Object.fromEntries(
      space.supports.map((s) => [
        s.providerId,
        {
          accountingEnabled: s.accountingEnabled,
          dirStatsServiceEnabled: s.dirStatsServiceEnabled,
          dirStatsServiceStatus: s.dirStatsServiceStatus,
        },
      ]),
    ),
    creator: { type: space.creator.type, id: space.creator.id },
    creationTime: unixSeconds(space.createdAt),
  };
}

@ApiSchema({ name: 'SpaceList', description: 'Space IDs, in ID order.' })
export class SpaceListDto extends PageDto {
  @ApiProperty({ type: [String], example: [ID_EXAMPLE] })
  spaces: string[];
}

@ApiSchema({ name: 'UserList', description: 'User IDs, in ID order.' })
export class UserListDto extends PageDto {
  @ApiProperty({ type: [String], example: [ID_EXAMPLE] })
  users: string[];
}

@ApiSchema({ name: 'ProviderList', description: 'Provider IDs, in ID order.' })
export class ProviderListDto extends PageDto {
  @ApiProperty({ type: [String], example: [ID_EXAMPLE] })
  providers: string[];
}

@ApiSchema({
  name: 'SpacePrivilegeLevels',
  description: "Onezone's privilege levels for spaces, each cumulative, privileges in alphabetical order.",
})
export class PrivilegeLevelsDto {
  @ApiProperty({ type: [String], example: SpacePrivileges.member })
  member: string[];

  @ApiProperty({ type: [String], example: SpacePrivileges.manager })
  manager: string[];

  @ApiProperty({ type: [String], example: SpacePrivileges.admin })
  admin: string[];
}

@ApiSchema({ name: 'SpaceUpdate', description: 'New space parameters: at least one field.' })
export class UpdateSpaceDto extends SpaceMetadataFields {
  @ApiPropertyOptional({ description: 'The new name of the space.', example: 'Renamed space', minLength: 2, maxLength: 128 })
  @ValidateIf(present('name'))
  @IsName()
  name?: string;
}

@ApiSchema({ name: 'GroupSpaceCreation', description: 'The name of a new space for a group.' })
export class CreateGroupSpaceDto {
  @ApiProperty({ description: 'The name of the space.', example: 'Group space', minLength: 2, maxLength: 128 })
  @IsName()
  name: string;
}
