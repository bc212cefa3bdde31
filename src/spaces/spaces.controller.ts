import { Body, Controller, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Callers, CurrentCaller } from '../auth/auth.decorators.js';
import type { Caller } from '../auth/caller.js';
import { ApiCreatedAt } from '../common/api-created.js';
import { ApiErrors, BODY_ROUTE_ERRORS } from '../common/api-responses.js';
import { Locations } from '../common/location.js';
import { CreateSpaceDto } from './dto/create-space.dto.js';
import { SpacesService } from './spaces.service.js';

@ApiTags('Space')
@ApiBearerAuth()
@ApiSecurity('X-Auth-Token')
@Controller('spaces')
export class SpacesController {
  constructor(
    private readonly spaces: SpacesService,
    private readonly locations: Locations,
  ) {}

  @Post()
  @Callers('user', 'provider')
  @ApiOperation({
    operationId: 'createSpace',
    summary: 'Create new space',
    description:
      'When called by a regular user, creates a new space and creates the current user its owner.\n\n' +
      'When called by a provider, creates a new space and automatically adds support for it, ' +
      'based on the token provided in the request body: the user who minted the space creation ' +
      'token becomes the owner, and the provider supports the space with `size` bytes.',
  })
  @ApiBody({
    type: CreateSpaceDto,
    description: 'Space name.',
    examples: {
      seed: { summary: 'The seed example', value: { name: 'string', token: 'string' } },
      user: { summary: 'By a user', value: { name: 'My space' } },
      provider: {
        summary: 'By a provider, with a space creation token',
        value: { name: 'My space', token: '<space creation token>', size: 1073741824 },
      },
    },
  })
  @ApiCreatedAt('/spaces/{id}')
  @ApiErrors(...BODY_ROUTE_ERRORS)
  async create(
    @CurrentCaller() caller: Extract<Caller, { type: 'user' | 'provider' }>,
    @Body() body: CreateSpaceDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    const id = await this.spaces.createSpace(caller, body);
    res.location(this.locations.of('spaces', id));
  }
}
