import { ApiProperty, ApiSchema } from '@nestjs/swagger';

@ApiSchema({ name: 'Configuration', description: "The zone's public configuration (a part of Onezone's)." })
export class ConfigurationDto {
  @ApiProperty({ description: 'The version of the service.', example: '0.1.0' })
  version: string;

  @ApiProperty({
    description: 'The tags spaces may carry, by category, as configured.',
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    example: { general: ['open-data', 'demo'], domains: ['science'] },
  })
  availableSpaceTags: Record<string, string[]>;

  @ApiProperty({ description: 'Whether the Space Marketplace is open.', example: true })
  spaceMarketplaceEnabled: boolean;

  @ApiProperty({ description: 'Seconds a membership request must wait before it may be repeated as a reminder.', example: 86400 })
  spaceMarketplaceMinBackoffBetweenReminders: number;

  @ApiProperty({ description: 'Seconds after a rejection before the user may ask to join again.', example: 86400 })
  spaceMarketplaceMinBackoffAfterRejection: number;
}
