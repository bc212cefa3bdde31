import { Injectable } from '@nestjs/common';
import type { PageRequest } from '../common/pagination/pagination.js';
import { PrismaService } from '../database/prisma.service.js';
import type { Tx } from '../database/transactions.js';
import type { SpacePrivilege } from '../generated/prisma/enums.js';

export interface MemberRecord {
  privileges: SpacePrivilege[];
  owner: boolean;
}

/** Space memberships: who belongs to which space, with what privileges. */
@Injectable()
export class MembersRepository {
  constructor(private readonly prisma: PrismaService) {}

  find(spaceId: string, userId: string, tx?: Tx): Promise<MemberRecord | null> {
    return (tx ?? this.prisma).membership.findUnique({
      where: { spaceId_userId: { spaceId, userId } },
      select: { privileges: true, owner: true },
    });
  }

  /** A member with their user's name; null when the user is not a member. */
  async findUser(spaceId: string, userId: string): Promise<{ userId: string; name: string } | null> {
    const row = await this.prisma.membership.findUnique({
      where: { spaceId_userId: { spaceId, userId } },
      select: { user: { select: { id: true, name: true } } },
    });
    return row && { userId: row.user.id, name: row.user.name };
  }

  /** Members' ids in id order, `limit + 1` of them at most (see toPage). */
  async userIds(spaceId: string, page: PageRequest, ownersOnly = false): Promise<string[]> {
    const rows = await this.prisma.membership.findMany({
      where: { spaceId, ...(ownersOnly && { owner: true }), ...(page.after && { userId: { gt: page.after } }) },
      orderBy: { userId: 'asc' },
      take: page.limit + 1,
      select: { userId: true },
    });
    return rows.map((r) => r.userId);
  }

  /** The user's spaces' ids in id order, `limit + 1` of them at most. */
  async spaceIds(userId: string, page: PageRequest): Promise<string[]> {
    const rows = await this.prisma.membership.findMany({
      where: { userId, ...(page.after && { spaceId: { gt: page.after } }) },
      orderBy: { spaceId: 'asc' },
      take: page.limit + 1,
      select: { spaceId: true },
    });
    return rows.map((r) => r.spaceId);
  }

  async count(tx: Tx, spaceId: string): Promise<{ members: number; owners: number }> {
    const [members, owners] = await Promise.all([
      tx.membership.count({ where: { spaceId } }),
      tx.membership.count({ where: { spaceId, owner: true } }),
    ]);
    return { members, owners };
  }

  async add(tx: Tx, spaceId: string, userId: string, privileges: SpacePrivilege[]): Promise<void> {
    await tx.membership.create({ data: { spaceId, userId, privileges } });
  }

  async update(tx: Tx, spaceId: string, userId: string, data: Partial<MemberRecord>): Promise<void> {
    await tx.membership.update({ where: { spaceId_userId: { spaceId, userId } }, data });
  }

  async remove(tx: Tx, spaceId: string, userId: string): Promise<void> {
    await tx.membership.delete({ where: { spaceId_userId: { spaceId, userId } } });
  }
}
