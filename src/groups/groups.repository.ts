import { Injectable } from '@nestjs/common';
import type { PageRequest } from '../common/pagination/pagination.js';
import { PrismaService } from '../database/prisma.service.js';
import type { Tx } from '../database/transactions.js';
import type { GroupType } from '../generated/prisma/enums.js';

export const GROUP_TYPES = ['organization', 'unit', 'team', 'role_holders'] as const satisfies readonly GroupType[];

export interface GroupRecord {
  id: string;
  name: string;
  type: GroupType;
  creatorId: string | null;
  createdAt: Date;
}

export interface NewGroup {
  id: string;
  name: string;
  type: GroupType;
  creatorId: string | null;
}

/** How a member is an effective one: the direct member groups it comes through, and whether it is direct itself. */
export interface Via {
  direct: boolean;
  via: string[];
}

const ids = <K extends string>(rows: Record<K, string>[], key: K) => rows.map((r) => r[key]);
const after = <K extends string>(key: K, page: PageRequest) => (page.after ? { [key]: { gt: page.after } } : {});

/**
 * Groups and their direct relations (users in groups, groups in groups,
 * groups in spaces), and reads of their effective ones. Writes of relations
 * are done by GroupGraph, which keeps the effective tables in step.
 */
@Injectable()
export class GroupsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async create(tx: Tx, group: NewGroup): Promise<void> {
    await tx.group.create({ data: group });
  }

  find(id: string, tx?: Tx): Promise<GroupRecord | null> {
    return (tx ?? this.prisma).group.findUnique({ where: { id } });
  }

  async update(id: string, data: { name?: string; type?: GroupType }): Promise<boolean> {
    const { count } = await this.prisma.group.updateMany({ where: { id }, data });
    return count === 1;
  }

  /** Deletes the group row: its remaining relations, effective rows and tokens go with it. */
  async delete(tx: Tx, id: string): Promise<void> {
    await tx.group.deleteMany({ where: { id } });
  }

  /** Every group's id (the administrator's list), `limit + 1` at most. */
  async all(page: PageRequest): Promise<string[]> {
    const rows = await this.prisma.group.findMany({
      where: after('id', page),
      orderBy: { id: 'asc' },
      take: page.limit + 1,
      select: { id: true },
    });
    return ids(rows, 'id');
  }

  async userExists(tx: Tx, userId: string): Promise<boolean> {
    return (await tx.user.count({ where: { id: userId } })) === 1;
  }

  // ---- a user's groups ---------------------------------------------------------

  async groupsOfUser(userId: string, page: PageRequest, effective: boolean): Promise<string[]> {
    const query = {
      where: { userId, ...after('groupId', page) },
      orderBy: { groupId: 'asc' as const },
      take: page.limit + 1,
      select: { groupId: true },
    };
    const rows = effective ? await this.prisma.groupEffUser.findMany(query) : await this.prisma.groupUser.findMany(query);
    return ids(rows, 'groupId');
  }

  // ---- users in a group ----------------------------------------------------------

  async userIds(groupId: string, page: PageRequest, effective: boolean): Promise<string[]> {
    const query = {
      where: { groupId, ...after('userId', page) },
      orderBy: { userId: 'asc' as const },
      take: page.limit + 1,
      select: { userId: true },
    };
    const rows = effective ? await this.prisma.groupEffUser.findMany(query) : await this.prisma.groupUser.findMany(query);
    return ids(rows, 'userId');
  }

  /** An effective member with its name, or null. */
  async effectiveUser(groupId: string, userId: string): Promise<{ userId: string; name: string } | null> {
    const row = await this.prisma.groupEffUser.findUnique({
      where: { groupId_userId: { groupId, userId } },
      select: { user: { select: { id: true, name: true } } },
    });
    return row && { userId: row.user.id, name: row.user.name };
  }

  async userEdge(groupId: string, userId: string, tx?: Tx): Promise<bigint | null> {
    const row = await (tx ?? this.prisma).groupUser.findUnique({
      where: { groupId_userId: { groupId, userId } },
      select: { privileges: true },
    });
    return row && BigInt(row.privileges);
  }

  async effectiveUserRow(groupId: string, userId: string): Promise<(Via & { privileges: bigint }) | null> {
    const row = await this.prisma.groupEffUser.findUnique({ where: { groupId_userId: { groupId, userId } } });
    return row && { direct: row.direct, via: row.via, privileges: BigInt(row.privileges) };
  }

  async addUserEdge(tx: Tx, groupId: string, userId: string, privileges: bigint): Promise<void> {
    await tx.groupUser.create({ data: { groupId, userId, privileges: Number(privileges) } });
  }

  async setUserEdge(tx: Tx, groupId: string, userId: string, privileges: bigint): Promise<void> {
    await tx.groupUser.update({ where: { groupId_userId: { groupId, userId } }, data: { privileges: Number(privileges) } });
  }

  async removeUserEdge(tx: Tx, groupId: string, userId: string): Promise<void> {
    await tx.groupUser.delete({ where: { groupId_userId: { groupId, userId } } });
  }

  // ---- groups in a group ---------------------------------------------------------

  async childIds(groupId: string, page: PageRequest, effective: boolean): Promise<string[]> {
    if (effective) {
      const rows = await this.prisma.groupEffChild.findMany({
        where: { groupId, ...after('childId', page) },
        orderBy: { childId: 'asc' },
        take: page.limit + 1,
        select: { childId: true },
      });
      return ids(rows, 'childId');
    }
    const rows = await this.prisma.groupChild.findMany({
      where: { parentId: groupId, ...after('childId', page) },
      orderBy: { childId: 'asc' },
      take: page.limit + 1,
      select: { childId: true },
    });
    return ids(rows, 'childId');
  }

  async parentIds(groupId: string, page: PageRequest, effective: boolean): Promise<string[]> {
    if (effective) {
      const rows = await this.prisma.groupEffChild.findMany({
        where: { childId: groupId, ...after('groupId', page) },
        orderBy: { groupId: 'asc' },
        take: page.limit + 1,
        select: { groupId: true },
      });
      return ids(rows, 'groupId');
    }
    const rows = await this.prisma.groupChild.findMany({
      where: { childId: groupId, ...after('parentId', page) },
      orderBy: { parentId: 'asc' },
      take: page.limit + 1,
      select: { parentId: true },
    });
    return ids(rows, 'parentId');
  }

  async childEdge(parentId: string, childId: string, tx?: Tx): Promise<bigint | null> {
    const row = await (tx ?? this.prisma).groupChild.findUnique({
      where: { parentId_childId: { parentId, childId } },
      select: { privileges: true },
    });
    return row && BigInt(row.privileges);
  }

  async effectiveChildRow(groupId: string, childId: string): Promise<(Via & { privileges: bigint }) | null> {
    const row = await this.prisma.groupEffChild.findUnique({ where: { groupId_childId: { groupId, childId } } });
    return row && { direct: row.direct, via: row.via, privileges: BigInt(row.privileges) };
  }

  async addChildEdge(tx: Tx, parentId: string, childId: string, privileges: bigint): Promise<void> {
    await tx.groupChild.create({ data: { parentId, childId, privileges: Number(privileges) } });
  }

  async setChildEdge(tx: Tx, parentId: string, childId: string, privileges: bigint): Promise<void> {
    await tx.groupChild.update({ where: { parentId_childId: { parentId, childId } }, data: { privileges: Number(privileges) } });
  }

  async removeChildEdge(tx: Tx, parentId: string, childId: string): Promise<void> {
    await tx.groupChild.delete({ where: { parentId_childId: { parentId, childId } } });
  }

  async parentsOf(tx: Tx, childId: string): Promise<string[]> {
    const rows = await tx.groupChild.findMany({ where: { childId }, orderBy: { parentId: 'asc' }, select: { parentId: true } });
    return ids(rows, 'parentId');
  }

  // ---- groups in spaces ------------------------------------------------------------

  async spaceIdsOfGroup(groupId: string, page: PageRequest, effective: boolean): Promise<string[]> {
    const query = {
      where: { groupId, ...after('spaceId', page) },
      orderBy: { spaceId: 'asc' as const },
      take: page.limit + 1,
      select: { spaceId: true },
    };
    const rows = effective ? await this.prisma.spaceEffGroup.findMany(query) : await this.prisma.spaceGroup.findMany(query);
    return ids(rows, 'spaceId');
  }

  async groupIdsOfSpace(spaceId: string, page: PageRequest, effective: boolean): Promise<string[]> {
    const query = {
      where: { spaceId, ...after('groupId', page) },
      orderBy: { groupId: 'asc' as const },
      take: page.limit + 1,
      select: { groupId: true },
    };
    const rows = effective ? await this.prisma.spaceEffGroup.findMany(query) : await this.prisma.spaceGroup.findMany(query);
    return ids(rows, 'groupId');
  }

  async spaceEdge(spaceId: string, groupId: string, tx?: Tx): Promise<bigint | null> {
    const row = await (tx ?? this.prisma).spaceGroup.findUnique({
      where: { spaceId_groupId: { spaceId, groupId } },
      select: { privileges: true },
    });
    return row && row.privileges;
  }

  async effectiveSpaceGroupRow(spaceId: string, groupId: string): Promise<(Via & { privileges: bigint }) | null> {
    const row = await this.prisma.spaceEffGroup.findUnique({ where: { spaceId_groupId: { spaceId, groupId } } });
    return row && { direct: row.direct, via: row.via, privileges: row.privileges };
  }

  async addSpaceEdge(tx: Tx, spaceId: string, groupId: string, privileges: bigint): Promise<void> {
    await tx.spaceGroup.create({ data: { spaceId, groupId, privileges } });
  }

  async setSpaceEdge(tx: Tx, spaceId: string, groupId: string, privileges: bigint): Promise<void> {
    await tx.spaceGroup.update({ where: { spaceId_groupId: { spaceId, groupId } }, data: { privileges } });
  }

  async removeSpaceEdge(tx: Tx, spaceId: string, groupId: string): Promise<void> {
    await tx.spaceGroup.delete({ where: { spaceId_groupId: { spaceId, groupId } } });
  }

  async spacesOf(tx: Tx, groupId: string): Promise<string[]> {
    const rows = await tx.spaceGroup.findMany({ where: { groupId }, orderBy: { spaceId: 'asc' }, select: { spaceId: true } });
    return ids(rows, 'spaceId');
  }
}
