import { Body, Controller, HttpCode, HttpStatus, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Callers } from '../auth/auth.decorators.js';
import { ApiErrors, BODY_ROUTE_ERRORS } from '../common/api-responses.js';
import { Locations, type ReplyHeaders } from '../common/location.js';
import { TokenDto } from '../spaces/dto/mint-tokens.dto.js';
import { CreateProviderDto, CreateUserDto, MintAccessTokenDto, ProviderCreatedDto, UserCreatedDto } from './dto/identities.dto.js';
import { IdentitiesService } from './identities.service.js';
import { SpacesApi } from '../common/spaces-api.decorator.js';

function ApiCreatedWithBody(form: string, type: typeof UserCreatedDto | typeof ProviderCreatedDto) {
  return ApiResponse({
    status: HttpStatus.CREATED,
    type,
    description: `Created; the path ${form} is in the \`Location\` header.`,
    headers: { Location: { description: `Path of the created resource: ${form}.`, schema: { type: 'string' } } },
  });
}

/** Administration: the admin token registers users and providers and mints their access tokens. */
@ApiTags('Administration')
@ApiBearerAuth()
@SpacesApi()
@Controller()
@Callers('admin')
export class IdentitiesController {
  constructor(
    private readonly identities: IdentitiesService,
    private readonly locations: Locations,
  ) {}

  @Post('users')
  @ApiOperation({ operationId: 'createUser', summary: 'Register a user (admin token)' })
  @ApiBody({ type: CreateUserDto })
  @ApiCreatedWithBody('/users/{id}', UserCreatedDto)
  @ApiErrors(...BODY_ROUTE_ERRORS)
  async createUser(@Body() body: CreateUserDto, @Res({ passthrough: true }) res: ReplyHeaders): Promise<UserCreatedDto> {
    const user = await this.identities.createUser(body.name);
    this.locations.set(res, 'users', user.userId);
    return user;
  }

  @Post('providers')
  @ApiOperation({ operationId: 'createProvider', summary: 'Register a provider (admin token)' })
  @ApiBody({ type: CreateProviderDto })
  @ApiCreatedWithBody('/providers/{id}', ProviderCreatedDto)
  @ApiErrors(...BODY_ROUTE_ERRORS)
  async createProvider(@Body() body: CreateProviderDto, @Res({ passthrough: true }) res: ReplyHeaders): Promise<ProviderCreatedDto> {
    const provider = await this.identities.createProvider(body.name, body.capacity);
    this.locations.set(res, 'providers', provider.providerId);
    return provider;
  }

  @Post('users/:id/tokens')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ operationId: 'createUserAccessToken', summary: "Mint a user's access token (admin token)" })
  @ApiBody({ type: MintAccessTokenDto, required: false })
  @ApiOkResponse({ type: TokenDto })
  @ApiErrors(...BODY_ROUTE_ERRORS, HttpStatus.NOT_FOUND)
  async mintUserToken(@Param('id') id: string, @Body() body: MintAccessTokenDto): Promise<TokenDto> {
    return { token: await this.identities.mintAccessToken({ type: 'user', id }, body.ttl) };
  }

  @Post('providers/:id/tokens')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ operationId: 'createProviderAccessToken', summary: "Mint a provider's access token (admin token)" })
  @ApiBody({ type: MintAccessTokenDto, required: false })
  @ApiOkResponse({ type: TokenDto })
  @ApiErrors(...BODY_ROUTE_ERRORS, HttpStatus.NOT_FOUND)
  async mintProviderToken(@Param('id') id: string, @Body() body: MintAccessTokenDto): Promise<TokenDto> {
    return { token: await this.identities.mintAccessToken({ type: 'provider', id }, body.ttl) };
  }
}
