import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Callers, ClientIp, CurrentCaller, IdentifiesCaller, OptionalCaller, Public } from '../auth/auth.decorators.js';
import { type Caller, subjectOf } from '../auth/caller.js';
import { ApiDone } from '../common/api-created.js';
import { ApiErrors, OWN_LIST_ERRORS, PUBLIC_BODY_ROUTE_ERRORS, READ_ROUTE_ERRORS } from '../common/api-responses.js';
import { PageQueryDto, pageRequest } from '../common/pagination/page-query.dto.js';
import { listBody } from '../common/pagination/pagination.js';
import {
  ConfineTokenDto,
  ExaminedTokenDto,
  InferredScopeDto,
  InferScopeDto,
  SerializedTokenDto,
  VerifiedTokenDto,
  VerifyAccessTokenDto,
  VerifyIdentityTokenDto,
  VerifyInviteTokenDto,
} from './dto/named-tokens.dto.js';
import { ExamineTokenDto, TokenListDto, toTokenInfo } from './dto/tokens.dto.js';
import { TokenInspectionService } from './token-inspection.service.js';
import { TokensService } from './tokens.service.js';
import { SpacesApi } from '../common/spaces-api.decorator.js';

type Owner = Extract<Caller, { type: 'user' | 'provider' }>;

const TokenId = () => ApiParam({ name: 'id', description: 'Token ID.', schema: { type: 'string' } });

/** Users' and providers' tokens in the legacy list, and the public routes: examine, confine, verify. */
@ApiTags('Token')
@ApiBearerAuth()
@ApiSecurity('X-Auth-Token')
@SpacesApi()
@Controller()
export class TokensController {
  constructor(
    private readonly tokens: TokensService,
    private readonly inspection: TokenInspectionService,
  ) {}

  @Get('user/tokens')
  @Callers('user')
  @ApiOperation({
    operationId: 'listUserTokens',
    summary: 'List user tokens',
    description: "The current user's tokens: what each is for, its limits and use. Never the tokens themselves.",
  })
  @ApiOkResponse({ type: TokenListDto })
  @ApiErrors(...OWN_LIST_ERRORS)
  userTokens(@CurrentCaller() caller: Owner, @Query() query: PageQueryDto): Promise<TokenListDto> {
    return this.list(caller, query);
  }

  @Delete('user/tokens/:id')
  @Callers('user')
  @TokenId()
  @ApiOperation({
    operationId: 'revokeUserToken',
    summary: 'Revoke user token',
    description: 'The token stops working at once (the same as PATCH /tokens/named/{id} with revoked: true).',
  })
  @ApiDone('The token is revoked.')
  @ApiErrors(...READ_ROUTE_ERRORS)
  async revokeUserToken(@CurrentCaller() caller: Owner, @Param('id') id: string): Promise<void> {
    await this.tokens.revoke(subjectOf(caller), id);
  }

  @Get('provider/tokens')
  @Callers('provider')
  @ApiOperation({
    operationId: 'listProviderTokens',
    summary: 'List provider tokens',
    description: "The current provider's tokens: what each is for, its limits and use. Never the tokens themselves.",
  })
  @ApiOkResponse({ type: TokenListDto })
  @ApiErrors(...OWN_LIST_ERRORS)
  providerTokens(@CurrentCaller() caller: Owner, @Query() query: PageQueryDto): Promise<TokenListDto> {
    return this.list(caller, query);
  }

  @Delete('provider/tokens/:id')
  @Callers('provider')
  @TokenId()
  @ApiOperation({
    operationId: 'revokeProviderToken',
    summary: 'Revoke provider token',
    description: 'The token stops working at once.',
  })
  @ApiDone('The token is revoked.')
  @ApiErrors(...READ_ROUTE_ERRORS)
  async revokeProviderToken(@CurrentCaller() caller: Owner, @Param('id') id: string): Promise<void> {
    await this.tokens.revoke(subjectOf(caller), id);
  }

  @Post('tokens/examine')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'examineToken',
    summary: 'Examine token',
    description:
      'Tells what a genuine token is: its persistence, subject, type, target and caveats, whether or not it can still ' +
      'be used (only the signature is checked). Needs no authentication: holding the token is enough.',
    security: [],
  })
  @ApiBody({ type: ExamineTokenDto })
  @ApiOkResponse({ type: ExaminedTokenDto })
  @ApiErrors(...PUBLIC_BODY_ROUTE_ERRORS)
  examine(@Body() body: ExamineTokenDto): Promise<ExaminedTokenDto> {
    return this.inspection.examine(body.token);
  }

  @Post('tokens/confine')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'confineToken',
    summary: 'Confine token',
    description:
      'The same token with more caveats, which can only narrow it. The token is not verified: anyone holding a token ' +
      'may confine it, with no key.',
    security: [],
  })
  @ApiBody({ type: ConfineTokenDto })
  @ApiOkResponse({ type: SerializedTokenDto })
  @ApiErrors(...PUBLIC_BODY_ROUTE_ERRORS)
  async confine(@Body() body: ConfineTokenDto): Promise<SerializedTokenDto> {
    return { token: await this.inspection.confine(body.token, body.caveats) };
  }

  @Post('tokens/verify_access_token')
  @Public()
  @IdentifiesCaller()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'verifyAccessToken',
    summary: 'Verify access token',
    description:
      'Whether an access token holds where it is used (peer address, interface, consumer, service): its subject and ' +
      'how long it still holds. A failure is 400 invalid_token naming the reason.',
    security: [],
  })
  @ApiBody({ type: VerifyAccessTokenDto })
  @ApiOkResponse({ type: VerifiedTokenDto })
  @ApiErrors(...PUBLIC_BODY_ROUTE_ERRORS)
  verifyAccess(@Body() body: VerifyAccessTokenDto, @OptionalCaller() caller: Caller | null, @ClientIp() ip: string | undefined) {
    return this.inspection.verifyAccess(body, caller, ip);
  }

  @Post('tokens/verify_identity_token')
  @Public()
  @IdentifiesCaller()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'verifyIdentityToken',
    summary: 'Verify identity token',
    description: "Whom an identity token (or a provider's access token) proves, where it is used.",
    security: [],
  })
  @ApiBody({ type: VerifyIdentityTokenDto })
  @ApiOkResponse({ type: VerifiedTokenDto })
  @ApiErrors(...PUBLIC_BODY_ROUTE_ERRORS)
  verifyIdentity(@Body() body: VerifyIdentityTokenDto, @OptionalCaller() caller: Caller | null, @ClientIp() ip: string | undefined) {
    return this.inspection.verifyIdentity(body, caller, ip);
  }

  @Post('tokens/verify_invite_token')
  @Public()
  @IdentifiesCaller()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'verifyInviteToken',
    summary: 'Verify invite token',
    description:
      'Whether an invite token itself holds (optionally, that it is of the expected invite type); not whether it can ' +
      "still be used (uses left, the inviter's privileges).",
    security: [],
  })
  @ApiBody({ type: VerifyInviteTokenDto })
  @ApiOkResponse({ type: VerifiedTokenDto })
  @ApiErrors(...PUBLIC_BODY_ROUTE_ERRORS)
  verifyInvite(@Body() body: VerifyInviteTokenDto, @OptionalCaller() caller: Caller | null, @ClientIp() ip: string | undefined) {
    return this.inspection.verifyInvite(body, caller, ip);
  }

  @Post('tokens/infer_access_token_scope')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'inferAccessTokenScope',
    summary: 'Infer access token scope',
    description:
      'What an access token lets its holder reach in the data plane: the spaces (narrowed by data.path and ' +
      'data.objectid caveats), their providers (narrowed by provider service caveats), read-only or not, and until when.',
    security: [],
  })
  @ApiBody({ type: InferScopeDto })
  @ApiOkResponse({ type: InferredScopeDto })
  @ApiErrors(...PUBLIC_BODY_ROUTE_ERRORS)
  inferScope(@Body() body: InferScopeDto, @ClientIp() ip: string | undefined): Promise<InferredScopeDto> {
    return this.inspection.inferScope(body.token, body.consumerToken, ip);
  }

  private async list(caller: Owner, query: PageQueryDto): Promise<TokenListDto> {
    const page = await this.tokens.list(subjectOf(caller), pageRequest(query));
    return listBody('tokens', { ...page, items: page.items.map(toTokenInfo) });
  }
}
