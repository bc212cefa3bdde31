import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Callers, ClientIp, CurrentCaller } from '../auth/auth.decorators.js';
import { ApiCreatedAt, ApiDone } from '../common/api-created.js';
import { ApiErrors, BODY_ROUTE_ERRORS, OWN_LIST_ERRORS, READ_ROUTE_ERRORS } from '../common/api-responses.js';
import { Idempotent } from '../common/idempotency/idempotent.decorator.js';
import { Locations, type ReplyHeaders } from '../common/location.js';
import { PageQueryDto, pageRequest } from '../common/pagination/page-query.dto.js';
import { listBody } from '../common/pagination/pagination.js';
import { CurrentSpace, SpaceRoute } from './access/space-access.decorators.js';
import type { UserCaller, UserSpaceAccess } from './access/space-access.js';
import { JoinSpaceDto } from './dto/invite.dto.js';
import { SpaceDto, SpaceListDto } from './dto/space.dto.js';
import { MembersService } from './members.service.js';
import { CreateUserSpaceDto, SEED_PROVIDER_TOKEN } from './dto/create-user-space.dto.js';
import { MintSpaceCreationTokenDto, TokenDto } from './dto/mint-tokens.dto.js';
import { SpacesService } from './spaces.service.js';
import { SpacesApi } from '../common/spaces-api.decorator.js';

@ApiTags('User')
@ApiBearerAuth()
@ApiSecurity('X-Auth-Token')
@SpacesApi()
@Controller('user/spaces')
export class UserSpacesController {
  constructor(
    private readonly spaces: SpacesService,
    private readonly members: MembersService,
    private readonly locations: Locations,
  ) {}

  @Get()
  @Callers('user')
  @ApiOperation({
    operationId: 'listUserSpaces',
    summary: 'List user spaces',
    description: 'The IDs of the spaces the current user is a direct member of.',
  })
  @ApiOkResponse({ type: SpaceListDto })
  @ApiErrors(...OWN_LIST_ERRORS)
  async list(@CurrentCaller() caller: UserCaller, @Query() query: PageQueryDto): Promise<SpaceListDto> {
    const page = await this.spaces.listOfUser(caller, pageRequest(query));
    return listBody('spaces', page);
  }

  @Post()
  @Idempotent('user', 'spaces')
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
        summary: "Supported by a provider (Onezone's documented example)",
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
  @ApiErrors(...BODY_ROUTE_ERRORS, HttpStatus.NOT_FOUND)
  async create(
    @CurrentCaller() caller: UserCaller,
    @Body() body: CreateUserSpaceDto,
    @Res({ passthrough: true }) res: ReplyHeaders,
    @ClientIp() ip: string | undefined,
  ): Promise<void> {
    const id = await this.spaces.createUserSpace(caller, body, ip);
    this.locations.set(res, 'user', 'spaces', id);
  }

  @Post('token')
  @Callers('user')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'createSpaceCreationToken',
    summary: 'Mint a space creation token',
    description: 'Returns a single-use token with which a provider creates a space owned by the current user (POST /spaces).',
  })
  @ApiBody({ type: MintSpaceCreationTokenDto, required: false })
  @ApiOkResponse({ type: TokenDto, description: 'The new token.' })
  @ApiErrors(...BODY_ROUTE_ERRORS)
  async mint(@CurrentCaller() caller: UserCaller, @Body() body: MintSpaceCreationTokenDto): Promise<TokenDto> {
    return { token: await this.spaces.mintSpaceCreationToken(caller, body) };
  }

  @Post('join')
  @Idempotent('user', 'spaces')
  @Callers('user')
  @ApiOperation({
    operationId: 'joinSpace',
    summary: 'Join space',
    description:
      'Joins the space an invite token (POST /spaces/{id}/users/token) is for, with the privileges it grants. ' +
      'A member who joins again gets 409; a failure consumes nothing.',
  })
  @ApiBody({ type: JoinSpaceDto })
  @ApiCreatedAt('/user/spaces/{id}')
  @ApiErrors(...BODY_ROUTE_ERRORS, HttpStatus.CONFLICT)
  async join(
    @CurrentCaller() caller: UserCaller,
    @Body() body: JoinSpaceDto,
    @Res({ passthrough: true }) res: ReplyHeaders,
    @ClientIp() ip: string | undefined,
  ): Promise<void> {
    const id = await this.members.join(caller, body.token, ip);
    this.locations.set(res, 'user', 'spaces', id);
  }

  @Get(':id')
  @Callers('user')
  @SpaceRoute({ load: true })
  @ApiOperation({
    operationId: 'getUserSpace',
    summary: 'Get user space details',
    description: 'Any effective member (directly or through groups).',
  })
  @ApiOkResponse({ type: SpaceDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  async get(@CurrentSpace() access: UserSpaceAccess): Promise<SpaceDto> {
    return this.spaces.view(access);
  }

  @Delete(':id')
  @Callers('user')
  @SpaceRoute()
  @ApiOperation({
    operationId: 'leaveSpace',
    summary: 'Leave space',
    description:
      'The current user, a direct member (404 otherwise), leaves the space. The last owner cannot leave while other ' +
      'users remain, directly or through groups (400); the sole user who leaves leaves a space without owners.',
  })
  @ApiDone('The user is no longer a member.')
  @ApiErrors(HttpStatus.BAD_REQUEST, ...READ_ROUTE_ERRORS)
  async leave(@CurrentSpace() access: UserSpaceAccess): Promise<void> {
    await this.members.leave(access);
  }
}

/** The spaces the current user is a member of, directly or through groups. */
@ApiTags('User')
@ApiBearerAuth()
@ApiSecurity('X-Auth-Token')
@SpacesApi()
@Controller('user/effective_spaces')
export class UserEffectiveSpacesController {
  constructor(private readonly spaces: SpacesService) {}

  @Get()
  @Callers('user')
  @ApiOperation({
    operationId: 'listEffectiveUserSpaces',
    summary: 'List effective user spaces',
    description: 'The IDs of the spaces the current user is a member of, directly or through groups.',
  })
  @ApiOkResponse({ type: SpaceListDto })
  @ApiErrors(...OWN_LIST_ERRORS)
  async list(@CurrentCaller() caller: UserCaller, @Query() query: PageQueryDto): Promise<SpaceListDto> {
    return listBody('spaces', await this.spaces.listOfUser(caller, pageRequest(query), true));
  }

  @Get(':id')
  @Callers('user')
  @SpaceRoute({ load: true })
  @ApiOperation({ operationId: 'getEffectiveUserSpace', summary: 'Get effective user space details', description: 'Any effective member.' })
  @ApiOkResponse({ type: SpaceDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  async get(@CurrentSpace() access: UserSpaceAccess): Promise<SpaceDto> {
    return this.spaces.view(access);
  }
}
