import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsString, MaxLength, ValidateIf } from 'class-validator';
import { IsGiven } from '../../common/validation/presence.js';
import { IsName } from '../../common/validation/names.js';
import { IsByteSize, SIZE_SCHEMA } from '../../common/validation/sizes.js';
import { MAX_TOKEN_LENGTH } from '../../tokens/token-codec.js';
import { SpaceMetadataFields } from './space-metadata.dto.js';

/** The provider token of Onezone's documented example of POST /user/spaces. */
export const SEED_PROVIDER_TOKEN =
  'JKAxNWxvY2F0aW9uIG9uZXpvbmUKMDAzYmlkZW50aWZpZXIgOEhmSEFSSGdrbHFCa1pWSTRsNk1CVHZTU3Z0OThwcHA2OTQ4czhRN1NPawowMDFhY2lkIHRpbWUgPCAxNDk2MTQwMTQ0CjAwMmZzaWduYXR1cmUg88OIBmav38YI0Z2-dw-fvrZ3XP-J0HjCN0taT3_WungK';

const hasToken = (o: CreateUserSpaceDto) => o.token !== undefined || o.size !== undefined;

/** Body of POST /user/spaces: the `Space` definition of Onezone's documentation. */
@ApiSchema({ name: 'Space', description: 'New space parameters.' })
export class CreateUserSpaceDto extends SpaceMetadataFields {
  @ApiProperty({
    description: 'The name of the space.',
    example: 'My Private space',
    minLength: 2,
    maxLength: 128,
  })
  @IsName()
  name: string;

  @ApiPropertyOptional({
    description:
      'Provider token: a provider support token (minted by a provider with POST /provider/spaces/token). ' +
      'With `size`, the space is created already supported by that provider.',
    example: SEED_PROVIDER_TOKEN,
  })
  @ValidateIf(hasToken)
  @IsString({ message: 'token must be a string' })
  @MaxLength(MAX_TOKEN_LENGTH, { message: `token must be at most ${MAX_TOKEN_LENGTH} characters long` })
  @IsGiven({ message: 'token is required when size is given' }) // nearest the field: reported first
  token?: string;

  @ApiPropertyOptional({
    description: 'Storage size in bytes that the provider grants the space; required with `token`.',
    example: 150,
    ...SIZE_SCHEMA,
  })
  @ValidateIf(hasToken)
  @IsByteSize()
  @IsGiven({ message: 'size is required when token is given' }) // nearest the field: reported first
  size?: number | string;
}
