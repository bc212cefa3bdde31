import { Injectable } from '@nestjs/common';
import type { Subject } from '../auth/caller.js';
import type { PageRequest } from '../common/pagination/pagination.js';
import { PrismaService } from '../database/prisma.service.js';
import type { Tx } from '../database/transactions.js';
import type { TokenType } from '../generated/prisma/enums.js';
import type { TokenModel } from '../generated/prisma/models.js';

export type TokenRecord = TokenModel;

export interface NewToken {
  id: string;
  type: TokenType;
  subjectType: 'user' | 'provider';
  subjectId: string;
  spaceId?: string | null;
  validUntil?: Date | null;
  usageLimit?: number | null;
  maxSize?: bigint | null;
  groupId?: string | null;
  /** Space privileges carried (bitmask). */
  privileges?: bigint;
  /** Group privileges carried (bitmask). */
  groupPrivileges?: bigint;
}

@Injectable()
export class TokensRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(token: NewToken): Promise<TokenRecord> {
    const { groupPrivileges, ...rest } = token;
    return this.prisma.token.create({
      data: { ...rest, ...(groupPrivileges !== undefined && { groupPrivileges: Number(groupPrivileges) }) },
    });
  }

  findById(id: string): Promise<TokenRecord | null> {
    return this.prisma.token.findUnique({ where: { id } });
  }

  /** The subject's tokens in id order, `limit + 1` of them at most (see toPage). */
  listOf(subject: Subject, page: PageRequest): Promise<TokenRecord[]> {
    return this.prisma.token.findMany({
      where: { subjectType: subject.type, subjectId: subject.id, ...(page.after && { id: { gt: page.after } }) },
      orderBy: { id: 'asc' },
      take: page.limit + 1,
    });
  }

  /** Revokes one of the subject's tokens; false when the subject has no such token. */
  async revoke(subject: Subject, id: string): Promise<boolean> {
    const { count } = await this.prisma.token.updateMany({
      where: { id, subjectType: subject.type, subjectId: subject.id },
      data: { revoked: true },
    });
    return count === 1;
  }

  /**
   * Records one use, only while the token is unrevoked, unexpired and has
   * uses left. The row lock makes racing uses of the last use see each other:
   * exactly one gets `true`.
   */
  async consume(tx: Tx, id: string, now: Date): Promise<boolean> {
    const { count } = await tx.token.updateMany({
      where: {
        id,
        revoked: false,
        AND: [
          { OR: [{ usageLimit: null }, { usageCount: { lt: this.prisma.token.fields.usageLimit } }] },
          { OR: [{ validUntil: null }, { validUntil: { gt: now } }] },
        ],
      },
      data: { usageCount: { increment: 1 } },
    });
    return count === 1;
  }
}
