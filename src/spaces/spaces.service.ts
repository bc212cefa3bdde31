import { Injectable } from '@nestjs/common';
import type { Caller, Subject } from '../auth/caller.js';
import { ApiError } from '../common/api-error.js';
import { newId } from '../common/ids.js';
import { parseSize } from '../common/validation/sizes.js';
import { Transactions } from '../database/transactions.js';
import type { TokenType } from '../generated/prisma/enums.js';
import { TokenRejectedError } from '../tokens/token-rejected.error.js';
import type { TokenRecord } from '../tokens/tokens.repository.js';
import { TokensService } from '../tokens/tokens.service.js';
import type { CreateSpaceDto } from './dto/create-space.dto.js';
import type { CreateUserSpaceDto } from './dto/create-user-space.dto.js';
import type { MintProviderSupportTokenDto, MintSpaceCreationTokenDto } from './dto/mint-tokens.dto.js';
import { ADMIN_PRIVILEGES } from './privileges.js';
import { SpacesRepository } from './spaces.repository.js';

type UserCaller = Extract<Caller, { type: 'user' }>;
type ProviderCaller = Extract<Caller, { type: 'provider' }>;

interface Creation {
  name: string;
  creator: Subject;
  ownerId: string;
  /** A token to consume, with the support it grants. */
  token?: TokenRecord;
  support?: { providerId: string; size: bigint };
}

@Injectable()
export class SpacesService {
  constructor(
    private readonly spaces: SpacesRepository,
    private readonly tokens: TokensService,
    private readonly transactions: Transactions,
  ) {}

  /** POST /user/spaces: the caller owns the space; with a provider support token, it is supported. */
  async createUserSpace(caller: UserCaller, dto: CreateUserSpaceDto): Promise<string> {
    const creator: Subject = { type: 'user', id: caller.userId };
    if (dto.token === undefined) {
      return this.create({ name: dto.name, creator, ownerId: caller.userId });
    }
    const size = parseSize(dto.size)!;
    const token = await this.checkBodyToken(dto.token, 'provider_support');
    if (token.maxSize !== null && size > token.maxSize) {
      throw ApiError.invalidRequest(`size exceeds the token's maxSize of ${token.maxSize} bytes.`);
    }
    return this.create({
      name: dto.name,
      creator,
      ownerId: caller.userId,
      token,
      support: { providerId: token.subjectId, size },
    });
  }

  /**
   * POST /spaces: a user creates a space they own; a provider creates one for
   * the user who minted the space creation token, and supports it.
   */
  async createSpace(caller: UserCaller | ProviderCaller, dto: CreateSpaceDto): Promise<string> {
    if (caller.type === 'user') {
      if (dto.token !== undefined) throw ApiError.invalidRequest('token is accepted from providers only.');
      if (dto.size !== undefined) throw ApiError.invalidRequest('size is accepted from providers only.');
      return this.create({ name: dto.name, creator: { type: 'user', id: caller.userId }, ownerId: caller.userId });
    }
    const missing = (['token', 'size'] as const).filter((k) => dto[k] === undefined);
    if (missing.length > 0) {
      throw ApiError.invalidRequest(`${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} required from providers.`);
    }
    const size = parseSize(dto.size)!;
    const token = await this.checkBodyToken(dto.token!, 'space_creation');
    return this.create({
      name: dto.name,
      creator: { type: 'provider', id: caller.providerId },
      ownerId: token.subjectId,
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

  /**
   * One transaction: the token's use, the capacity check, the space, its
   * owner membership and its support are stored together or not at all.
   */
  private async create(creation: Creation): Promise<string> {
    const id = newId();
    try {
      await this.transactions.run(async (tx) => {
        if (creation.token) await this.tokens.consume(tx, creation.token);
        if (creation.support) {
          const { providerId, size } = creation.support;
          const free = await this.spaces.lockFreeCapacity(tx, providerId);
          if (free === undefined) throw new TokenRejectedError(`provider ${providerId} no longer exists`);
          if (free !== null && size > free) {
            throw ApiError.invalidRequest(
              `size exceeds the provider's free capacity of ${free < 0n ? 0n : free} bytes.`,
            );
          }
        }
        await this.spaces.create(tx, {
          id,
          name: creation.name,
          creator: creation.creator,
          owner: { userId: creation.ownerId, privileges: ADMIN_PRIVILEGES },
          support: creation.support,
        });
      });
    } catch (error) {
      if (error instanceof TokenRejectedError) {
        this.tokens.logRejection(error, 'space creation');
        throw ApiError.invalidToken();
      }
      throw error;
    }
    return id;
  }

  private async checkBodyToken(serialized: string, type: TokenType): Promise<TokenRecord> {
    try {
      return await this.tokens.check(serialized, type);
    } catch (error) {
      if (error instanceof TokenRejectedError) {
        this.tokens.logRejection(error, `body ${type} token`);
        throw ApiError.invalidToken();
      }
      throw error;
    }
  }
}

/** A token limit given as unix seconds; it must lie in the future. */
function futureDate(unixSeconds: number | undefined): Date | null {
  if (unixSeconds === undefined) return null;
  const date = new Date(unixSeconds * 1000);
  if (date.getTime() <= Date.now()) throw ApiError.invalidRequest('validUntil must be in the future.');
  return date;
}
