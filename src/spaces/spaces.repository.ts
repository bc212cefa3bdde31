import { Injectable } from '@nestjs/common';
import type { Subject } from '../auth/caller.js';
import { PrismaService } from '../database/prisma.service.js';
import { Driver } from '../database/driver.js';
import type { Tx } from '../database/transactions.js';
import type { SpacePrivilege } from '../generated/prisma/enums.js';
import type { MemberRecord } from './members.repository.js';


export interface NewSpace {
  id: string;
  name: string;
  creator: Subject;
  /** The user who becomes the space's owner, with these privileges. */
  owner: { userId: string; privileges: SpacePrivilege[] };
  support?: { providerId: string; size: bigint };
}

export interface SpaceRecord {
  id: string;
  name: string;
  creator: Subject;
  createdAt: Date;
  supports: { providerId: string; size: bigint }[];
}

@Injectable()
export class SpacesRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly driver: Driver,
  ) {}

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
   * Stores a space with only its owner membership, in one statement (atomic
   * on its own): a creation without a token or support needs no transaction
   * of several round trips. The hottest write: it goes through the driver.
   */
  async createOwned(space: Omit<NewSpace, 'support'>): Promise<void> {
    await this.driver.execute(
      `WITH space AS (
         INSERT INTO spaces (id, name, creator_type, creator_id) VALUES ($1, $2, $3::"CallerType", $4) RETURNING id
       )
       INSERT INTO memberships (space_id, user_id, privileges, owner)
       SELECT id, $5, $6::"SpacePrivilege"[], true FROM space`,
      [space.id, space.name, space.creator.type, space.creator.id, space.owner.userId, `{${space.owner.privileges.join(',')}}`],
    );
  }

  /**
   * The space with the caller's standing in it, in one round trip: for a
   * user, their membership; for a provider, whether it supports the space.
   * Null when the space does not exist or the caller has no standing there.
   * The hottest read: it goes through the driver.
   */
  async findFor(id: string, subject: Subject): Promise<{ space: SpaceRecord; member: MemberRecord | null } | null> {
    const [row] = await this.driver.query(
      `SELECT s.id, s.name, s.creator_type::text AS creator_type, s.creator_id,
         (extract(epoch FROM s.created_at) * 1000)::bigint::text AS created_ms,
         ${subject.type === 'user' ? 'm.owner::text AS owner, array_to_string(m.privileges, \',\') AS privileges' : 'NULL AS owner, NULL AS privileges'},
         (SELECT json_agg(json_build_array(sp.provider_id, sp.size::text) ORDER BY sp.provider_id)::text
            FROM supports sp WHERE sp.space_id = s.id) AS supports
       FROM spaces s
       ${subject.type === 'user' ? 'JOIN memberships m ON m.space_id = s.id AND m.user_id = $2' : 'JOIN supports m ON m.space_id = s.id AND m.provider_id = $2'}
       WHERE s.id = $1`,
      [id, subject.id],
    );
    if (!row) return null;
    const supports: [string, string][] = row.supports === null ? [] : JSON.parse(row.supports);
    return {
      space: {
        id: row.id!,
        name: row.name!,
        creator: { type: row.creator_type as Subject['type'], id: row.creator_id! },
        createdAt: new Date(Number(row.created_ms)),
        supports: supports.map(([providerId, size]) => ({ providerId, size: BigInt(size) })),
      },
      member:
        row.owner === null
          ? null
          : { owner: row.owner === 'true', privileges: (row.privileges ? row.privileges.split(',') : []) as SpacePrivilege[] },
    };
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
