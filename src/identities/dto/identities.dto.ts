import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsInt, Max, Min, ValidateIf } from 'class-validator';
import { IsName } from '../../common/validation/names.js';
import { IsByteSize, SIZE_SCHEMA } from '../../common/validation/sizes.js';

export const MAX_TTL_SECONDS = 10 * 365 * 24 * 3600;

@ApiSchema({ name: 'NewUser', description: 'A user to register.' })
export class CreateUserDto {
  @ApiProperty({ description: 'Full name of the user.', example: 'Alice Smith', minLength: 2, maxLength: 128 })
  @IsName()
  name: string;
}

@ApiSchema({ name: 'NewProvider', description: 'A storage provider to register.' })
export class CreateProviderDto {
  @ApiProperty({ description: 'Name of the provider.', example: 'Cyfronet', minLength: 2, maxLength: 128 })
  @IsName()
  name: string;

  @ApiPropertyOptional({
    description: 'Total bytes the provider may grant to spaces; unlimited when absent.',
    example: 1099511627776,
    ...SIZE_SCHEMA,
  })
  @ValidateIf((o: CreateProviderDto) => o.capacity !== undefined)
  @IsByteSize()
  capacity?: number | string;
}

@ApiSchema({ name: 'AccessTokenRequest', description: 'Limits of a new access token.' })
export class MintAccessTokenDto {
  @ApiPropertyOptional({
    description: 'Lifetime in seconds; the token does not expire when absent.',
    example: 3600,
    minimum: 1,
    maximum: MAX_TTL_SECONDS,
  })
  @ValidateIf((o: MintAccessTokenDto) => o.ttl !== undefined)
  @IsInt({ message: `ttl must be an integer number of seconds from 1 to ${MAX_TTL_SECONDS}` })
  @Min(1, { message: `ttl must be an integer number of seconds from 1 to ${MAX_TTL_SECONDS}` })
  @Max(MAX_TTL_SECONDS, { message: `ttl must be an integer number of seconds from 1 to ${MAX_TTL_SECONDS}` })
  ttl?: number;
}

@ApiSchema({ name: 'User', description: 'A registered user, with an access token.' })
export class UserCreatedDto {
  @ApiProperty({ example: '6e4ad3b4f5f8d4a3c1e0b2a9d8c7b6a5' })
  userId: string;
  @ApiProperty({ example: 'Alice Smith' })
  name: string;
  @ApiProperty({ description: 'An access token of the new user.' })
  token: string;
}

@ApiSchema({ name: 'Provider', description: 'A registered provider, with an access token.' })
export class ProviderCreatedDto {
  @ApiProperty({ example: '0b8e6f2a4c1d3e5f7a9b0c2d4e6f8a1b' })
  providerId: string;
  @ApiProperty({ example: 'Cyfronet' })
  name: string;
  @ApiProperty({ description: 'An access token of the new provider.' })
  token: string;
}
