import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsInt, Max, Min, ValidateIf } from 'class-validator';
import { IsByteSize, SIZE_SCHEMA } from '../../common/validation/sizes.js';
import { IsUnixSeconds, MAX_UNIX_SECONDS } from '../../common/validation/unix-time.js';

const present = (key: string) => (o: Record<string, unknown>) => o[key] !== undefined;

/** The limit every minted token may have. */
class ExpiringTokenRequest {
  @ApiPropertyOptional({
    description: 'Unix time (seconds) after which the token no longer works.',
    example: 1900000000,
    maximum: MAX_UNIX_SECONDS,
  })
  @ValidateIf(present('validUntil'))
  @IsUnixSeconds()
  validUntil?: number;
}

@ApiSchema({ name: 'SpaceCreationTokenRequest', description: 'Limits of a new space creation token.' })
export class MintSpaceCreationTokenDto extends ExpiringTokenRequest {}

@ApiSchema({ name: 'ProviderSupportTokenRequest', description: 'Limits of a new provider support token.' })
export class MintProviderSupportTokenDto extends ExpiringTokenRequest {
  @ApiPropertyOptional({
    description: 'Largest support size, in bytes, a space created with the token may get.',
    example: 1073741824,
    ...SIZE_SCHEMA,
  })
  @ValidateIf(present('maxSize'))
  @IsByteSize()
  maxSize?: number | string;

  @ApiPropertyOptional({
    description: 'How many spaces the token may create.',
    default: 1,
    minimum: 1,
    maximum: 1_000_000,
    example: 1,
  })
  @ValidateIf(present('usageLimit'))
  @IsInt({ message: 'usageLimit must be an integer from 1 to 1000000' })
  @Min(1, { message: 'usageLimit must be an integer from 1 to 1000000' })
  @Max(1_000_000, { message: 'usageLimit must be an integer from 1 to 1000000' })
  usageLimit?: number;
}

@ApiSchema({ name: 'Token', description: 'A serialised token.' })
export class TokenDto {
  @ApiProperty({ description: 'The token (macaroon, base64url).', example: 'MDAxNWxvY2F0aW9uIG9uZXpvbmUK…' })
  token: string;
}
