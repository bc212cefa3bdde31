import { ApiPropertyOptional, ApiProperty, ApiSchema } from '@nestjs/swagger';
import { IsString, MaxLength, ValidateIf } from 'class-validator';
import { IsName } from '../../common/validation/names.js';
import { IsByteSize, SIZE_SCHEMA } from '../../common/validation/sizes.js';
import { MAX_TOKEN_LENGTH } from '../../tokens/token-codec.js';
import { SpaceMetadataFields } from './space-metadata.dto.js';

/** Body of POST /spaces: Onezone's documented `{name, token}`, with the size a provider grants and the space's descriptive fields. */
@ApiSchema({ name: 'CreateSpace', description: 'New space parameters.' })
export class CreateSpaceDto extends SpaceMetadataFields {
  @ApiProperty({ description: 'The name of the space.', example: 'string', minLength: 2, maxLength: 128 })
  @IsName()
  name: string;

  @ApiPropertyOptional({
    description:
      'Space creation token (only for providers): minted by a user with POST /user/spaces/token; ' +
      'that user becomes the owner of the new space.',
    example: 'string',
  })
  @ValidateIf((o: CreateSpaceDto) => o.token !== undefined)
  @IsString({ message: 'token must be a string' })
  @MaxLength(MAX_TOKEN_LENGTH, { message: `token must be at most ${MAX_TOKEN_LENGTH} characters long` })
  token?: string;

  @ApiPropertyOptional({
    description: 'Storage size in bytes the calling provider grants the space (only for providers, required from them).',
    example: 1073741824,
    ...SIZE_SCHEMA,
  })
  @ValidateIf((o: CreateSpaceDto) => o.size !== undefined)
  @IsByteSize()
  size?: number | string;
}
