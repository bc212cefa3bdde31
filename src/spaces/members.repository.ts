import { Injectable } from '@nestjs/common';
import { EffectiveMemberships } from '../access/effective-membership.repository.js';
import type { PageRequest } from '../common/pagination/pagination.js';
import { ReplicaReads } from '../database/replica-reads.js';
import { PrismaService } from '../database/prisma.service.js';
import type { Tx } from '../database/transactions.js';

/** A user's direct membership of a space: its stored privileges (bitmask) and owner flag. */
export interface MemberRecord {
  privileges: bigint;
  owner: boolean;
}

/** How a user is an effective member: the direct member groups it comes through, and whether it is one itself. */
export interface Intermediaries {
  direct: boolean;
  via: string[];
}

/**
 * Space memberships: who belongs to which space, directly (memberships) and
 * effectively (space_eff_users). Every write of a direct membership updates
 * its effective row in the same transaction.
 */
@Injectable()
export class MembersRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly memberships: EffectiveMemberships,
    private readonly reads: ReplicaReads,
  ) {}

  /** The direct membership (stored privileges), or null. */
  find(spaceId: string, userId: string, tx?: Tx): Promise<MemberRecord | null> {
    return (tx ?? this.prisma).membership.findUnique({
      where: { spaceId_userId: { spaceId, userId } },
      select: { privileges: true, owner: true },
    });
  }

  /** An effective member with their user's name; null when the user is not one. */
  async findUser(spaceId: string, userId: string): Promise<{ userId: string; name: string } | null> {
    const row = await this.prisma.spaceEffUser.findUnique({
      where: { spaceId_userId: { spaceId, userId } },
      select: { user: { select: { id: true, name: true } } },
    });
    return row && { userId: row.user.id, name: row.user.name };
  }

  /** An effective member's effective privileges and owner flag; null when the user is not one. */
  effectiveOf(spaceId: string, userId: string): Promise<{ privileges: bigint; owner: boolean } | null> {
    return this.prisma.spaceEffUser.findUnique({
      where: { spaceId_userId: { spaceId, userId } },
      select: { privileges: true, owner: true },
    });
  }

  intermediaries(spaceId: string, userId: string): Promise<Intermediaries | null> {
    return this.prisma.spaceEffUser.findUnique({
      where: { spaceId_userId: { spaceId, userId } },
      select: { direct: true, via: true },
    });
  }

  /** Direct members' ids in id order, `limit + 1` of them at most (see toPage). */
  async userIds(spaceId: string, page: PageRequest, ownersOnly = false): Promise<string[]> {
    const rows = await this.prisma.membership.findMany({
      where: { spaceId, ...(ownersOnly && { owner: true }), ...(page.after && { userId: { gt: page.after } }) },
      orderBy: { userId: 'asc' },
      take: page.limit + 1,
      select: { userId: true },
    });
    return rows.map((r) => r.userId);
  }

  /** Effective members' ids in id order, `limit + 1` of them at most. */
  async effectiveUserIds(spaceId: string, page: PageRequest): Promise<string[]> {
    const rows = await this.prisma.spaceEffUser.findMany({
      where: { spaceId, ...(page.after && { userId: { gt: page.after } }) },
      orderBy: { userId: 'asc' },
      take: page.limit + 1,
      select: { userId: true },
    });
    return rows.map((r) => r.userId);
  }

  /** The spaces the user is a direct (or, with `effective`, any) member of, in id order, `limit + 1` at most. */
  async spaceIds(userId: string, page: PageRequest, effective = false): Promise<string[]> {
    const query = {
      where: { userId, ...(page.after && { spaceId: { gt: page.after } }) },
      orderBy: { spaceId: 'asc' as const },
      take: page.limit + 1,
      select: { spaceId: true },
    };
    // A list may lag: from the replicas when configured, but the caller's own right after its writes.
    const client = this.reads.forCaller(`user:${userId}`);
    const rows = effective ? await client.spaceEffUser.findMany(query) : await client.membership.findMany(query);
    return rows.map((r) => r.spaceId);
  }

  async userExists(tx: Tx, userId: string): Promise<boolean> {
    return (await tx.user.count({ where: { id: userId } })) === 1;
  }

  async ownerCount(tx: Tx, spaceId: string): Promise<number> {
    return tx.membership.count({ where: { spaceId, owner: true } });
  }

  async add(tx: Tx, spaceId: string, userId: string, member: MemberRecord): Promise<void> {
    await tx.membership.create({ data: { spaceId, userId, ...member } });
    await this.memberships.spaceUserChanged(tx, spaceId, userId);
  }

  async update(tx: Tx, spaceId: string, userId: string, data: Partial<MemberRecord>): Promise<void> {
    await tx.membership.update({ where: { spaceId_userId: { spaceId, userId } }, data });
    await this.memberships.spaceUserChanged(tx, spaceId, userId);
  }

  async remove(tx: Tx, spaceId: string, userId: string): Promise<void> {
    await tx.membership.delete({ where: { spaceId_userId: { spaceId, userId } } });
    await this.memberships.spaceUserChanged(tx, spaceId, userId);
  }
}
