import { Injectable } from '@nestjs/common';
import type { Subject } from '../auth/caller.js';
import { PrismaService } from '../database/prisma.service.js';
import { Driver } from '../database/driver.js';
import type { Tx } from '../database/transactions.js';
import type { PageRequest } from '../common/pagination/pagination.js';
import { creatorOf, type SpaceMetadata, type SpaceRecord, type SupportParameters } from '../access/access.repository.js';

export type { SpaceRecord };

export interface NewSpace {
  id: string;
  name: string;
  creator: Subject;
  /** The user who becomes the space's owner, with these privileges. */
  owner: { userId: string; privileges: bigint };
  support?: { providerId: string; size: bigint } & Partial<SupportParameters>;
  metadata?: Partial<SpaceMetadata>;
}

/** What a change of a space writes: its name and descriptive fields, each optional. */
export type SpaceChanges = Partial<SpaceMetadata> & { name?: string };

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
        ...space.metadata,
        memberships: { create: owner },
        effUsers: { create: { ...owner, direct: true, via: [] } },
        ...(space.support && { supports: { create: space.support } }),
      },
    });
  }

  /** Stores a space without members or creator (the administrator's creation). */
  async createUnowned(tx: Tx, space: { id: string; name: string; metadata?: Partial<SpaceMetadata> }): Promise<void> {
    await tx.space.create({ data: { id: space.id, name: space.name, ...space.metadata } });
  }

  /**
   * Stores a space with only its owner membership (direct and effective), in one statement (atomic
   * on its own): a creation without a token or support needs no transaction
   * of several round trips. The hottest write: it goes through the driver.
   */
  async createOwned(space: Omit<NewSpace, 'support'>): Promise<void> {
    const m = space.metadata ?? {};
    await this.driver.execute(
      `WITH space AS (
         INSERT INTO spaces (id, name, creator_type, creator_id, description, organization_name, tags,
                             advertised_in_marketplace, marketplace_contact_email)
         VALUES ($1, $2, $3::"CallerType", $4, $7, $8, $9::text[], $10::boolean, $11) RETURNING id
       ), member AS (
         INSERT INTO memberships (space_id, user_id, privileges, owner) SELECT id, $5, $6::bigint, true FROM space
       )
       INSERT INTO space_eff_users (space_id, user_id, privileges, owner, direct, via)
       SELECT id, $5, $6::bigint, true, true, '{}' FROM space`,
      [
        space.id,
        space.name,
        space.creator.type,
        space.creator.id,
        space.owner.userId,
        String(space.owner.privileges),
        m.description ?? '',
        m.organizationName ?? '',
        textArray(m.tags ?? []),
        String(m.advertisedInMarketplace ?? false),
        m.marketplaceContactEmail ?? '',
      ],
    );
  }

  /** A space with its supports, or null. */
  async find(id: string): Promise<SpaceRecord | null> {
    const row = await this.prisma.space.findUnique({
      where: { id },
      include: {
        supports: {
          orderBy: { providerId: 'asc' },
          select: { providerId: true, size: true, accountingEnabled: true, dirStatsServiceEnabled: true, dirStatsServiceStatus: true },
        },
      },
    });
    return (
      row && {
        id: row.id,
        name: row.name,
        creator: creatorOf(row.creatorType, row.creatorId),
        createdAt: row.createdAt,
        description: row.description,
        organizationName: row.organizationName,
        tags: row.tags,
        advertisedInMarketplace: row.advertisedInMarketplace,
        marketplaceContactEmail: row.marketplaceContactEmail,
        supports: row.supports,
      }
    );
  }

  /** The stored descriptive fields of a space, in the caller's transaction (after its lock), or null. */
  async metadata(tx: Tx, id: string): Promise<SpaceMetadata | null> {
    return tx.space.findUnique({
      where: { id },
      select: { description: true, organizationName: true, tags: true, advertisedInMarketplace: true, marketplaceContactEmail: true },
    });
  }

  /** Every space's id in id order, `limit + 1` of them at most (see toPage). */
  async ids(page: PageRequest): Promise<string[]> {
    const rows = await this.prisma.space.findMany({
      where: page.after ? { id: { gt: page.after } } : {},
      orderBy: { id: 'asc' },
      take: page.limit + 1,
      select: { id: true },
    });
    return rows.map((r) => r.id);
  }

  /** Locks the space's row until the transaction ends; false when there is no such space. */
  async lock(tx: Tx, id: string): Promise<boolean> {
    const rows = await tx.$queryRaw<unknown[]>`SELECT 1 FROM spaces WHERE id = ${id} FOR UPDATE`;
    return rows.length === 1;
  }

  async update(tx: Tx, id: string, changes: SpaceChanges): Promise<boolean> {
    if (Object.keys(changes).length === 0) return true;
    const { count } = await tx.space.updateMany({ where: { id }, data: changes });
    return count === 1;
  }

  /** Deletes the space; its memberships, supports, requests and tokens go with it (foreign keys cascade). */
  async delete(id: string, tx?: Tx): Promise<boolean> {
    const { count } = await (tx ?? this.prisma).space.deleteMany({ where: { id } });
    return count === 1;
  }
}

/** A PostgreSQL array literal of texts, for a text parameter cast to text[]. */
function textArray(items: readonly string[]): string {
  return `{${items.map((i) => `"${i.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}
