import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { IsGiven } from '../../common/validation/presence.js';
import { IsByteSize, SIZE_SCHEMA } from '../../common/validation/sizes.js';
import { TokenField } from '../../tokens/token-field.js';
import { LimitedTokenRequest } from './mint-tokens.dto.js';

@ApiSchema({ name: 'SpaceSupportTokenRequest', description: 'Limits of a new space support token.' })
export class MintSupportTokenDto extends LimitedTokenRequest {}

@ApiSchema({ name: 'SpaceSupportRequest', description: 'A space support token and the size the provider grants.' })
export class SupportSpaceDto {
  @TokenField('A space support token minted with POST /spaces/{id}/providers/token.')
  token: string;

  @ApiProperty({ description: 'Storage size in bytes the provider grants the space.', example: 1073741824, ...SIZE_SCHEMA })
  @IsByteSize()
  @IsGiven({ message: 'size is required' }) // nearest the field: reported first
  size: number | string;
}
