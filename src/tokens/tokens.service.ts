import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Caller, Subject } from '../auth/caller.js';
import { SPACES_CONFIG, SECRETS } from '../config/spaces-config.js';
import type { AppConfig } from '../config/environment.js';
import type { Secrets } from '../config/secrets.js';
import { ApiError } from '../common/api-error.js';
import { newId } from '../common/ids.js';
import { type Page, type PageRequest, toPage } from '../common/pagination/pagination.js';
import type { Tx } from '../database/transactions.js';
import type { TokenType } from '../generated/prisma/enums.js';
import { BearerCache } from './bearer-cache.js';
import { describeCaveats, mintToken, parseToken, verifyToken } from './token-codec.js';
import { TokenRejectedError } from './token-rejected.error.js';
import { type TokenRecord, TokensRepository } from './tokens.repository.js';

export interface IssueParams {
  type: TokenType;
  subject: Subject;
  spaceId?: string | null;
  validUntil?: Date | null;
  usageLimit?: number | null;
  maxSize?: bigint | null;
  groupId?: string | null;
  /** Space privileges a joining user or group gets (bitmask). */
  privileges?: bigint;
  /** Group privileges a joining user or group gets (bitmask). */
  groupPrivileges?: bigint;
}

/** What POST /tokens/examine tells the holder of a genuine token. */
export interface ExaminedToken {
  record: TokenRecord;
  caveats: ReturnType<typeof describeCaveats>;
}

@Injectable()
export class TokensService {
  private readonly logger = new Logger(TokensService.name);
  private readonly bearers: BearerCache;

  constructor(
    private readonly tokens: TokensRepository,
    @Inject(SPACES_CONFIG) private readonly config: AppConfig,
    @Inject(SECRETS) private readonly secrets: Secrets,
  ) {
    this.bearers = new BearerCache((config.TOKEN_CACHE_SECONDS ?? 0) * 1000);
  }

  /** Stores a new token and returns it serialised. */
  async issue(params: IssueParams): Promise<string> {
    const record = await this.tokens.create({
      id: newId(),
      type: params.type,
      subjectType: params.subject.type,
      subjectId: params.subject.id,
      spaceId: params.spaceId ?? null,
      validUntil: params.validUntil ?? null,
      usageLimit: params.usageLimit ?? null,
      maxSize: params.maxSize ?? null,
      groupId: params.groupId ?? null,
      privileges: params.privileges ?? 0n,
      groupPrivileges: params.groupPrivileges ?? 0n,
    });
    return mintToken({
      id: record.id,
      type: record.type,
      location: this.config.TOKEN_LOCATION,
      secret: this.secrets.tokenSecret,
      validUntil: record.validUntil,
    });
  }

  /**
   * Verifies a serialised token for a use of `type`, in this order:
   * parse → load the row → not revoked, uses left, type fits → signature and
   * caveats. Throws TokenRejectedError with the reason.
   */
  async check(serialized: unknown, type: TokenType, now = new Date()): Promise<TokenRecord> {
    const parsed = parseToken(serialized);
    if (!parsed) throw new TokenRejectedError('malformed');
    const record = await this.tokens.findById(parsed.id);
    if (!record) throw new TokenRejectedError(`unknown token ${parsed.id}`);
    if (record.revoked) throw new TokenRejectedError(`token ${record.id} is revoked`);
    if (record.usageLimit !== null && record.usageCount >= record.usageLimit) {
      throw new TokenRejectedError(`token ${record.id} has no uses left`);
    }
    if (record.validUntil && record.validUntil <= now) {
      throw new TokenRejectedError(`token ${record.id} expired`);
    }
    if (record.type !== type) {
      throw new TokenRejectedError(`token ${record.id} is a ${record.type} token, not ${type}`);
    }
    const failure = verifyToken(parsed, this.secrets.tokenSecret, { type, now, location: this.config.TOKEN_LOCATION });
    if (failure) throw new TokenRejectedError(`token ${record.id}: ${failure}`);
    return record;
  }

  /**
   * Checks a token given in a request body: any failure is the one 400
   * invalid_token answer, with the reason in the log.
   */
  async checkBodyToken(serialized: string, type: TokenType): Promise<TokenRecord> {
    return this.answeringInvalidToken(`body ${type} token`, () => this.check(serialized, type));
  }

  /**
   * Runs work that uses a body token (typically the transaction consuming it);
   * a TokenRejectedError inside becomes the 400 invalid_token answer.
   */
  async answeringInvalidToken<T>(use: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof TokenRejectedError) {
        this.logger.debug(`${use}: ${error.message}`);
        throw ApiError.invalidToken();
      }
      throw error;
    }
  }

  /** Records a use inside the caller's transaction; throws if another use took the last one. */
  async consume(tx: Tx, token: TokenRecord, now = new Date()): Promise<void> {
    if (!(await this.tokens.consume(tx, token.id, now))) {
      throw new TokenRejectedError(`token ${token.id} was used up concurrently`);
    }
  }

  /**
   * Resolves a bearer access token to its caller, or null (reason logged).
   * A token verified in the last TOKEN_CACHE_SECONDS is trusted without its
   * row (see BearerCache); revoking it here forgets it at once.
   */
  async authenticate(serialized: string): Promise<Caller | null> {
    const cached = this.bearers.get(serialized);
    if (cached) return cached;
    try {
      const record = await this.check(serialized, 'access');
      const caller: Caller =
        record.subjectType === 'user'
          ? { type: 'user', userId: record.subjectId }
          : { type: 'provider', providerId: record.subjectId };
      this.bearers.set(serialized, record.id, caller, expiryOf(serialized, record));
      return caller;
    } catch (error) {
      if (error instanceof TokenRejectedError) {
        this.logger.debug(`bearer ${error.message}`);
        return null;
      }
      throw error;
    }
  }

  /** The subject's tokens, one page in id order. */
  async list(subject: Subject, page: PageRequest): Promise<Page<TokenRecord>> {
    return toPage(await this.tokens.listOf(subject, page), page.limit, (t) => t.id);
  }

  /** Revokes one of the subject's own tokens: it stops working with the next request. */
  async revoke(subject: Subject, id: string): Promise<void> {
    if (!(await this.tokens.revoke(subject, id))) throw ApiError.notFound('You have no token with this id.');
    this.bearers.forget(id);
  }

  /**
   * Describes a genuine token (its signature holds), whether or not it can
   * still be used. Anything else is the one 400 invalid_token answer.
   */
  async examine(serialized: string): Promise<ExaminedToken> {
    return this.answeringInvalidToken('examined token', async () => {
      const parsed = parseToken(serialized);
      if (!parsed) throw new TokenRejectedError('malformed');
      const record = await this.tokens.findById(parsed.id);
      if (!record) throw new TokenRejectedError(`unknown token ${parsed.id}`);
      const failure = verifyToken(parsed, this.secrets.tokenSecret, {
        type: record.type,
        now: null,
        location: this.config.TOKEN_LOCATION,
      });
      if (failure) throw new TokenRejectedError(`token ${record.id}: ${failure}`);
      return { record, caveats: describeCaveats(parsed) };
    });
  }
}

/** The earliest moment a verified token stops working: its row's limit or a `time <` caveat (epoch ms). */
function expiryOf(serialized: string, record: TokenRecord): number | null {
  const times = describeCaveats(parseToken(serialized)!).flatMap((c) => (c.type === 'time' ? [c.validUntil * 1000] : []));
  if (record.validUntil) times.push(record.validUntil.getTime());
  return times.length > 0 ? Math.min(...times) : null;
}
