import { SPACE_NEEDS } from './access/space-needs.js';
import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Callers } from '../auth/auth.decorators.js';
import { ApiDone } from '../common/api-created.js';
import { ApiErrors, BODY_ROUTE_ERRORS, LIST_ROUTE_ERRORS, READ_ROUTE_ERRORS } from '../common/api-responses.js';
import { PageQueryDto, pageRequest } from '../common/pagination/page-query.dto.js';
import { listBody } from '../common/pagination/pagination.js';
import { CurrentSpace, SpaceRoute } from './access/space-access.decorators.js';
import type { SpaceAccess, UserSpaceAccess } from './access/space-access.js';
import { TokenDto } from './dto/mint-tokens.dto.js';
import { ProviderListDto } from './dto/space.dto.js';
import { MintSupportTokenDto } from './dto/support.dto.js';
import { UpdateSupportParametersDto } from './dto/support-parameters.dto.js';
import { SupportsService } from './supports.service.js';
import { SpacesApi } from '../common/spaces-api.decorator.js';

/** The providers that support a space. */
@ApiTags('Space')
@ApiBearerAuth()
@ApiSecurity('X-Auth-Token')
@SpacesApi()
@Controller('spaces/:id/providers')
export class SpaceProvidersController {
  constructor(private readonly supports: SupportsService) {}

  @Get()
  @Callers('user', 'provider', 'admin')
  @SpaceRoute(SPACE_NEEDS.providers)
  @ApiOperation({ operationId: 'listSpaceProviders', summary: 'List space providers', description: 'Needs space_view.' })
  @ApiOkResponse({ type: ProviderListDto })
  @ApiErrors(...LIST_ROUTE_ERRORS)
  async list(@CurrentSpace() access: SpaceAccess, @Query() query: PageQueryDto): Promise<ProviderListDto> {
    const page = await this.supports.providers(access, pageRequest(query));
    return listBody('providers', page);
  }

  @Post('token')
  @Callers('user')
  @SpaceRoute({ privilege: 'space_add_support' })
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'createSpaceSupportToken',
    summary: 'Create space support token',
    description:
      'Needs space_add_support. A provider supports the space with the token (POST /provider/spaces/support), ' +
      'as long as its minter still holds space_add_support. Single use unless `usageLimit` says otherwise.',
  })
  @ApiBody({ type: MintSupportTokenDto, required: false })
  @ApiOkResponse({ type: TokenDto, description: 'The new token.' })
  @ApiErrors(...BODY_ROUTE_ERRORS, HttpStatus.NOT_FOUND)
  async token(@CurrentSpace() access: UserSpaceAccess, @Body() body: MintSupportTokenDto): Promise<TokenDto> {
    return { token: await this.supports.mintSupportToken(access, body) };
  }

  @Delete(':pid')
  @Callers('user', 'admin')
  @SpaceRoute(SPACE_NEEDS.removeSupport)
  @ApiParam({ name: 'pid', description: 'Provider ID.', schema: { type: 'string' } })
  @ApiOperation({
    operationId: 'removeSpaceProvider',
    summary: 'Remove provider support from space',
    description: 'Needs space_remove_support (the administrator: any space). The provider’s capacity is freed.',
  })
  @ApiDone('The provider no longer supports the space.')
  @ApiErrors(...READ_ROUTE_ERRORS)
  async remove(@CurrentSpace() access: SpaceAccess, @Param('pid') pid: string): Promise<void> {
    await this.supports.remove(access, pid);
  }

  @Patch(':pid/support_parameters')
  @Callers('user', 'provider', 'admin')
  @SpaceRoute(SPACE_NEEDS.supportParameters)
  @ApiParam({ name: 'pid', description: 'Provider ID.', schema: { type: 'string' } })
  @ApiOperation({
    operationId: 'updateSupportParameters',
    summary: 'Update support parameters',
    description:
      'Who may set what is decided field by field, before the body is validated: the supporting provider itself sets ' +
      'all three; a member with space_update sets dirStatsServiceEnabled; the administrator sets accountingEnabled and ' +
      'dirStatsServiceEnabled. Another supporting provider gets 403; a provider that does not support the space 404. ' +
      'Accounting needs the directory statistics (400). Switching them on makes their status initializing, off stopping.',
  })
  @ApiBody({ type: UpdateSupportParametersDto })
  @ApiDone('The support parameters are changed.')
  @ApiErrors(...BODY_ROUTE_ERRORS, HttpStatus.NOT_FOUND)
  async setParameters(
    @CurrentSpace() access: SpaceAccess,
    @Param('pid') pid: string,
    @Body() body: UpdateSupportParametersDto,
  ): Promise<void> {
    await this.supports.setParameters(access, pid, body);
  }
}
