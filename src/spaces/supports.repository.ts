import { Injectable } from '@nestjs/common';
import type { PageRequest } from '../common/pagination/pagination.js';
import { PrismaService } from '../database/prisma.service.js';
import type { Tx } from '../database/transactions.js';
import type { SupportParameters } from '../access/access.repository.js';

/** Supports: which provider grants how many bytes to which space. */
@Injectable()
export class SupportsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async find(spaceId: string, providerId: string, tx?: Tx): Promise<{ size: bigint } | null> {
    return (tx ?? this.prisma).support.findUnique({
      where: { spaceId_providerId: { spaceId, providerId } },
      select: { size: true },
    });
  }

  async add(tx: Tx, spaceId: string, providerId: string, size: bigint, parameters?: SupportParameters): Promise<void> {
    await tx.support.create({ data: { spaceId, providerId, size, ...parameters } });
  }

  /** A support's parameters, with its row locked until `tx` ends; null when there is no such support. */
  async lockParameters(tx: Tx, spaceId: string, providerId: string): Promise<SupportParameters | null> {
    const rows = await tx.$queryRaw<unknown[]>`
      SELECT 1 FROM supports WHERE space_id = ${spaceId} AND provider_id = ${providerId} FOR UPDATE`;
    if (rows.length === 0) return null;
    return tx.support.findUnique({
      where: { spaceId_providerId: { spaceId, providerId } },
      select: { accountingEnabled: true, dirStatsServiceEnabled: true, dirStatsServiceStatus: true },
    });
  }

  async setParameters(tx: Tx, spaceId: string, providerId: string, parameters: SupportParameters): Promise<void> {
    await tx.support.update({ where: { spaceId_providerId: { spaceId, providerId } }, data: parameters });
  }

  async remove(spaceId: string, providerId: string): Promise<boolean> {
    const { count } = await this.prisma.support.deleteMany({ where: { spaceId, providerId } });
    return count === 1;
  }

  /** Supporting providers' ids in id order, `limit + 1` of them at most (see toPage). */
  async providerIds(spaceId: string, page: PageRequest): Promise<string[]> {
    const rows = await this.prisma.support.findMany({
      where: { spaceId, ...(page.after && { providerId: { gt: page.after } }) },
      orderBy: { providerId: 'asc' },
      take: page.limit + 1,
      select: { providerId: true },
    });
    return rows.map((r) => r.providerId);
  }

  /** The provider's supported spaces' ids in id order, `limit + 1` of them at most. */
  async spaceIds(providerId: string, page: PageRequest): Promise<string[]> {
    const rows = await this.prisma.support.findMany({
      where: { providerId, ...(page.after && { spaceId: { gt: page.after } }) },
      orderBy: { spaceId: 'asc' },
      take: page.limit + 1,
      select: { spaceId: true },
    });
    return rows.map((r) => r.spaceId);
  }

  /**
   * Locks the provider's row until the transaction ends, so that concurrent
   * supports by one provider are checked against its capacity one at a time.
   * Returns the free bytes (null = unlimited), or undefined if no such provider.
   */
  async lockFreeCapacity(tx: Tx, providerId: string): Promise<bigint | null | undefined> {
    const rows = await tx.$queryRaw<{ capacity: bigint | null }[]>`
      SELECT capacity FROM providers WHERE id = ${providerId} FOR UPDATE`;
    if (rows.length === 0) return undefined;
    const capacity = rows[0].capacity;
    if (capacity === null) return null;
    const used = await tx.support.aggregate({ where: { providerId }, _sum: { size: true } });
    return BigInt(capacity) - (used._sum.size ?? 0n);
  }
}
