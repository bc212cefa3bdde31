import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Caller, Subject } from '../auth/caller.js';
import { APP_CONFIG, SECRETS } from '../config/config.module.js';
import type { AppConfig } from '../config/environment.js';
import type { Secrets } from '../config/secrets.js';
import { newId } from '../common/ids.js';
import type { Tx } from '../database/transactions.js';
import type { TokenType } from '../generated/prisma/enums.js';
import { mintToken, parseToken, verifyToken } from './token-codec.js';
import { TokenRejectedError } from './token-rejected.error.js';
import { type TokenRecord, TokensRepository } from './tokens.repository.js';

export interface IssueParams {
  type: TokenType;
  subject: Subject;
  spaceId?: string | null;
  validUntil?: Date | null;
  usageLimit?: number | null;
  maxSize?: bigint | null;
}

@Injectable()
export class TokensService {
  private readonly logger = new Logger(TokensService.name);

  constructor(
    private readonly tokens: TokensRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SECRETS) private readonly secrets: Secrets,
  ) {}

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
   * Verifies a serialised token for a use of `type`, in DESIGN §5's order:
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

  /** Records a use inside the caller's transaction; throws if another use took the last one. */
  async consume(tx: Tx, token: TokenRecord, now = new Date()): Promise<void> {
    if (!(await this.tokens.consume(tx, token.id, now))) {
      throw new TokenRejectedError(`token ${token.id} was used up concurrently`);
    }
  }

  /** Resolves a bearer access token to its caller, or null (reason logged). */
  async authenticate(serialized: string): Promise<Caller | null> {
    try {
      const record = await this.check(serialized, 'access');
      return record.subjectType === 'user'
        ? { type: 'user', userId: record.subjectId }
        : { type: 'provider', providerId: record.subjectId };
    } catch (error) {
      if (error instanceof TokenRejectedError) {
        this.logger.debug(`bearer ${error.message}`);
        return null;
      }
      throw error;
    }
  }

  /** Logs why a token was refused; callers answer with one message whatever the reason. */
  logRejection(error: TokenRejectedError, use: string): void {
    this.logger.debug(`${use}: ${error.message}`);
  }
}
