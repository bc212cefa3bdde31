import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ValidateIf } from 'class-validator';
import { IsRequestedSupportParameters, type RequestedSupportParameters } from './support-parameters.dto.js';
import { present } from './mint-tokens.dto.js';
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

  @ApiPropertyOptional({
    description:
      'The support parameters to start with (default: both off). Accounting needs the directory statistics; ' +
      'with them on, their status starts as initializing.',
    type: 'object',
    properties: { accountingEnabled: { type: 'boolean' }, dirStatsServiceEnabled: { type: 'boolean' } },
    additionalProperties: false,
    example: { dirStatsServiceEnabled: true },
  })
  @ValidateIf(present('spaceSupportParameters'))
  @IsRequestedSupportParameters()
  spaceSupportParameters?: RequestedSupportParameters;
}
