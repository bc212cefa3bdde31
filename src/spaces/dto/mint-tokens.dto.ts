import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsInt, Max, Min, ValidateIf } from 'class-validator';
import { IsByteSize, SIZE_SCHEMA } from '../../common/validation/sizes.js';
import { IsUnixSeconds, MAX_UNIX_SECONDS } from '../../common/validation/unix-time.js';

export const present = (key: string) => (o: Record<string, unknown>) => o[key] !== undefined;

const MAX_USAGE_LIMIT = 1_000_000;
const USAGE_LIMIT_RULE = `usageLimit must be an integer from 1 to ${MAX_USAGE_LIMIT}`;

/** The limit every minted token may have. */
export class ExpiringTokenRequest {
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

/** Limits of a token that may be used more than once. */
export class LimitedTokenRequest extends ExpiringTokenRequest {
  @ApiPropertyOptional({
    description: 'How many times the token may be used.',
    default: 1,
    minimum: 1,
    maximum: MAX_USAGE_LIMIT,
    example: 1,
  })
  @ValidateIf(present('usageLimit'))
  @IsInt({ message: USAGE_LIMIT_RULE })
  @Min(1, { message: USAGE_LIMIT_RULE })
  @Max(MAX_USAGE_LIMIT, { message: USAGE_LIMIT_RULE })
  usageLimit?: number;
}

@ApiSchema({ name: 'ProviderSupportTokenRequest', description: 'Limits of a new provider support token.' })
export class MintProviderSupportTokenDto extends LimitedTokenRequest {
  @ApiPropertyOptional({
    description: 'Largest support size, in bytes, a space created with the token may get.',
    example: 1073741824,
    ...SIZE_SCHEMA,
  })
  @ValidateIf(present('maxSize'))
  @IsByteSize()
  maxSize?: number | string;
}

@ApiSchema({ name: 'Token', description: 'A serialised token.' })
export class TokenDto {
  @ApiProperty({ description: 'The token (macaroon, base64url).', example: 'MDAxNWxvY2F0aW9uIG9uZXpvbmUK…' })
  token: string;
}
