import { Injectable } from '@nestjs/common';
import type { Subject } from '../auth/caller.js';
import type { Tx } from '../database/transactions.js';
import type { SpacePrivilege } from '../generated/prisma/enums.js';

export interface NewSpace {
  id: string;
  name: string;
  creator: Subject;
  /** The user who becomes the space's owner, with these privileges. */
  owner: { userId: string; privileges: SpacePrivilege[] };
  support?: { providerId: string; size: bigint };
}

@Injectable()
export class SpacesRepository {
  /** Stores the space with its owner membership and support, in the caller's transaction. */
  async create(tx: Tx, space: NewSpace): Promise<void> {
    await tx.space.create({
      data: {
        id: space.id,
        name: space.name,
        creatorType: space.creator.type,
        creatorId: space.creator.id,
        memberships: {
          create: { userId: space.owner.userId, privileges: space.owner.privileges, owner: true },
        },
        ...(space.support && {
          supports: { create: { providerId: space.support.providerId, size: space.support.size } },
        }),
      },
    });
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
