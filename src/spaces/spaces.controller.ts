import { Body, Controller, Delete, Get, HttpStatus, Patch, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Callers, ClientIp, CurrentCaller } from '../auth/auth.decorators.js';
import { ApiCreatedAt, ApiDone } from '../common/api-created.js';
import { ApiErrors, BODY_ROUTE_ERRORS, READ_ROUTE_ERRORS } from '../common/api-responses.js';
import { Idempotent } from '../common/idempotency/idempotent.decorator.js';
import { Locations, type ReplyHeaders } from '../common/location.js';
import { CurrentSpace, SpaceRoute } from './access/space-access.decorators.js';
import type { ProviderCaller, SpaceAccess, UserCaller } from './access/space-access.js';
import { CreateSpaceDto } from './dto/create-space.dto.js';
import { PrivilegeLevelsDto, SpaceDto, toSpaceDto, UpdateSpaceDto } from './dto/space.dto.js';
import { SpacePrivileges } from '../access/privileges.js';
import { SpacesService } from './spaces.service.js';
import { SpacesApi } from '../common/spaces-api.decorator.js';

@ApiTags('Space')
@ApiBearerAuth()
@ApiSecurity('X-Auth-Token')
@SpacesApi()
@Controller('spaces')
export class SpacesController {
  constructor(
    private readonly spaces: SpacesService,
    private readonly locations: Locations,
  ) {}

  @Post()
  @Idempotent('spaces')
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
      seed: { summary: "Onezone's documented example", value: { name: 'string', token: 'string' } },
      user: { summary: 'By a user', value: { name: 'My space' } },
      provider: {
        summary: 'By a provider, with a space creation token',
        value: { name: 'My space', token: '<space creation token>', size: 1073741824 },
      },
    },
  })
  @ApiCreatedAt('/spaces/{id}')
  @ApiErrors(...BODY_ROUTE_ERRORS, HttpStatus.NOT_FOUND)
  async create(
    @CurrentCaller() caller: UserCaller | ProviderCaller,
    @Body() body: CreateSpaceDto,
    @Res({ passthrough: true }) res: ReplyHeaders,
    @ClientIp() ip: string | undefined,
  ): Promise<void> {
    const id = await this.spaces.createSpace(caller, body, ip);
    this.locations.set(res, 'spaces', id);
  }

  // Declared before ':id', which would otherwise match it.
  @Get('privileges')
  @Callers('user', 'provider')
  @ApiOperation({
    operationId: 'getSpacePrivileges',
    summary: 'Get space privileges',
    description: 'Lists the privileges of each of the member, manager and admin levels.',
  })
  @ApiOkResponse({ type: PrivilegeLevelsDto })
  @ApiErrors(HttpStatus.UNAUTHORIZED, HttpStatus.FORBIDDEN, HttpStatus.INTERNAL_SERVER_ERROR)
  privileges(): PrivilegeLevelsDto {
    return SpacePrivileges.levels();
  }

  @Get(':id')
  @Callers('user', 'provider')
  @SpaceRoute({ privilege: 'space_view', providers: true, load: true })
  @ApiOperation({
    operationId: 'getSpace',
    summary: 'Get space details',
    description: 'For members with space_view, and for providers that support the space.',
  })
  @ApiOkResponse({ type: SpaceDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  async get(@CurrentSpace() access: SpaceAccess): Promise<SpaceDto> {
    return toSpaceDto(this.spaces.get(access));
  }

  @Patch(':id')
  @Callers('user')
  @SpaceRoute({ privilege: 'space_update' })
  @ApiOperation({ operationId: 'modifySpace', summary: 'Modify space details', description: 'Needs space_update.' })
  @ApiBody({ type: UpdateSpaceDto })
  @ApiDone('The space is renamed.')
  @ApiErrors(...BODY_ROUTE_ERRORS, HttpStatus.NOT_FOUND)
  async update(@CurrentSpace() access: SpaceAccess, @Body() body: UpdateSpaceDto): Promise<void> {
    await this.spaces.rename(access, body.name);
  }

  @Delete(':id')
  @Callers('user')
  @SpaceRoute({ privilege: 'space_delete' })
  @ApiOperation({
    operationId: 'removeSpace',
    summary: 'Remove space',
    description: 'Needs space_delete. Its memberships, supports and the tokens that target it go with it.',
  })
  @ApiDone('The space is deleted.')
  @ApiErrors(...READ_ROUTE_ERRORS)
  async delete(@CurrentSpace() access: SpaceAccess): Promise<void> {
    await this.spaces.delete(access);
  }
}
