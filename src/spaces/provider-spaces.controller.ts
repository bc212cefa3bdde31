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
import type { ProviderCaller, SpaceAccess } from './access/space-access.js';
import { SpaceDto, SpaceListDto } from './dto/space.dto.js';
import { SupportSpaceDto } from './dto/support.dto.js';
import { SupportsService } from './supports.service.js';
import { MintProviderSupportTokenDto, TokenDto } from './dto/mint-tokens.dto.js';
import { SpacesService } from './spaces.service.js';
import { SpacesApi } from '../common/spaces-api.decorator.js';

@ApiTags('Provider')
@ApiBearerAuth()
@ApiSecurity('X-Auth-Token')
@SpacesApi()
@Controller('provider/spaces')
export class ProviderSpacesController {
  constructor(
    private readonly spaces: SpacesService,
    private readonly supports: SupportsService,
    private readonly locations: Locations,
  ) {}

  @Get()
  @Callers('provider')
  @ApiOperation({
    operationId: 'listProviderSpaces',
    summary: 'List spaces supported by provider',
    description: 'The IDs of the spaces the current provider supports.',
  })
  @ApiOkResponse({ type: SpaceListDto })
  @ApiErrors(...OWN_LIST_ERRORS)
  async list(@CurrentCaller() caller: ProviderCaller, @Query() query: PageQueryDto): Promise<SpaceListDto> {
    const page = await this.supports.listOfProvider(caller, pageRequest(query));
    return listBody('spaces', page);
  }

  @Post('token')
  @Callers('provider')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'createProviderSupportToken',
    summary: 'Mint a provider support token',
    description:
      'Returns a token with which a user creates a space already supported by the current provider ' +
      '(POST /user/spaces with `token` and `size`). Single use unless `usageLimit` says otherwise.',
  })
  @ApiBody({ type: MintProviderSupportTokenDto, required: false })
  @ApiOkResponse({ type: TokenDto, description: 'The new token.' })
  @ApiErrors(...BODY_ROUTE_ERRORS)
  async mint(@CurrentCaller() caller: ProviderCaller, @Body() body: MintProviderSupportTokenDto): Promise<TokenDto> {
    return { token: await this.spaces.mintProviderSupportToken(caller, body) };
  }

  @Post('support')
  @Idempotent('provider', 'spaces')
  @Callers('provider')
  @ApiOperation({
    operationId: 'supportSpace',
    summary: 'Support space',
    description:
      'The current provider supports the space a support token (POST /spaces/{id}/providers/token) is for, ' +
      'with `size` bytes of its free capacity. A provider that already supports the space gets 409.',
  })
  @ApiBody({ type: SupportSpaceDto })
  @ApiCreatedAt('/provider/spaces/{id}')
  @ApiErrors(...BODY_ROUTE_ERRORS, HttpStatus.CONFLICT)
  async support(
    @CurrentCaller() caller: ProviderCaller,
    @Body() body: SupportSpaceDto,
    @Res({ passthrough: true }) res: ReplyHeaders,
    @ClientIp() ip: string | undefined,
  ): Promise<void> {
    const id = await this.supports.support(caller, body, ip);
    this.locations.set(res, 'provider', 'spaces', id);
  }

  @Get(':id')
  @Callers('provider')
  @SpaceRoute({ providers: true, load: true })
  @ApiOperation({ operationId: 'getProviderSpace', summary: 'Get space supported by provider' })
  @ApiOkResponse({ type: SpaceDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  async get(@CurrentSpace() access: SpaceAccess): Promise<SpaceDto> {
    return this.spaces.view(access);
  }

  @Delete(':id')
  @Callers('provider')
  @SpaceRoute({ providers: true })
  @ApiOperation({
    operationId: 'removeProviderSupportedSpace',
    summary: 'Cease support for space',
    description: 'The current provider stops supporting the space; its capacity is freed.',
  })
  @ApiDone('The provider no longer supports the space.')
  @ApiErrors(...READ_ROUTE_ERRORS)
  async cease(@CurrentCaller() caller: ProviderCaller, @CurrentSpace() access: SpaceAccess): Promise<void> {
    await this.supports.cease(caller, access);
  }
}
