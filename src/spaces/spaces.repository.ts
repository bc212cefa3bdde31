import { Injectable } from '@nestjs/common';
import type { Subject } from '../auth/caller.js';
import { PrismaService } from '../database/prisma.service.js';
import type { Tx } from '../database/transactions.js';
import { Prisma } from '../generated/prisma/client.js';
import type { SpacePrivilege } from '../generated/prisma/enums.js';
import type { MemberRecord } from './members.repository.js';

interface SpaceRow {
  id: string;
  name: string;
  creator_type: 'user' | 'provider';
  creator_id: string;
  created_at: Date;
  owner: boolean | null;
  privileges: string[] | null;
  supports: [string, string][] | string | null;
}

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
  constructor(private readonly prisma: PrismaService) {}

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
   * of several round trips.
   */
  async createOwned(space: Omit<NewSpace, 'support'>): Promise<void> {
    await this.prisma.$executeRaw`
      WITH space AS (
        INSERT INTO spaces (id, name, creator_type, creator_id)
        VALUES (${space.id}, ${space.name}, ${space.creator.type}::"CallerType", ${space.creator.id})
        RETURNING id
      )
      INSERT INTO memberships (space_id, user_id, privileges, owner)
      SELECT id, ${space.owner.userId}, ${privilegeArray(space.owner.privileges)}::"SpacePrivilege"[], true FROM space`;
  }

  async find(id: string): Promise<SpaceRecord | null> {
    const row = await this.prisma.space.findUnique({
      where: { id },
      include: { supports: { select: { providerId: true, size: true }, orderBy: { providerId: 'asc' } } },
    });
    if (!row) return null;
    return {
      id: row.id,
      name: row.name,
      creator: { type: row.creatorType, id: row.creatorId },
      createdAt: row.createdAt,
      supports: row.supports,
    };
  }

  /**
   * The space with the caller's standing in it, in one round trip: for a
   * user, their membership; for a provider, whether it supports the space.
   * Null when the space does not exist or the caller has no standing there.
   */
  async findFor(id: string, subject: Subject): Promise<{ space: SpaceRecord; member: MemberRecord | null } | null> {
    const standing =
      subject.type === 'user'
        ? Prisma.sql`JOIN memberships m ON m.space_id = s.id AND m.user_id = ${subject.id}`
        : Prisma.sql`JOIN supports m ON m.space_id = s.id AND m.provider_id = ${subject.id}`;
    const member =
      subject.type === 'user' ? Prisma.sql`m.owner, m.privileges::text[] AS privileges` : Prisma.sql`NULL AS owner, NULL AS privileges`;
    const rows = await this.prisma.$queryRaw<SpaceRow[]>`
      SELECT s.id, s.name, s.creator_type::text AS creator_type, s.creator_id, s.created_at, ${member},
        (SELECT json_agg(json_build_array(sp.provider_id, sp.size::text) ORDER BY sp.provider_id)
           FROM supports sp WHERE sp.space_id = s.id) AS supports
      FROM spaces s ${standing}
      WHERE s.id = ${id}`;
    if (rows.length === 0) return null;
    const row = rows[0];
    const supports: [string, string][] = (typeof row.supports === 'string' ? JSON.parse(row.supports) : row.supports) ?? [];
    return {
      space: {
        id: row.id,
        name: row.name,
        creator: { type: row.creator_type, id: row.creator_id },
        createdAt: row.created_at,
        supports: supports.map(([providerId, size]) => ({ providerId, size: BigInt(size) })),
      },
      member: row.owner === null ? null : { owner: row.owner, privileges: row.privileges as SpacePrivilege[] },
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

/** A privilege list as a PostgreSQL array literal (the names are enum values: no quoting needed). */
function privilegeArray(privileges: SpacePrivilege[]): string {
  return `{${privileges.join(',')}}`;
}
