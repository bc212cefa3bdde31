import { Inject, Injectable } from '@nestjs/common';
import { AccessRepository } from '../access/access.repository.js';
import { privilegesForResolution } from '../access/policy.js';
import { SpacePrivileges } from '../access/privileges.js';
import { holdsSpace } from '../access/standing.js';
import { ApiError } from '../common/api-error.js';
import { newId } from '../common/ids.js';
import { type Page, type PageRequest, toPage } from '../common/pagination/pagination.js';
import type { AppConfig } from '../config/environment.js';
import { SPACES_CONFIG } from '../config/spaces-config.js';
import { Transactions } from '../database/transactions.js';
import { SpaceAccessService } from '../spaces/access/space-access.service.js';
import type { SpaceAccess, UserCaller } from '../spaces/access/space-access.js';
import { SPACE_NEEDS } from '../spaces/access/space-needs.js';
import { MarketplaceEvents } from '../spaces/marketplace-events.js';
import { MembersService } from '../spaces/members.service.js';
import { type MembershipRequestRecord, MembershipRequestsRepository } from '../spaces/membership-requests.repository.js';
import { unixSeconds } from '../tokens/token-codec.js';
import type {
  RequesterInfoDto,
  ResolveMembershipRequestDto,
  SubmitMembershipRequestDto,
  UserMembershipRequestsDto,
} from './dto/membership-requests.dto.js';
import { notAdvertised } from './marketplace.guard.js';

/** How many pending requests a user may have, and how many rejections are kept for each user. */
export const PENDING_REQUEST_LIMIT = 1000;
export const REJECTED_REQUEST_HISTORY_LENGTH = 1000;

const noSuchRequest = () => ApiError.notFound('There is no such pending request to join this space.');

/**
 * Requests to join advertised spaces: a user asks (and may remind), the
 * space's managers read and resolve them. Each change runs under the space's
 * lock, so that it and the space's un-advertising, deletion or other
 * resolutions happen one after the other.
 */
@Injectable()
export class MembershipRequestsService {
  private readonly reminderBackoffMs: number;
  private readonly rejectionBackoffMs: number;

  constructor(
    private readonly requests: MembershipRequestsRepository,
    private readonly standings: AccessRepository,
    private readonly access: SpaceAccessService,
    private readonly members: MembersService,
    private readonly transactions: Transactions,
    private readonly events: MarketplaceEvents,
    @Inject(SPACES_CONFIG) config: AppConfig,
  ) {
    this.reminderBackoffMs = config.MARKETPLACE_REMINDER_BACKOFF_SECONDS * 1000;
    this.rejectionBackoffMs = config.MARKETPLACE_REJECTION_BACKOFF_SECONDS * 1000;
  }

  /**
   * A first request, or a reminder of a pending one older than the reminder
   * backoff (the same request, with the new text). Refused: a user with too
   * many pending requests (400), a member (409), one rejected or reminded
   * too recently (403, with the earliest time to ask again).
   */
  async submit(caller: UserCaller, spaceId: string, dto: SubmitMembershipRequestDto): Promise<string> {
    const text = { contactEmail: dto.contactEmail, message: dto.message ?? '' };
    const userId = caller.userId;
    const outcome = await this.transactions.run(async (tx) => {
      const spaceContactEmail = await this.requests.lockAdvertisedSpace(tx, spaceId);
      if (spaceContactEmail === null) throw notAdvertised();
      await this.requests.lockRequester(tx, userId);
      const existing = await this.requests.lockOf(tx, spaceId, userId);
      const pending = existing?.status === 'pending' ? existing : null;
      if (!pending && (await this.requests.pendingCount(tx, userId)) >= PENDING_REQUEST_LIMIT) {
        throw ApiError.invalidRequest(`You already have ${PENDING_REQUEST_LIMIT} pending membership requests, the most a user may have.`);
      }
      if (await this.standings.spaceStanding(spaceId, userId, tx)) {
        throw ApiError.alreadyExists('You are already a member of this space.');
      }
      const now = Date.now();
      if (existing?.status === 'rejected') {
        this.backoff(existing, this.rejectionBackoffMs, now, 'Your request to join this space was rejected');
      }
      if (pending) {
        this.backoff(pending, this.reminderBackoffMs, now, 'You asked to join this space recently');
        await this.requests.remind(tx, pending.id, text);
        return { requestId: pending.id, reminder: true, spaceContactEmail };
      }
      const requestId = newId();
      await this.requests.createPending(tx, { id: requestId, spaceId, userId, ...text });
      return { requestId, reminder: false, spaceContactEmail };
    });
    this.events.emit({
      type: 'membership_requested',
      spaceId,
      requestId: outcome.requestId,
      userId,
      reminder: outcome.reminder,
      spaceContactEmail: outcome.spaceContactEmail,
      requesterContactEmail: text.contactEmail,
      message: text.message,
    });
    return outcome.requestId;
  }

  /** 403 while `backoffMs` has not passed since the request's last activity. */
  private backoff(request: MembershipRequestRecord, backoffMs: number, now: number, what: string): void {
    const earliest = request.lastActivity.getTime() + backoffMs;
    if (now < earliest) {
      throw ApiError.forbidden(`${what}: you may ask again from ${new Date(earliest).toISOString()}.`);
    }
  }

  /** The caller's pending requests and its rejections still in their backoff, by space. */
  async ofUser(caller: UserCaller): Promise<UserMembershipRequestsDto> {
    const since = new Date(Date.now() - this.rejectionBackoffMs);
    const rows = await this.requests.ofUser(caller.userId, since, Math.max(PENDING_REQUEST_LIMIT, REJECTED_REQUEST_HISTORY_LENGTH));
    const answer: UserMembershipRequestsDto = { pending: {}, rejected: {} };
    for (const r of rows) {
      const entry = { requestId: r.id, contactEmail: r.contactEmail, lastActivity: unixSeconds(r.lastActivity) };
      if (r.status === 'pending') answer.pending[r.spaceId] = entry;
      else answer.rejected[r.spaceId] = { ...entry, rejectionReason: r.rejectionReason };
    }
    return answer;
  }

  /** Who sent a pending request to the space, and what it says. */
  async requesterInfo(access: SpaceAccess, requestId: string): Promise<RequesterInfoDto> {
    const request = await this.requests.findPending(access.spaceId, requestId);
    if (!request) throw noSuchRequest();
    return {
      userId: request.userId,
      fullName: request.userName,
      username: null,
      contactEmail: request.contactEmail,
      message: request.message,
      lastActivity: unixSeconds(request.lastActivity),
    };
  }

  /** The space's pending requests, one page in request ID order. */
  async ofSpace(access: SpaceAccess, page: PageRequest): Promise<Page<MembershipRequestRecord>> {
    return toPage(await this.requests.pendingOf(access.spaceId, page), page.limit, (r) => r.id);
  }

  /**
   * Grants (the requester becomes a member with the member level) or rejects
   * a pending request, under the space's lock with the caller's rights read
   * again there: of two managers resolving one request, one does it and the
   * other finds it gone (404); a space deleted meanwhile is gone too (404).
   */
  async resolve(access: SpaceAccess, requestId: string, dto: ResolveMembershipRequestDto): Promise<void> {
    if (dto.requestId !== undefined && dto.requestId !== requestId) {
      throw ApiError.invalidRequest('requestId, when given, must be the request ID of the path.');
    }
    this.mayResolve(access, dto.decision);
    const reason = dto.decision === 'reject' ? (dto.rejectionReason ?? '') : '';
    const request = await this.transactions.run(async (tx) => {
      const actor = await this.access.lock(tx, access, SPACE_NEEDS.resolveMembershipRequest);
      this.mayResolve(actor, dto.decision);
      const pending = await this.requests.lockPending(tx, access.spaceId, requestId);
      if (!pending) throw noSuchRequest();
      if (dto.decision === 'grant') {
        await this.requests.remove(tx, pending.id);
        await this.members.addDirect(tx, access.spaceId, pending.userId, SpacePrivileges.memberMask);
      } else {
        await this.requests.reject(tx, pending, reason, REJECTED_REQUEST_HISTORY_LENGTH);
      }
      return pending;
    });
    this.events.emit({
      type: 'membership_request_resolved',
      spaceId: access.spaceId,
      requestId,
      userId: request.userId,
      requesterContactEmail: request.contactEmail,
      decision: dto.decision,
      rejectionReason: reason,
    });
  }

  private mayResolve(access: SpaceAccess, decision: 'grant' | 'reject'): void {
    const missing = privilegesForResolution(decision).find((p) => !holdsSpace(access.standing, p));
    if (missing) throw ApiError.forbidden(`This decision needs the ${missing} privilege in the space.`);
  }
}
