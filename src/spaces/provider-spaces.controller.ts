import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Callers, CurrentCaller } from '../auth/auth.decorators.js';
import type { Caller } from '../auth/caller.js';
import { ApiErrors, BODY_ROUTE_ERRORS } from '../common/api-responses.js';
import { MintProviderSupportTokenDto, TokenDto } from './dto/mint-tokens.dto.js';
import { SpacesService } from './spaces.service.js';

@ApiTags('Provider')
@ApiBearerAuth()
@ApiSecurity('X-Auth-Token')
@Controller('provider/spaces')
export class ProviderSpacesController {
  constructor(private readonly spaces: SpacesService) {}

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
  async mint(
    @CurrentCaller() caller: Extract<Caller, { type: 'provider' }>,
    @Body() body: MintProviderSupportTokenDto,
  ): Promise<TokenDto> {
    return { token: await this.spaces.mintProviderSupportToken(caller, body) };
  }
}
