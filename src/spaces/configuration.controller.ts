import { readFileSync } from 'node:fs';
import { Controller, Get, HttpStatus, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators.js';
import { ApiErrors } from '../common/api-responses.js';
import { SpacesApi } from '../common/spaces-api.decorator.js';
import type { AppConfig } from '../config/environment.js';
import { SPACES_CONFIG } from '../config/spaces-config.js';
import { ConfigurationDto } from './dto/configuration.dto.js';

/** The package's version, read once (package.json sits two folders above this file, built or not). */
const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

@ApiTags('Zone')
@SpacesApi()
@Controller('configuration')
export class ConfigurationController {
  constructor(@Inject(SPACES_CONFIG) private readonly config: AppConfig) {}

  @Get()
  @Public()
  @ApiOperation({
    operationId: 'getConfiguration',
    summary: 'Get public configuration',
    description:
      'What clients need to know about the zone before they sign in: the version, the tags spaces may carry, and the ' +
      'Marketplace settings. Needs no authentication (rate-limited by client address).',
    security: [],
  })
  @ApiOkResponse({ type: ConfigurationDto })
  @ApiErrors(HttpStatus.TOO_MANY_REQUESTS, HttpStatus.INTERNAL_SERVER_ERROR)
  get(): ConfigurationDto {
    return {
      version: VERSION,
      availableSpaceTags: Object.fromEntries(
        Object.entries(this.config.AVAILABLE_SPACE_TAGS).map(([category, tags]) => [category, [...tags]]),
      ),
      spaceMarketplaceEnabled: this.config.SPACE_MARKETPLACE_ENABLED,
      spaceMarketplaceMinBackoffBetweenReminders: this.config.MARKETPLACE_REMINDER_BACKOFF_SECONDS,
      spaceMarketplaceMinBackoffAfterRejection: this.config.MARKETPLACE_REJECTION_BACKOFF_SECONDS,
    };
  }
}
