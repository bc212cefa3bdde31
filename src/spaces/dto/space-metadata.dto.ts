import { ApiPropertyOptional } from '@nestjs/swagger';
import { ValidateIf } from 'class-validator';
import {
  DESCRIPTION_MAX_LENGTH,
  EMAIL_MAX_BYTES,
  IsContactEmail,
  IsDescription,
  IsOrganizationName,
  IsStrictBoolean,
  IsTagList,
  ORGANIZATION_NAME_MAX_LENGTH,
} from '../../common/validation/space-metadata.js';
import { present } from './mint-tokens.dto.js';

/** The names of a space's writable descriptive fields. */
export const METADATA_FIELDS = ['description', 'organizationName', 'tags', 'advertisedInMarketplace', 'marketplaceContactEmail'] as const;

/** The fields that need space_manage_in_marketplace to be sent at all. */
export const MARKETPLACE_FIELDS = ['advertisedInMarketplace', 'marketplaceContactEmail'] as const;

/** A space's descriptive fields, each optional; null is refused. */
export class SpaceMetadataFields {
  @ApiPropertyOptional({
    description: 'Markdown, stored verbatim (never rendered or sanitised).',
    maxLength: DESCRIPTION_MAX_LENGTH,
    example: '# Meteo\nWeather station data.',
  })
  @ValidateIf(present('description'))
  @IsDescription()
  description?: string;

  @ApiPropertyOptional({ maxLength: ORGANIZATION_NAME_MAX_LENGTH, example: 'ACK Cyfronet AGH' })
  @ValidateIf(present('organizationName'))
  @IsOrganizationName()
  organizationName?: string;

  @ApiPropertyOptional({
    description: 'Tags from the configured list (GET /configuration, `availableSpaceTags`); repeats are dropped, the order kept.',
    type: 'array',
    items: { type: 'string' },
    example: ['science', 'open-data'],
  })
  @ValidateIf(present('tags'))
  @IsTagList()
  tags?: string[];

  @ApiPropertyOptional({
    description:
      'Whether the space is in the Space Marketplace. Needs space_manage_in_marketplace; while true, ' +
      '`description`, `organizationName` and `marketplaceContactEmail` must be non-empty.',
    example: false,
  })
  @ValidateIf(present('advertisedInMarketplace'))
  @IsStrictBoolean()
  advertisedInMarketplace?: boolean;

  @ApiPropertyOptional({
    description: 'Where Marketplace visitors reach the space\'s managers: "" or an email address. Needs space_manage_in_marketplace.',
    maxLength: EMAIL_MAX_BYTES,
    example: 'ops@example.org',
  })
  @ValidateIf(present('marketplaceContactEmail'))
  @IsContactEmail()
  marketplaceContactEmail?: string;
}
