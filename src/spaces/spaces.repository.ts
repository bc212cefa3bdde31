import { Injectable } from '@nestjs/common';
import type { Subject } from '../auth/caller.js';
import { PrismaService } from '../database/prisma.service.js';
import { Driver } from '../database/driver.js';
import type { Tx } from '../database/transactions.js';
import type { SpaceRecord } from '../access/access.repository.js';

export type { SpaceRecord };

export interface NewSpace {
  id: string;
  name: string;
  creator: Subject;
  /** The user who becomes the space's owner, with these privileges. */
  owner: { userId: string; privileges: bigint };
  support?: { providerId: string; size: bigint };
}

@Injectable()
export class SpacesRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly driver: Driver,
  ) {}

  /** Stores the space with its owner membership (direct and effective) and support, in the caller's transaction. */
  async create(tx: Tx, space: NewSpace): Promise<void> {
    const owner = { userId: space.owner.userId, privileges: space.owner.privileges, owner: true };
    await tx.space.create({
      data: {
        id: space.id,
        name: space.name,
        creatorType: space.creator.type,
        creatorId: space.creator.id,
        memberships: { create: owner },
        effUsers: { create: { ...owner, direct: true, via: [] } },
        ...(space.support && {
          supports: { create: { providerId: space.support.providerId, size: space.support.size } },
        }),
      },
    });
  }

  /**
   * Stores a space with only its owner membership (direct and effective), in one statement (atomic
   * on its own): a creation without a token or support needs no transaction
   * of several round trips. The hottest write: it goes through the driver.
   */
  async createOwned(space: Omit<NewSpace, 'support'>): Promise<void> {
    await this.driver.execute(
      `WITH space AS (
         INSERT INTO spaces (id, name, creator_type, creator_id) VALUES ($1, $2, $3::"CallerType", $4) RETURNING id
       ), member AS (
         INSERT INTO memberships (space_id, user_id, privileges, owner) SELECT id, $5, $6::bigint, true FROM space
       )
       INSERT INTO space_eff_users (space_id, user_id, privileges, owner, direct, via)
       SELECT id, $5, $6::bigint, true, true, '{}' FROM space`,
      [space.id, space.name, space.creator.type, space.creator.id, space.owner.userId, String(space.owner.privileges)],
    );
  }

  /** A space with its supports, or null. */
  async find(id: string): Promise<SpaceRecord | null> {
    const row = await this.prisma.space.findUnique({
      where: { id },
      include: { supports: { orderBy: { providerId: 'asc' }, select: { providerId: true, size: true } } },
    });
    return (
      row && {
        id: row.id,
        name: row.name,
        creator: { type: row.creatorType, id: row.creatorId },
        createdAt: row.createdAt,
        supports: row.supports,
      }
    );
  }

  /** Locks the space's row until the transaction ends; false when there is no such space. */
  async lock(tx: Tx, id: string): Promise<boolean> {
    const rows = await tx.$queryRaw<unknown[]>`SELECT 1 FROM spaces WHERE id = ${id} FOR UPDATE`;
    return rows.length === 1;
  }

  async rename(id: string, name: string): Promise<boolean> {
    const { count } = await this.prisma.space.updateMany({ where: { id }, data: { name } });
    return count === 1;
  }

  /** Deletes the space; its memberships, supports and tokens go with it (foreign keys cascade). */
  async delete(id: string): Promise<boolean> {
    const { count } = await this.prisma.space.deleteMany({ where: { id } });
    return count === 1;
  }
}
