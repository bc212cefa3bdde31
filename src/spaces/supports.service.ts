import { Injectable } from '@nestjs/common';
import { AccessRepository } from '../access/access.repository.js';
import { mayIssueSupport } from '../access/policy.js';
import { ApiError } from '../common/api-error.js';
import { Idempotency } from '../common/idempotency/idempotency.service.js';
import { type Page, type PageRequest, toPage } from '../common/pagination/pagination.js';
import { parseSize } from '../common/validation/sizes.js';
import { Transactions, type Tx } from '../database/transactions.js';
import { TokenRejectedError } from '../tokens/token-rejected.error.js';
import { TokensService } from '../tokens/tokens.service.js';
import { notFound } from './access/space-access.service.js';
import type { ProviderCaller, SpaceAccess, UserSpaceAccess } from './access/space-access.js';
import type { MintSupportTokenDto, SupportSpaceDto } from './dto/support.dto.js';
import { SpacesRepository } from './spaces.repository.js';
import { SupportsRepository } from './supports.repository.js';
import { futureDate } from './token-limits.js';
import type { UpdateSupportParametersDto } from './dto/support-parameters.dto.js';
import { applySupportParameters, DEFAULT_SUPPORT_PARAMETERS } from './support-parameters.js';

/** Providers' support of spaces, and the capacity it uses. */
@Injectable()
export class SupportsService {
  constructor(
    private readonly supports: SupportsRepository,
    private readonly spaces: SpacesRepository,
    private readonly access: AccessRepository,
    private readonly tokens: TokensService,
    private readonly transactions: Transactions,
    private readonly idempotency: Idempotency,
  ) {}

  /**
   * Checks, with the provider's row locked until `tx` ends, that it has `size`
   * bytes free: concurrent supports by one provider never exceed its capacity.
   */
  async reserve(tx: Tx, providerId: string, size: bigint): Promise<void> {
    const free = await this.supports.lockFreeCapacity(tx, providerId);
    if (free === undefined) throw new TokenRejectedError(`provider ${providerId} no longer exists`);
    if (free !== null && size > free) {
      throw ApiError.invalidRequest(`size exceeds the provider's free capacity of ${free < 0n ? 0n : free} bytes.`);
    }
  }

  async providers(access: SpaceAccess, page: PageRequest): Promise<Page<string>> {
    return toPage(await this.supports.providerIds(access.spaceId, page), page.limit, (id) => id);
  }

  /** The spaces the provider supports, one page in id order. */
  async listOfProvider(caller: ProviderCaller, page: PageRequest): Promise<Page<string>> {
    return toPage(await this.supports.spaceIds(caller.providerId, page), page.limit, (id) => id);
  }

  /** A token with which a provider supports the space (POST /provider/spaces/support). */
  async mintSupportToken(access: UserSpaceAccess, dto: MintSupportTokenDto): Promise<string> {
    return this.tokens.issue({
      type: 'support_space',
      subject: { type: 'user', id: access.caller.userId },
      spaceId: access.spaceId,
      usageLimit: dto.usageLimit ?? 1,
      validUntil: futureDate(dto.validUntil),
    });
  }

  /**
   * POST /provider/spaces/support: in one transaction, the token's use, the
   * capacity check and the support. The member who minted the token must
   * still hold space_add_support. Returns the space's id.
   */
  async support(caller: ProviderCaller, dto: SupportSpaceDto, peerIp?: string): Promise<string> {
    const size = parseSize(dto.size)!;
    const parameters = applySupportParameters(DEFAULT_SUPPORT_PARAMETERS, dto.spaceSupportParameters ?? {});
    const token = await this.tokens.checkBodyToken(dto.token, 'support_space', {
      consumer: { type: 'provider', id: caller.providerId },
      peerIp,
    });
    const spaceId = token.spaceId;
    if (spaceId === null) throw ApiError.invalidToken();
    await this.tokens.answeringInvalidToken('space support', () =>
      this.transactions.run(async (tx) => {
        await this.idempotency.record(tx, spaceId);
        if (!(await this.spaces.lock(tx, spaceId))) throw new TokenRejectedError(`space ${spaceId} is gone`);
        if (!mayIssueSupport(await this.access.spaceStanding(spaceId, token.subject.id, tx))) {
          throw new TokenRejectedError(`issuer ${token.subject.id} no longer holds space_add_support`);
        }
        if (await this.supports.find(spaceId, caller.providerId, tx)) {
          throw ApiError.alreadyExists('You already support this space.');
        }
        await this.tokens.consume(tx, token);
        await this.reserve(tx, caller.providerId, size);
        await this.supports.add(tx, spaceId, caller.providerId, size, parameters);
      }),
    );
    return spaceId;
  }

  /**
   * PATCH /spaces/{id}/providers/{pid}/support_parameters: who may set which
   * field was decided before the body was validated; here, under the
   * support's lock, the change is applied by the rules of the parameters.
   */
  async setParameters(access: SpaceAccess, providerId: string, dto: UpdateSupportParametersDto): Promise<void> {
    if (Object.values(dto).every((v) => v === undefined)) {
      throw ApiError.invalidRequest('Give at least one of accountingEnabled, dirStatsServiceEnabled, dirStatsServiceStatus.');
    }
    await this.transactions.run(async (tx) => {
      if (!(await this.spaces.lock(tx, access.spaceId))) throw notFound();
      const stored = await this.supports.lockParameters(tx, access.spaceId, providerId);
      if (!stored) throw ApiError.notFound('This provider does not support the space.');
      await this.supports.setParameters(tx, access.spaceId, providerId, applySupportParameters(stored, dto));
    });
  }

  /** DELETE /spaces/{id}/providers/{pid}: a member with space_remove_support ends a provider's support. */
  async remove(access: SpaceAccess, providerId: string): Promise<void> {
    if (!(await this.supports.remove(access.spaceId, providerId))) {
      throw ApiError.notFound('This provider does not support the space.');
    }
  }

  /** DELETE /provider/spaces/{id}: the provider ceases its own support. */
  async cease(caller: ProviderCaller, access: SpaceAccess): Promise<void> {
    if (!(await this.supports.remove(access.spaceId, caller.providerId))) throw notFound();
  }
}
