import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { PageDto } from '../../common/pagination/page-query.dto.js';
import { ID_EXAMPLE, SubjectDto } from '../../common/subject.dto.js';
import { IsName } from '../../common/validation/names.js';
import { SIZE_OUTPUT_SCHEMA, sizeJson } from '../../common/validation/sizes.js';
import { unixSeconds } from '../../tokens/token-codec.js';
import { SpacePrivileges } from '../../access/privileges.js';
import type { SpaceRecord } from '../spaces.repository.js';


@ApiSchema({ name: 'SpaceDetails', description: 'A space.' })
export class SpaceDto {
  @ApiProperty({ example: ID_EXAMPLE })
  spaceId: string;

  @ApiProperty({ example: 'My Private space' })
  name: string;

  @ApiProperty({ type: SubjectDto, description: 'Who created the space.' })
  creator: SubjectDto;

  @ApiProperty({ description: 'Unix time (seconds) of creation.', example: 1_795_000_000 })
  creationTime: number;

  @ApiProperty({
    description: 'Supporting providers: provider ID → bytes granted.',
    type: 'object',
    additionalProperties: SIZE_OUTPUT_SCHEMA,
    example: { '0a9d8c7b6a56e4ad3b4f5f8d4a3c1e0b': 1073741824 },
  })
  providers: Record<string, number | string>;
}

export function toSpaceDto(space: SpaceRecord): SpaceDto {
  return {
    spaceId: space.id,
    name: space.name,
    creator: { type: space.creator.type, id: space.creator.id },
    creationTime: unixSeconds(space.createdAt),
    providers: Object.fromEntries(space.supports.map((s) => [s.providerId, sizeJson(s.size)])),
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

@ApiSchema({ name: 'SpaceUpdate', description: 'New space parameters.' })
export class UpdateSpaceDto {
  @ApiProperty({ description: 'The new name of the space.', example: 'Renamed space', minLength: 2, maxLength: 128 })
  @IsName()
  name: string;
}
