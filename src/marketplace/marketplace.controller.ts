import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Callers, CurrentCaller } from '../auth/auth.decorators.js';
import { ApiDone } from '../common/api-created.js';
import { ApiErrors, BODY_ROUTE_ERRORS, LIST_ROUTE_ERRORS, READ_ROUTE_ERRORS } from '../common/api-responses.js';
import { PageQueryDto, pageRequest } from '../common/pagination/page-query.dto.js';
import { listBody } from '../common/pagination/pagination.js';
import { SpacesApi } from '../common/spaces-api.decorator.js';
import { CurrentSpace, SpaceRoute } from '../spaces/access/space-access.decorators.js';
import type { SpaceAccess, UserCaller } from '../spaces/access/space-access.js';
import { SPACE_NEEDS } from '../spaces/access/space-needs.js';
import { unixSeconds } from '../tokens/token-codec.js';
import { ListMarketplaceDto, MarketplaceListDto, MarketplaceSpaceDto } from './dto/marketplace.dto.js';
import {
  MembershipRequestIdDto,
  RequesterInfoDto,
  ResolveMembershipRequestDto,
  SpaceRequestListDto,
  SubmitMembershipRequestDto,
  UserMembershipRequestsDto,
} from './dto/membership-requests.dto.js';
import { AdvertisedSpace, MarketplaceGuard } from './marketplace.guard.js';
import { MarketplaceService } from './marketplace.service.js';
import { MembershipRequestsService } from './membership-requests.service.js';

const RequestId = () => ApiParam({ name: 'rid', description: 'Membership request ID.', schema: { type: 'string' } });
const DISABLED = ' While the Marketplace is disabled, 400.';

/** The Space Marketplace: advertised spaces, and the requests to join them. */
@ApiTags('Space Marketplace')
@ApiBearerAuth()
@ApiSecurity('X-Auth-Token')
// After the rate limit and authentication of SpacesApi (class guards run in the order given, last decorator first).
@UseGuards(MarketplaceGuard)
@SpacesApi()
@Controller('spaces/marketplace')
export class MarketplaceController {
  constructor(
    private readonly marketplace: MarketplaceService,
    private readonly requests: MembershipRequestsService,
  ) {}

  @Post('list')
  @HttpCode(HttpStatus.OK)
  @Callers('user', 'admin')
  @ApiOperation({
    operationId: 'listSpaceMarketplace',
    summary: 'List the Space Marketplace',
    description:
      'Any user, and the administrator: the advertised spaces, in index order (name, a NUL character, then ID, compared ' +
      'bytewise), optionally only those with one of `tags`. The page starts at the first entry at or after `index`, or ' +
      'right after the entry of `token` (a previous `nextPageToken`), moved by `offset`.' +
      DISABLED,
  })
  @ApiBody({
    type: ListMarketplaceDto,
    required: false,
    examples: {
      all: { summary: 'The first page', value: {} },
      tagged: { summary: 'Open data, 50 a page', value: { limit: 50, tags: ['open-data'] } },
      from: { summary: 'From a name on', value: { index: 'Met' } },
    },
  })
  @ApiOkResponse({ type: MarketplaceListDto })
  @ApiErrors(...BODY_ROUTE_ERRORS)
  async list(@Body() body: ListMarketplaceDto): Promise<MarketplaceListDto> {
    return this.marketplace.list(body);
  }

  @Get(':id')
  @Callers('user', 'admin')
  @AdvertisedSpace()
  @ApiOperation({
    operationId: 'getSpaceMarketplaceData',
    summary: 'Get space Marketplace data',
    description:
      'Any user, and the administrator: what the Marketplace shows of an advertised space. No contact email, no members. ' +
      'A space that is not advertised is 404 to everyone, its owners included.' +
      DISABLED,
  })
  @ApiOkResponse({ type: MarketplaceSpaceDto })
  @ApiErrors(HttpStatus.BAD_REQUEST, ...READ_ROUTE_ERRORS)
  async space(@Param('id') id: string): Promise<MarketplaceSpaceDto> {
    return this.marketplace.space(id);
  }

  @Post(':id/request')
  @HttpCode(HttpStatus.OK)
  @Callers('user')
  @AdvertisedSpace()
  @ApiOperation({
    operationId: 'submitSpaceMembershipRequest',
    summary: 'Request membership in a space',
    description:
      'A user asks to join an advertised space (404 for any other). A repetition after the reminder backoff is a reminder: ' +
      'the same request, with the new contact email and message. 400 with 1000 pending requests; 409 for a member; ' +
      '403 within the reminder backoff, or the rejection backoff after a rejection (the description says from when). ' +
      'No mail is sent: managers read the requests (GET …/requests, requester_info).' +
      DISABLED,
  })
  @ApiBody({ type: SubmitMembershipRequestDto })
  @ApiOkResponse({ type: MembershipRequestIdDto })
  @ApiErrors(...BODY_ROUTE_ERRORS, HttpStatus.NOT_FOUND, HttpStatus.CONFLICT)
  async request(
    @CurrentCaller() caller: UserCaller,
    @Param('id') id: string,
    @Body() body: SubmitMembershipRequestDto,
  ): Promise<MembershipRequestIdDto> {
    return { requestId: await this.requests.submit(caller, id, body) };
  }

  @Get(':id/requests')
  @Callers('user', 'admin')
  @SpaceRoute(SPACE_NEEDS.membershipRequests)
  @ApiOperation({
    operationId: 'listSpaceMembershipRequests',
    summary: 'List pending membership requests',
    description:
      "Needs space_manage_in_marketplace (the administrator, or oz_spaces_view: any space's). The pending requests to join " +
      'the space, in request ID order.' +
      DISABLED,
  })
  @ApiOkResponse({ type: SpaceRequestListDto })
  @ApiErrors(...LIST_ROUTE_ERRORS)
  async pending(@CurrentSpace() access: SpaceAccess, @Query() query: PageQueryDto): Promise<SpaceRequestListDto> {
    const page = await this.requests.ofSpace(access, pageRequest(query));
    return listBody('requests', {
      ...page,
      items: page.items.map((r) => ({
        requestId: r.id,
        userId: r.userId,
        contactEmail: r.contactEmail,
        message: r.message,
        lastActivity: unixSeconds(r.lastActivity),
      })),
    });
  }

  @Get(':id/request/:rid/requester_info')
  @Callers('user', 'admin')
  @SpaceRoute(SPACE_NEEDS.membershipRequests)
  @RequestId()
  @ApiOperation({
    operationId: 'getSpaceMembershipRequesterInfo',
    summary: 'Get membership requester info',
    description:
      "Needs space_manage_in_marketplace (the administrator, or oz_spaces_view: any space's). Who sent a pending request " +
      'and what it says; 404 for a request that is not pending for the space.' +
      DISABLED,
  })
  @ApiOkResponse({ type: RequesterInfoDto })
  @ApiErrors(HttpStatus.BAD_REQUEST, ...READ_ROUTE_ERRORS)
  async requesterInfo(@CurrentSpace() access: SpaceAccess, @Param('rid') rid: string): Promise<RequesterInfoDto> {
    return this.requests.requesterInfo(access, rid);
  }

  @Post(':id/request/:rid/resolve')
  @Callers('user')
  @SpaceRoute(SPACE_NEEDS.resolveMembershipRequest)
  @RequestId()
  @ApiOperation({
    operationId: 'resolveSpaceMembershipRequest',
    summary: 'Resolve a membership request',
    description:
      'Needs space_manage_in_marketplace, and space_add_user to grant (no zone privilege opens it). `grant` makes the ' +
      "requester a member with the member level; `reject` keeps the request among the requester's rejected ones, with the " +
      'reason, for the rejection backoff. 404 for a request that is not pending for the space (one resolved meanwhile too).' +
      DISABLED,
  })
  @ApiBody({
    type: ResolveMembershipRequestDto,
    examples: {
      grant: { summary: 'Grant', value: { decision: 'grant' } },
      reject: { summary: 'Reject, with a reason', value: { decision: 'reject', rejectionReason: 'Project members only.' } },
    },
  })
  @ApiDone('The request is resolved.')
  @ApiErrors(...BODY_ROUTE_ERRORS, HttpStatus.NOT_FOUND)
  async resolve(@CurrentSpace() access: SpaceAccess, @Param('rid') rid: string, @Body() body: ResolveMembershipRequestDto): Promise<void> {
    await this.requests.resolve(access, rid, body);
  }
}

/** The current user's own membership requests. */
@ApiTags('User')
@ApiBearerAuth()
@ApiSecurity('X-Auth-Token')
@UseGuards(MarketplaceGuard)
@SpacesApi()
@Controller('user/space_membership_requests')
export class UserMembershipRequestsController {
  constructor(private readonly requests: MembershipRequestsService) {}

  @Get()
  @Callers('user')
  @ApiOperation({
    operationId: 'listUserSpaceMembershipRequests',
    summary: 'List user membership requests',
    description:
      "The current user's requests to join spaces, by space ID: the pending ones, and the rejected ones while their backoff " +
      'runs (with the reason).' +
      DISABLED,
  })
  @ApiOkResponse({ type: UserMembershipRequestsDto })
  @ApiErrors(
    HttpStatus.BAD_REQUEST,
    HttpStatus.UNAUTHORIZED,
    HttpStatus.FORBIDDEN,
    HttpStatus.INTERNAL_SERVER_ERROR,
    HttpStatus.SERVICE_UNAVAILABLE,
  )
  async list(@CurrentCaller() caller: UserCaller): Promise<UserMembershipRequestsDto> {
    return this.requests.ofUser(caller);
  }
}
