import { SPACE_NEEDS } from './access/space-needs.js';
import { Body, Controller, Delete, Get, HttpStatus, Patch, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Callers, ClientIp, CurrentCaller } from '../auth/auth.decorators.js';
import { ApiCreatedAt, ApiDone } from '../common/api-created.js';
import { ApiErrors, BODY_ROUTE_ERRORS, OWN_LIST_ERRORS, READ_ROUTE_ERRORS } from '../common/api-responses.js';
import { PageQueryDto, pageRequest } from '../common/pagination/page-query.dto.js';
import { listBody } from '../common/pagination/pagination.js';
import { CreationFieldsGuard } from './access/creation-fields.guard.js';
import { ZoneRoute } from './access/zone-route.js';
import { Idempotent } from '../common/idempotency/idempotent.decorator.js';
import { Locations, type ReplyHeaders } from '../common/location.js';
import { CurrentSpace, SpaceRoute } from './access/space-access.decorators.js';
import type { AdminCaller, ProviderCaller, SpaceAccess, UserCaller } from './access/space-access.js';
import { CreateSpaceDto } from './dto/create-space.dto.js';
import { PrivilegeLevelsDto, SpaceDto, SpaceListDto, UpdateSpaceDto } from './dto/space.dto.js';
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

  @Get()
  @Callers('admin', 'user')
  @ZoneRoute('oz_spaces_list')
  @ApiOperation({
    operationId: 'listSpaces',
    summary: 'List all spaces',
    description: 'The administrator, or a user holding oz_spaces_list: the IDs of every space, in ID order.',
  })
  @ApiOkResponse({ type: SpaceListDto })
  @ApiErrors(...OWN_LIST_ERRORS)
  async list(@Query() query: PageQueryDto): Promise<SpaceListDto> {
    return listBody('spaces', await this.spaces.listAll(pageRequest(query)));
  }

  @Post()
  @Idempotent('spaces')
  @Callers('user', 'provider', 'admin')
  @UseGuards(CreationFieldsGuard)
  @ApiOperation({
    operationId: 'createSpace',
    summary: 'Create new space',
    description:
      'When called by a regular user, creates a new space and creates the current user its owner.\n\n' +
      'When called by a provider, creates a new space and automatically adds support for it, ' +
      'based on the token provided in the request body: the user who minted the space creation ' +
      'token becomes the owner, and the provider supports the space with `size` bytes. A provider may set ' +
      '`description`, `organizationName` and `tags`, not the Marketplace fields (403).\n\n' +
      'When called by the administrator, creates a space without members or owner (creator `nobody`); ' +
      'users are then added with PUT /spaces/{id}/users/{uid}, the first becoming its owner.\n\n' +
      'An advertised space (`advertisedInMarketplace: true`) needs a non-empty `description`, ' +
      '`organizationName` and `marketplaceContactEmail`.',
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
      advertised: {
        summary: 'Advertised in the Marketplace',
        value: {
          name: 'Meteo',
          description: '# Meteo\nWeather station data.',
          organizationName: 'ACK Cyfronet AGH',
          tags: ['open-data', 'environment'],
          advertisedInMarketplace: true,
          marketplaceContactEmail: 'ops@example.org',
        },
      },
    },
  })
  @ApiCreatedAt('/spaces/{id}')
  @ApiErrors(...BODY_ROUTE_ERRORS, HttpStatus.NOT_FOUND)
  async create(
    @CurrentCaller() caller: UserCaller | ProviderCaller | AdminCaller,
    @Body() body: CreateSpaceDto,
    @Res({ passthrough: true }) res: ReplyHeaders,
    @ClientIp() ip: string | undefined,
  ): Promise<void> {
    const id = await this.spaces.createSpace(caller, body, ip);
    this.locations.set(res, 'spaces', id);
  }

  // Declared before ':id', which would otherwise match it.
  @Get('privileges')
  @Callers('user', 'provider', 'admin')
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
  @Callers('user', 'provider', 'admin')
  @SpaceRoute(SPACE_NEEDS.get)
  @ApiOperation({
    operationId: 'getSpace',
    summary: 'Get space details',
    description:
      'For members with space_view, providers that support the space, and the administrator. ' +
      '`marketplaceContactEmail` is "" except for members holding space_manage_in_marketplace and the administrator.',
  })
  @ApiOkResponse({ type: SpaceDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  async get(@CurrentSpace() access: SpaceAccess): Promise<SpaceDto> {
    return this.spaces.view(access);
  }

  @Patch(':id')
  @Callers('user', 'admin')
  @SpaceRoute(SPACE_NEEDS.update)
  @ApiOperation({
    operationId: 'modifySpace',
    summary: 'Modify space details',
    description:
      'Needs space_update; sending `advertisedInMarketplace` or `marketplaceContactEmail`, whatever the value, ' +
      'also needs space_manage_in_marketplace (checked before the body is validated). The administrator may change any space. ' +
      'At least one field; while the space is advertised, `description`, `organizationName` and ' +
      '`marketplaceContactEmail` must stay non-empty.',
  })
  @ApiBody({ type: UpdateSpaceDto })
  @ApiDone('The space is changed.')
  @ApiErrors(...BODY_ROUTE_ERRORS, HttpStatus.NOT_FOUND)
  async update(@CurrentSpace() access: SpaceAccess, @Body() body: UpdateSpaceDto): Promise<void> {
    await this.spaces.update(access, body);
  }

  @Delete(':id')
  @Callers('user', 'admin')
  @SpaceRoute(SPACE_NEEDS.delete)
  @ApiOperation({
    operationId: 'removeSpace',
    summary: 'Remove space',
    description: 'Needs space_delete (the administrator: any space). Its memberships, supports and the tokens that target it go with it.',
  })
  @ApiDone('The space is deleted.')
  @ApiErrors(...READ_ROUTE_ERRORS)
  async delete(@CurrentSpace() access: SpaceAccess): Promise<void> {
    await this.spaces.delete(access);
  }
}
