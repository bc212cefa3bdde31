import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Callers, CurrentCaller, Public } from '../auth/auth.decorators.js';
import type { Caller, Subject } from '../auth/caller.js';
import { ApiDone } from '../common/api-created.js';
import { ApiErrors, OWN_LIST_ERRORS, PUBLIC_BODY_ROUTE_ERRORS, READ_ROUTE_ERRORS } from '../common/api-responses.js';
import { PageQueryDto, pageRequest } from '../common/pagination/page-query.dto.js';
import { listBody } from '../common/pagination/pagination.js';
import { ExaminedTokenDto, ExamineTokenDto, TokenListDto, toExaminedToken, toTokenInfo } from './dto/tokens.dto.js';
import { TokensService } from './tokens.service.js';
import { SpacesApi } from '../common/spaces-api.decorator.js';

type Owner = Extract<Caller, { type: 'user' | 'provider' }>;

function subjectOf(caller: Owner): Subject {
  return caller.type === 'user' ? { type: 'user', id: caller.userId } : { type: 'provider', id: caller.providerId };
}

const TokenId = () => ApiParam({ name: 'id', description: 'Token ID.', schema: { type: 'string' } });

/** Users' and providers' own tokens, and examining any token. */
@ApiTags('Token')
@ApiBearerAuth()
@ApiSecurity('X-Auth-Token')
@SpacesApi()
@Controller()
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

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
    description: 'The token stops working at once.',
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
      'Tells what a genuine token is: its type, subject, target and caveats, whether or not it can still ' +
      'be used. Needs no authentication: holding the token is enough.',
    security: [],
  })
  @ApiBody({ type: ExamineTokenDto })
  @ApiOkResponse({ type: ExaminedTokenDto })
  @ApiErrors(...PUBLIC_BODY_ROUTE_ERRORS)
  async examine(@Body() body: ExamineTokenDto): Promise<ExaminedTokenDto> {
    return toExaminedToken(await this.tokens.examine(body.token));
  }

  private async list(caller: Owner, query: PageQueryDto): Promise<TokenListDto> {
    const page = await this.tokens.list(subjectOf(caller), pageRequest(query));
    return listBody('tokens', { ...page, items: page.items.map(toTokenInfo) });
  }
}
