import { SPACE_NEEDS } from './access/space-needs.js';
import { Injectable } from '@nestjs/common';
import type { Subject } from '../auth/caller.js';
import { ApiError } from '../common/api-error.js';
import { Idempotency } from '../common/idempotency/idempotency.service.js';
import { newId } from '../common/ids.js';
import { type Page, type PageRequest, toPage } from '../common/pagination/pagination.js';
import { parseSize } from '../common/validation/sizes.js';
import { Transactions } from '../database/transactions.js';
import type { VerifiedToken } from '../tokens/tokens.service.js';
import { TokensService } from '../tokens/tokens.service.js';
import { notFound } from './access/space-access.service.js';
import type { AdminCaller, ProviderCaller, SpaceAccess, UserCaller } from './access/space-access.js';
import type { SpaceMetadata } from '../access/access.repository.js';
import { maySeeContactEmail } from '../access/policy.js';
import { ZonePrivileges } from '../access/zone-privileges.js';
import { type SpaceDto, toSpaceDto, type UpdateSpaceDto } from './dto/space.dto.js';
import { EMPTY_METADATA, SpaceFields } from './space-fields.js';
import { SpaceAccessService } from './access/space-access.service.js';
import type { CreateSpaceDto } from './dto/create-space.dto.js';
import type { CreateUserSpaceDto } from './dto/create-user-space.dto.js';
import type { MintProviderSupportTokenDto, MintSpaceCreationTokenDto } from './dto/mint-tokens.dto.js';
import { MembersRepository } from './members.repository.js';
import { SpacePrivileges } from '../access/privileges.js';
import { type SpaceRecord, SpacesRepository } from './spaces.repository.js';
import { SupportsService } from './supports.service.js';
import { MarketplaceEvents } from './marketplace-events.js';
import { MembershipRequestsRepository } from './membership-requests.repository.js';
import { futureDate } from './token-limits.js';

interface Creation {
  name: string;
  metadata: Partial<SpaceMetadata>;
  creator: Subject;
  ownerId: string;
  /** A token to consume, with the support it grants. */
  token?: VerifiedToken;
  support?: { providerId: string; size: bigint };
}

/** Spaces themselves: creating (the two creation routes), reading, renaming and deleting them. */
@Injectable()
export class SpacesService {
  constructor(
    private readonly spaces: SpacesRepository,
    private readonly members: MembersRepository,
    private readonly supports: SupportsService,
    private readonly tokens: TokensService,
    private readonly transactions: Transactions,
    private readonly idempotency: Idempotency,
    private readonly fields: SpaceFields,
    private readonly access: SpaceAccessService,
    private readonly requests: MembershipRequestsRepository,
    private readonly events: MarketplaceEvents,
  ) {}

  /** The descriptive fields a creation body gives, checked against the advertised rule. */
  private newMetadata(dto: CreateSpaceDto | CreateUserSpaceDto): Partial<SpaceMetadata> {
    const metadata = this.fields.given(dto);
    this.fields.checkAdvertised(EMPTY_METADATA, metadata);
    return metadata;
  }

  /** POST /user/spaces: the caller owns the space; with a provider support token, it is supported. */
  async createUserSpace(caller: UserCaller, dto: CreateUserSpaceDto, peerIp?: string): Promise<string> {
    const creator: Subject = { type: 'user', id: caller.userId };
    const metadata = this.newMetadata(dto);
    if (dto.token === undefined) {
      return this.create({ name: dto.name, metadata, creator, ownerId: caller.userId });
    }
    const size = parseSize(dto.size)!;
    const token = await this.tokens.checkBodyToken(dto.token, 'provider_support', {
      consumer: creator,
      peerIp,
    });
    if (token.maxSize !== null && size > token.maxSize) {
      throw ApiError.invalidRequest(`size exceeds the token's maxSize of ${token.maxSize} bytes.`);
    }
    return this.create({
      name: dto.name,
      metadata,
      creator,
      ownerId: caller.userId,
      token,
      support: { providerId: token.subject.id, size },
    });
  }

  /**
   * POST /spaces: a user creates a space they own; a provider creates one for
   * the user who minted the space creation token, and supports it.
   */
  async createSpace(caller: UserCaller | ProviderCaller | AdminCaller, dto: CreateSpaceDto, peerIp?: string): Promise<string> {
    if (caller.type !== 'provider') {
      if (dto.token !== undefined) throw ApiError.invalidRequest('token is accepted from providers only.');
      if (dto.size !== undefined) throw ApiError.invalidRequest('size is accepted from providers only.');
    }
    const metadata = this.newMetadata(dto);
    if (caller.type === 'admin') return this.createUnowned(dto.name, metadata);
    if (caller.type === 'user') {
      return this.create({ name: dto.name, metadata, creator: { type: 'user', id: caller.userId }, ownerId: caller.userId });
    }
    const missing = (['token', 'size'] as const).filter((k) => dto[k] === undefined);
    if (missing.length > 0) {
      throw ApiError.invalidRequest(`${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} required from providers.`);
    }
    const size = parseSize(dto.size)!;
    const token = await this.tokens.checkBodyToken(dto.token!, 'space_creation', {
      consumer: { type: 'provider', id: caller.providerId },
      peerIp,
    });
    return this.create({
      name: dto.name,
      metadata,
      creator: { type: 'provider', id: caller.providerId },
      ownerId: token.subject.id,
      token,
      support: { providerId: caller.providerId, size },
    });
  }

  async mintSpaceCreationToken(caller: UserCaller, dto: MintSpaceCreationTokenDto): Promise<string> {
    return this.tokens.issue({
      type: 'space_creation',
      subject: { type: 'user', id: caller.userId },
      usageLimit: 1,
      validUntil: futureDate(dto.validUntil),
    });
  }

  async mintProviderSupportToken(caller: ProviderCaller, dto: MintProviderSupportTokenDto): Promise<string> {
    return this.tokens.issue({
      type: 'provider_support',
      subject: { type: 'provider', id: caller.providerId },
      usageLimit: dto.usageLimit ?? 1,
      maxSize: dto.maxSize === undefined ? null : parseSize(dto.maxSize),
      validUntil: futureDate(dto.validUntil),
    });
  }

  /** The space the caller was authorised on, with its supports (loaded with the access check). */
  get(access: SpaceAccess): SpaceRecord {
    if (!access.space) throw new Error('a route reading a space must declare @SpaceRoute({ load: true })');
    return access.space;
  }

  /** The space's document as the caller may see it: the contact email only to who may manage the Marketplace. */
  view(access: SpaceAccess): SpaceDto {
    return toSpaceDto(this.get(access), maySeeContactEmail(access.standing, ZonePrivileges.hasAll(access.zone ?? 0, ['oz_spaces_view'])));
  }

  /** GET /spaces (the administrator): every space, one page in id order. */
  async listAll(page: PageRequest): Promise<Page<string>> {
    return toPage(await this.spaces.ids(page), page.limit, (id) => id);
  }

  /** The spaces the user is a direct (or, with `effective`, any) member of, one page in id order. */
  async listOfUser(caller: UserCaller, page: PageRequest, effective = false): Promise<Page<string>> {
    return toPage(await this.members.spaceIds(caller.userId, page, effective), page.limit, (id) => id);
  }

  /**
   * PATCH /spaces/{id}: the name and descriptive fields given, under the
   * space's lock, with the rights checked again there. The advertised rule
   * holds for the stored fields with the changes applied.
   */
  async update(access: SpaceAccess, dto: UpdateSpaceDto): Promise<void> {
    const changes = { ...(dto.name !== undefined && { name: dto.name }), ...this.fields.given(dto) };
    if (Object.keys(changes).length === 0) {
      throw ApiError.invalidRequest(
        'Give at least one of name, description, organizationName, tags, advertisedInMarketplace, marketplaceContactEmail.',
      );
    }
    const cancelled = await this.transactions.run(async (tx) => {
      await this.access.lock(tx, access, SPACE_NEEDS.update);
      const stored = await this.spaces.metadata(tx, access.spaceId);
      if (!stored) throw notFound();
      this.fields.checkAdvertised(stored, changes);
      await this.spaces.update(tx, access.spaceId, changes);
      // Leaving the Marketplace cancels the requests to join through it.
      const unadvertised = stored.advertisedInMarketplace && changes.advertisedInMarketplace === false;
      return unadvertised ? this.requests.cancelPending(tx, access.spaceId) : [];
    });
    this.events.cancelled(cancelled, 'space_unadvertised');
  }

  /** Deletes the space with its memberships, supports, membership requests and the tokens that target it. */
  async delete(access: SpaceAccess): Promise<void> {
    const cancelled = await this.transactions.run(async (tx) => {
      if (!(await this.spaces.lock(tx, access.spaceId))) throw notFound();
      const pending = await this.requests.cancelPending(tx, access.spaceId);
      if (!(await this.spaces.delete(access.spaceId, tx))) throw notFound();
      return pending;
    });
    this.events.cancelled(cancelled, 'space_deleted');
  }

  /** The administrator's space: no members, no creator. */
  private async createUnowned(name: string, metadata: Partial<SpaceMetadata>): Promise<string> {
    const id = newId();
    await this.transactions.run(async (tx) => {
      await this.idempotency.record(tx, id);
      await this.spaces.createUnowned(tx, { id, name, metadata });
    });
    return id;
  }

  /**
   * One transaction: the request's Idempotency-Key, the token's use, the
   * capacity check, the space, its owner membership and its support are
   * stored together or not at all. A plain creation without a key is one
   * statement.
   */
  private async create(creation: Creation): Promise<string> {
    const id = newId();
    const owner = { userId: creation.ownerId, privileges: SpacePrivileges.allMask };
    if (!creation.token && !creation.support && !this.idempotency.claimed) {
      await this.spaces.createOwned({ id, name: creation.name, creator: creation.creator, owner, metadata: creation.metadata });
      return id;
    }
    await this.tokens.answeringInvalidToken('space creation', () =>
      this.transactions.run(async (tx) => {
        await this.idempotency.record(tx, id);
        if (creation.token) await this.tokens.consume(tx, creation.token);
        if (creation.support) await this.supports.reserve(tx, creation.support.providerId, creation.support.size);
        await this.spaces.create(tx, {
          id,
          name: creation.name,
          creator: creation.creator,
          owner,
          support: creation.support,
          metadata: creation.metadata,
        });
      }),
    );
    return id;
  }
}
