import { Body, Controller, HttpCode, HttpStatus, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Callers, CurrentCaller } from '../auth/auth.decorators.js';
import type { Caller } from '../auth/caller.js';
import { ApiCreatedAt } from '../common/api-created.js';
import { ApiErrors, BODY_ROUTE_ERRORS } from '../common/api-responses.js';
import { Locations } from '../common/location.js';
import { CreateUserSpaceDto, SEED_PROVIDER_TOKEN } from './dto/create-user-space.dto.js';
import { MintSpaceCreationTokenDto, TokenDto } from './dto/mint-tokens.dto.js';
import { SpacesService } from './spaces.service.js';

type UserCaller = Extract<Caller, { type: 'user' }>;

@ApiTags('User')
@ApiBearerAuth()
@ApiSecurity('X-Auth-Token')
@Controller('user/spaces')
export class UserSpacesController {
  constructor(
    private readonly spaces: SpacesService,
    private readonly locations: Locations,
  ) {}

  @Post()
  @Callers('user')
  @ApiOperation({
    operationId: 'createUserSpace',
    summary: 'Create a new space',
    description:
      "Creates a new space as current user. The user automatically becomes the space's member.\n\n" +
      'This operation can be invoked on behalf of current user only.\n\n' +
      'With a provider support `token` and a `size`, the space is created already supported by that provider.',
  })
  @ApiBody({
    type: CreateUserSpaceDto,
    description: 'New space parameters.',
    examples: {
      seed: {
        summary: 'Supported by a provider (the seed example)',
        value: { name: 'My Private space', token: SEED_PROVIDER_TOKEN, size: 150 },
      },
      plain: { summary: 'Name only', value: { name: 'My Private space' } },
      sizeAsString: {
        summary: 'Size as a string of digits',
        value: { name: 'My Private space', token: SEED_PROVIDER_TOKEN, size: '150' },
      },
    },
  })
  @ApiCreatedAt('/user/spaces/{id}')
  @ApiErrors(...BODY_ROUTE_ERRORS)
  async create(
    @CurrentCaller() caller: UserCaller,
    @Body() body: CreateUserSpaceDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    const id = await this.spaces.createUserSpace(caller, body);
    res.location(this.locations.of('user', 'spaces', id));
  }

  @Post('token')
  @Callers('user')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'createSpaceCreationToken',
    summary: 'Mint a space creation token',
    description:
      'Returns a single-use token with which a provider creates a space owned by the current user (POST /spaces).',
  })
  @ApiBody({ type: MintSpaceCreationTokenDto, required: false })
  @ApiOkResponse({ type: TokenDto, description: 'The new token.' })
  @ApiErrors(...BODY_ROUTE_ERRORS)
  async mint(@CurrentCaller() caller: UserCaller, @Body() body: MintSpaceCreationTokenDto): Promise<TokenDto> {
    return { token: await this.spaces.mintSpaceCreationToken(caller, body) };
  }
}
