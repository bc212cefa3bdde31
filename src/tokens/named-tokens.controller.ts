import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Callers, CurrentCaller } from '../auth/auth.decorators.js';
import { type Caller, type Subject, subjectOf } from '../auth/caller.js';
import { ApiDone } from '../common/api-created.js';
import { ApiErrors, BODY_ROUTE_ERRORS, LIST_ROUTE_ERRORS, OWN_LIST_ERRORS, READ_ROUTE_ERRORS } from '../common/api-responses.js';
import { Locations, type ReplyHeaders } from '../common/location.js';
import { PageQueryDto, pageRequest } from '../common/pagination/page-query.dto.js';
import { listBody } from '../common/pagination/pagination.js';
import { SpacesApi } from '../common/spaces-api.decorator.js';
import {
  GenerationDto,
  NamedTokenCreateDto,
  NamedTokenCreatedDto,
  NamedTokenDto,
  NamedTokenUpdateDto,
  SerializedTokenDto,
  TemporaryTokenCreateDto,
  TokenIdListDto,
  TokenStatusDto,
  toNamedToken,
} from './dto/named-tokens.dto.js';
import { TokenManagementService } from './token-management.service.js';
import { TokensService } from './tokens.service.js';

type Own = Extract<Caller, { type: 'user' | 'provider' }>;

const self = subjectOf;

const SubjectId = (kind: 'user' | 'provider') =>
  ApiParam({ name: 'id', description: kind === 'user' ? 'User ID.' : 'Provider ID.', schema: { type: 'string' } });
const TokenName = () => ApiParam({ name: 'name', description: 'Token name.', schema: { type: 'string' } });
const TokenId = () => ApiParam({ name: 'id', description: 'Token ID.', schema: { type: 'string' } });

const CREATED_NAMED = 'The token is created; the body carries it. Its path is in the `Location` header (/tokens/named/{id}).';
const NAMED_ERRORS = [...BODY_ROUTE_ERRORS, HttpStatus.CONFLICT];
const TEMPORARY_CREATED = 'The token: nothing is stored, so there is no `Location`.';

/**
 * Named tokens, by their subject: a user on /user/…, a provider on
 * /provider/…, and on their behalf (the subject itself or the administrator)
 * on /users/{id}/… and /providers/{id}/….
 */
@ApiTags('Token')
@ApiBearerAuth()
@ApiSecurity('X-Auth-Token')
@SpacesApi()
@Controller()
export class NamedTokensController {
  constructor(
    private readonly management: TokenManagementService,
    private readonly tokens: TokensService,
    private readonly locations: Locations,
  ) {}

  // ---- create

  @Post('user/tokens/named')
  @Callers('user')
  @ApiOperation({
    operationId: 'createUserNamedToken',
    summary: 'Create named user token',
    description: 'A named token of the current user.',
  })
  @ApiBody({ type: NamedTokenCreateDto })
  @ApiCreatedResponse({ type: NamedTokenCreatedDto, description: CREATED_NAMED })
  @ApiErrors(...NAMED_ERRORS)
  createForUser(@CurrentCaller() caller: Own, @Body() body: NamedTokenCreateDto, @Res({ passthrough: true }) res: ReplyHeaders) {
    return this.created(self(caller), body, res);
  }

  @Post('provider/tokens/named')
  @Callers('provider')
  @ApiOperation({
    operationId: 'createProviderNamedToken',
    summary: 'Create named provider token',
    description: 'A named token of the current provider.',
  })
  @ApiBody({ type: NamedTokenCreateDto })
  @ApiCreatedResponse({ type: NamedTokenCreatedDto, description: CREATED_NAMED })
  @ApiErrors(...NAMED_ERRORS)
  createForProvider(@CurrentCaller() caller: Own, @Body() body: NamedTokenCreateDto, @Res({ passthrough: true }) res: ReplyHeaders) {
    return this.created(self(caller), body, res);
  }

  @Post('users/:id/tokens/named')
  @Callers('user', 'provider', 'admin')
  @SubjectId('user')
  @ApiOperation({
    operationId: 'createNamedTokenForUser',
    summary: 'Create named token for user',
    description: 'For the user itself or the administrator.',
  })
  @ApiBody({ type: NamedTokenCreateDto })
  @ApiCreatedResponse({ type: NamedTokenCreatedDto, description: CREATED_NAMED })
  @ApiErrors(...NAMED_ERRORS, HttpStatus.NOT_FOUND)
  async createOnBehalfOfUser(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Body() body: NamedTokenCreateDto,
    @Res({ passthrough: true }) res: ReplyHeaders,
  ) {
    return this.created(await this.management.subjectFor(caller, { type: 'user', id }), body, res);
  }

  @Post('providers/:id/tokens/named')
  @Callers('user', 'provider', 'admin')
  @SubjectId('provider')
  @ApiOperation({
    operationId: 'createNamedTokenForProvider',
    summary: 'Create named token for provider',
    description: 'For the provider itself or the administrator.',
  })
  @ApiBody({ type: NamedTokenCreateDto })
  @ApiCreatedResponse({ type: NamedTokenCreatedDto, description: CREATED_NAMED })
  @ApiErrors(...NAMED_ERRORS, HttpStatus.NOT_FOUND)
  async createOnBehalfOfProvider(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Body() body: NamedTokenCreateDto,
    @Res({ passthrough: true }) res: ReplyHeaders,
  ) {
    return this.created(await this.management.subjectFor(caller, { type: 'provider', id }), body, res);
  }

  // ---- list

  @Get('user/tokens/named')
  @Callers('user')
  @ApiOperation({
    operationId: 'listUserNamedTokens',
    summary: 'List named user tokens',
    description: "The current user's named token ids.",
  })
  @ApiOkResponse({ type: TokenIdListDto })
  @ApiErrors(...OWN_LIST_ERRORS)
  listOfUser(@CurrentCaller() caller: Own, @Query() query: PageQueryDto) {
    return this.listed(self(caller), query);
  }

  @Get('provider/tokens/named')
  @Callers('provider')
  @ApiOperation({
    operationId: 'listProviderNamedTokens',
    summary: 'List named provider tokens',
    description: "The current provider's named token ids.",
  })
  @ApiOkResponse({ type: TokenIdListDto })
  @ApiErrors(...OWN_LIST_ERRORS)
  listOfProvider(@CurrentCaller() caller: Own, @Query() query: PageQueryDto) {
    return this.listed(self(caller), query);
  }

  @Get('users/:id/tokens/named')
  @Callers('user', 'provider', 'admin')
  @SubjectId('user')
  @ApiOperation({
    operationId: 'listNamedTokensOfUser',
    summary: 'List named tokens of user',
    description: 'For the user itself or the administrator.',
  })
  @ApiOkResponse({ type: TokenIdListDto })
  @ApiErrors(...LIST_ROUTE_ERRORS)
  async listOnBehalfOfUser(@CurrentCaller() caller: Caller, @Param('id') id: string, @Query() query: PageQueryDto) {
    return this.listed(await this.management.subjectFor(caller, { type: 'user', id }), query);
  }

  @Get('providers/:id/tokens/named')
  @Callers('user', 'provider', 'admin')
  @SubjectId('provider')
  @ApiOperation({
    operationId: 'listNamedTokensOfProvider',
    summary: 'List named tokens of provider',
    description: 'For the provider itself or the administrator.',
  })
  @ApiOkResponse({ type: TokenIdListDto })
  @ApiErrors(...LIST_ROUTE_ERRORS)
  async listOnBehalfOfProvider(@CurrentCaller() caller: Caller, @Param('id') id: string, @Query() query: PageQueryDto) {
    return this.listed(await this.management.subjectFor(caller, { type: 'provider', id }), query);
  }

  // ---- delete all

  @Delete('user/tokens/named')
  @Callers('user')
  @ApiOperation({
    operationId: 'deleteAllUserNamedTokens',
    summary: 'Delete all named user tokens',
    description: 'Every named token of the current user, the one used for this call included.',
  })
  @ApiDone('The tokens are deleted.')
  @ApiErrors(...OWN_LIST_ERRORS.filter((s) => s !== HttpStatus.BAD_REQUEST))
  async removeAllOfUser(@CurrentCaller() caller: Own) {
    await this.management.removeAll(self(caller));
  }

  @Delete('provider/tokens/named')
  @Callers('provider')
  @ApiOperation({
    operationId: 'deleteAllProviderNamedTokens',
    summary: 'Delete all named provider tokens',
    description: 'Every named token of the current provider, the one used for this call included.',
  })
  @ApiDone('The tokens are deleted.')
  @ApiErrors(...OWN_LIST_ERRORS.filter((s) => s !== HttpStatus.BAD_REQUEST))
  async removeAllOfProvider(@CurrentCaller() caller: Own) {
    await this.management.removeAll(self(caller));
  }

  @Delete('users/:id/tokens/named')
  @Callers('user', 'provider', 'admin')
  @SubjectId('user')
  @ApiOperation({
    operationId: 'deleteAllNamedTokensOfUser',
    summary: 'Delete all named tokens of user',
    description: 'For the user itself or the administrator.',
  })
  @ApiDone('The tokens are deleted.')
  @ApiErrors(...READ_ROUTE_ERRORS)
  async removeAllOnBehalfOfUser(@CurrentCaller() caller: Caller, @Param('id') id: string) {
    await this.management.removeAll(await this.management.subjectFor(caller, { type: 'user', id }));
  }

  @Delete('providers/:id/tokens/named')
  @Callers('user', 'provider', 'admin')
  @SubjectId('provider')
  @ApiOperation({
    operationId: 'deleteAllNamedTokensOfProvider',
    summary: 'Delete all named tokens of provider',
    description: 'For the provider itself or the administrator.',
  })
  @ApiDone('The tokens are deleted.')
  @ApiErrors(...READ_ROUTE_ERRORS)
  async removeAllOnBehalfOfProvider(@CurrentCaller() caller: Caller, @Param('id') id: string) {
    await this.management.removeAll(await this.management.subjectFor(caller, { type: 'provider', id }));
  }

  // ---- by name

  @Get('user/tokens/named/name/:name')
  @Callers('user')
  @TokenName()
  @ApiOperation({
    operationId: 'getUserNamedTokenByName',
    summary: 'Get named user token by name',
    description: "One of the current user's named tokens, with the token itself.",
  })
  @ApiOkResponse({ type: NamedTokenDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  byNameOfUser(@CurrentCaller() caller: Own, @Param('name') name: string) {
    return this.named(self(caller), name);
  }

  @Get('provider/tokens/named/name/:name')
  @Callers('provider')
  @TokenName()
  @ApiOperation({
    operationId: 'getProviderNamedTokenByName',
    summary: 'Get named provider token by name',
    description: "One of the current provider's named tokens, with the token itself.",
  })
  @ApiOkResponse({ type: NamedTokenDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  byNameOfProvider(@CurrentCaller() caller: Own, @Param('name') name: string) {
    return this.named(self(caller), name);
  }

  @Get('users/:id/tokens/named/name/:name')
  @Callers('user', 'provider', 'admin')
  @SubjectId('user')
  @TokenName()
  @ApiOperation({
    operationId: 'getNamedTokenOfUserByName',
    summary: 'Get named token of user by name',
    description: 'For the user itself or the administrator.',
  })
  @ApiOkResponse({ type: NamedTokenDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  async byNameOnBehalfOfUser(@CurrentCaller() caller: Caller, @Param('id') id: string, @Param('name') name: string) {
    return this.named(await this.management.subjectFor(caller, { type: 'user', id }), name);
  }

  @Get('providers/:id/tokens/named/name/:name')
  @Callers('user', 'provider', 'admin')
  @SubjectId('provider')
  @TokenName()
  @ApiOperation({
    operationId: 'getNamedTokenOfProviderByName',
    summary: 'Get named token of provider by name',
    description: 'For the provider itself or the administrator.',
  })
  @ApiOkResponse({ type: NamedTokenDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  async byNameOnBehalfOfProvider(@CurrentCaller() caller: Caller, @Param('id') id: string, @Param('name') name: string) {
    return this.named(await this.management.subjectFor(caller, { type: 'provider', id }), name);
  }

  // ---- by id

  @Get('tokens/named')
  @Callers('admin')
  @ApiOperation({
    operationId: 'listAllNamedTokens',
    summary: 'List all named tokens',
    description: "Every subject's named token ids (the administrator).",
  })
  @ApiOkResponse({ type: TokenIdListDto })
  @ApiErrors(...OWN_LIST_ERRORS)
  async listAll(@Query() query: PageQueryDto) {
    return listBody('tokens', await this.management.listNamed(null, pageRequest(query)));
  }

  @Get('tokens/named/:id')
  @Callers('user', 'provider', 'admin')
  @TokenId()
  @ApiOperation({
    operationId: 'getNamedToken',
    summary: 'Get named token',
    description: 'For its subject and the administrator; 404 for anyone else.',
  })
  @ApiOkResponse({ type: NamedTokenDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  async get(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<NamedTokenDto> {
    const record = await this.management.byId(caller, id);
    return toNamedToken(record, this.tokens.serializeStored(record));
  }

  @Patch('tokens/named/:id')
  @Callers('user', 'provider', 'admin')
  @TokenId()
  @ApiOperation({
    operationId: 'updateNamedToken',
    summary: 'Modify named token',
    description: 'Renames it, replaces its custom metadata, revokes or reinstates it (at once on this instance).',
  })
  @ApiBody({ type: NamedTokenUpdateDto })
  @ApiDone('The token is changed.')
  @ApiErrors(...BODY_ROUTE_ERRORS, HttpStatus.NOT_FOUND, HttpStatus.CONFLICT)
  async change(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() body: NamedTokenUpdateDto): Promise<void> {
    await this.management.change(caller, id, body);
  }

  @Delete('tokens/named/:id')
  @Callers('user', 'provider', 'admin')
  @TokenId()
  @ApiOperation({
    operationId: 'deleteNamedToken',
    summary: 'Delete named token',
    description: 'The token stops working at once and is gone for good.',
  })
  @ApiDone('The token is deleted.')
  @ApiErrors(...READ_ROUTE_ERRORS)
  async remove(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<void> {
    await this.management.remove(caller, id);
  }

  @Get('tokens/named/:id/status')
  @Callers('user', 'provider', 'admin')
  @TokenId()
  @ApiOperation({
    operationId: 'getNamedTokenStatus',
    summary: 'Get named token status',
    description: "Whether it is revoked: for its subject, the administrator, and for a user's token a provider supporting the user.",
  })
  @ApiOkResponse({ type: TokenStatusDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  async status(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<TokenStatusDto> {
    return { revoked: (await this.management.byId(caller, id, true)).revoked };
  }

  private async created(subject: Subject, body: NamedTokenCreateDto, res: ReplyHeaders): Promise<NamedTokenCreatedDto> {
    const created = await this.management.createNamed(subject, body);
    this.locations.set(res, 'tokens', 'named', created.tokenId);
    return created;
  }

  private async listed(subject: Subject, query: PageQueryDto): Promise<TokenIdListDto> {
    return listBody('tokens', await this.management.listNamed(subject, pageRequest(query)));
  }

  private async named(subject: Subject, name: string): Promise<NamedTokenDto> {
    const record = await this.management.byName(subject, name);
    return toNamedToken(record, this.tokens.serializeStored(record));
  }
}

/** Temporary tokens: created, counted by generation, revoked all at once. */
@ApiTags('Token')
@ApiBearerAuth()
@ApiSecurity('X-Auth-Token')
@SpacesApi()
@Controller()
export class TemporaryTokensController {
  constructor(private readonly management: TokenManagementService) {}

  @Post('user/tokens/temporary')
  @Callers('user')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    operationId: 'createUserTemporaryToken',
    summary: 'Create temporary user token',
    description: 'A temporary token of the current user.',
  })
  @ApiBody({ type: TemporaryTokenCreateDto })
  @ApiCreatedResponse({ type: SerializedTokenDto, description: TEMPORARY_CREATED })
  @ApiErrors(...BODY_ROUTE_ERRORS)
  async createForUser(@CurrentCaller() caller: Own, @Body() body: TemporaryTokenCreateDto): Promise<SerializedTokenDto> {
    return { token: await this.management.createTemporary(self(caller), body) };
  }

  @Post('provider/tokens/temporary')
  @Callers('provider')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    operationId: 'createProviderTemporaryToken',
    summary: 'Create temporary provider token',
    description: 'A temporary token of the current provider.',
  })
  @ApiBody({ type: TemporaryTokenCreateDto })
  @ApiCreatedResponse({ type: SerializedTokenDto, description: TEMPORARY_CREATED })
  @ApiErrors(...BODY_ROUTE_ERRORS)
  async createForProvider(@CurrentCaller() caller: Own, @Body() body: TemporaryTokenCreateDto): Promise<SerializedTokenDto> {
    return { token: await this.management.createTemporary(self(caller), body) };
  }

  @Post('users/:id/tokens/temporary')
  @Callers('user', 'provider', 'admin')
  @HttpCode(HttpStatus.CREATED)
  @SubjectId('user')
  @ApiOperation({
    operationId: 'createTemporaryTokenForUser',
    summary: 'Create temporary token for user',
    description: 'For the user itself or the administrator.',
  })
  @ApiBody({ type: TemporaryTokenCreateDto })
  @ApiCreatedResponse({ type: SerializedTokenDto, description: TEMPORARY_CREATED })
  @ApiErrors(...BODY_ROUTE_ERRORS, HttpStatus.NOT_FOUND)
  async createOnBehalfOfUser(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() body: TemporaryTokenCreateDto) {
    return { token: await this.management.createTemporary(await this.management.subjectFor(caller, { type: 'user', id }), body) };
  }

  @Post('providers/:id/tokens/temporary')
  @Callers('user', 'provider', 'admin')
  @HttpCode(HttpStatus.CREATED)
  @SubjectId('provider')
  @ApiOperation({
    operationId: 'createTemporaryTokenForProvider',
    summary: 'Create temporary token for provider',
    description: 'For the provider itself or the administrator.',
  })
  @ApiBody({ type: TemporaryTokenCreateDto })
  @ApiCreatedResponse({ type: SerializedTokenDto, description: TEMPORARY_CREATED })
  @ApiErrors(...BODY_ROUTE_ERRORS, HttpStatus.NOT_FOUND)
  async createOnBehalfOfProvider(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() body: TemporaryTokenCreateDto) {
    return { token: await this.management.createTemporary(await this.management.subjectFor(caller, { type: 'provider', id }), body) };
  }

  @Get('user/tokens/temporary')
  @Callers('user')
  @ApiOperation({
    operationId: 'getUserTemporaryTokenGeneration',
    summary: 'Get temporary user token generation',
    description: "The current generation of the current user's temporary tokens.",
  })
  @ApiOkResponse({ type: GenerationDto })
  @ApiErrors(...OWN_LIST_ERRORS.filter((s) => s !== HttpStatus.BAD_REQUEST))
  async generationOfUser(@CurrentCaller() caller: Own): Promise<GenerationDto> {
    return { generation: await this.management.generation(self(caller)) };
  }

  @Get('provider/tokens/temporary')
  @Callers('provider')
  @ApiOperation({
    operationId: 'getProviderTemporaryTokenGeneration',
    summary: 'Get temporary provider token generation',
    description: "The current generation of the current provider's temporary tokens.",
  })
  @ApiOkResponse({ type: GenerationDto })
  @ApiErrors(...OWN_LIST_ERRORS.filter((s) => s !== HttpStatus.BAD_REQUEST))
  async generationOfProvider(@CurrentCaller() caller: Own): Promise<GenerationDto> {
    return { generation: await this.management.generation(self(caller)) };
  }

  @Get('users/:id/tokens/temporary')
  @Callers('user', 'provider', 'admin')
  @SubjectId('user')
  @ApiOperation({
    operationId: 'getTemporaryTokenGenerationOfUser',
    summary: 'Get temporary token generation of user',
    description: 'For the user itself, the administrator, and providers supporting the user.',
  })
  @ApiOkResponse({ type: GenerationDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  async generationOnBehalfOfUser(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<GenerationDto> {
    const subject: Subject = { type: 'user', id };
    const supporting = await this.management.supportsUser(caller, subject);
    return { generation: await this.management.generation(await this.management.subjectFor(caller, subject, supporting)) };
  }

  @Get('providers/:id/tokens/temporary')
  @Callers('user', 'provider', 'admin')
  @SubjectId('provider')
  @ApiOperation({
    operationId: 'getTemporaryTokenGenerationOfProvider',
    summary: 'Get temporary token generation of provider',
    description: 'For the provider itself or the administrator.',
  })
  @ApiOkResponse({ type: GenerationDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  async generationOnBehalfOfProvider(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<GenerationDto> {
    return { generation: await this.management.generation(await this.management.subjectFor(caller, { type: 'provider', id })) };
  }

  @Delete('user/tokens/temporary')
  @Callers('user')
  @ApiOperation({
    operationId: 'revokeAllUserTemporaryTokens',
    summary: 'Revoke all temporary user tokens',
    description: 'Every temporary token of the current user stops working.',
  })
  @ApiDone('The temporary tokens are revoked.')
  @ApiErrors(...OWN_LIST_ERRORS.filter((s) => s !== HttpStatus.BAD_REQUEST))
  async revokeOfUser(@CurrentCaller() caller: Own): Promise<void> {
    await this.management.revokeTemporary(self(caller));
  }

  @Delete('provider/tokens/temporary')
  @Callers('provider')
  @ApiOperation({
    operationId: 'revokeAllProviderTemporaryTokens',
    summary: 'Revoke all temporary provider tokens',
    description: 'Every temporary token of the current provider stops working.',
  })
  @ApiDone('The temporary tokens are revoked.')
  @ApiErrors(...OWN_LIST_ERRORS.filter((s) => s !== HttpStatus.BAD_REQUEST))
  async revokeOfProvider(@CurrentCaller() caller: Own): Promise<void> {
    await this.management.revokeTemporary(self(caller));
  }

  @Delete('users/:id/tokens/temporary')
  @Callers('user', 'provider', 'admin')
  @SubjectId('user')
  @ApiOperation({
    operationId: 'revokeAllTemporaryTokensOfUser',
    summary: 'Revoke all temporary tokens of user',
    description: 'For the user itself or the administrator.',
  })
  @ApiDone('The temporary tokens are revoked.')
  @ApiErrors(...READ_ROUTE_ERRORS)
  async revokeOnBehalfOfUser(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<void> {
    await this.management.revokeTemporary(await this.management.subjectFor(caller, { type: 'user', id }));
  }

  @Delete('providers/:id/tokens/temporary')
  @Callers('user', 'provider', 'admin')
  @SubjectId('provider')
  @ApiOperation({
    operationId: 'revokeAllTemporaryTokensOfProvider',
    summary: 'Revoke all temporary tokens of provider',
    description: 'For the provider itself or the administrator.',
  })
  @ApiDone('The temporary tokens are revoked.')
  @ApiErrors(...READ_ROUTE_ERRORS)
  async revokeOnBehalfOfProvider(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<void> {
    await this.management.revokeTemporary(await this.management.subjectFor(caller, { type: 'provider', id }));
  }
}
