import { Injectable } from '@nestjs/common';
import type { Subject } from '../auth/caller.js';
import { Driver } from '../database/driver.js';
import type { Tx } from '../database/transactions.js';
import type { GroupStanding, SpaceStanding } from './standing.js';

export const DIR_STATS_STATUSES = ['initializing', 'enabled', 'stopping', 'disabled'] as const;
export type DirStatsServiceStatus = (typeof DIR_STATS_STATUSES)[number];

/** A support's parameters. */
export interface SupportParameters {
  accountingEnabled: boolean;
  dirStatsServiceEnabled: boolean;
  dirStatsServiceStatus: DirStatsServiceStatus;
}

/** Who created a space: a user, a provider, or nobody (a space the administrator made). */
export type SpaceCreator = Subject | { type: 'nobody'; id: null };

/** A space's descriptive fields. */
export interface SpaceMetadata {
  description: string;
  organizationName: string;
  tags: string[];
  advertisedInMarketplace: boolean;
  marketplaceContactEmail: string;
}

/** A space as the loaded read returns it. */
export interface SpaceRecord extends SpaceMetadata {
  id: string;
  name: string;
  creator: SpaceCreator;
  createdAt: Date;
  supports: ({ providerId: string; size: bigint } & SupportParameters)[];
}

export function creatorOf(type: string | null, id: string | null): SpaceCreator {
  return type === null || id === null ? { type: 'nobody', id: null } : { type: type as Subject['type'], id };
}

type Row = Record<string, string | null>;

const SPACE_STANDING = `SELECT owner::text AS owner, direct::text AS direct, privileges::text AS privileges
  FROM space_eff_users WHERE space_id = $1 AND user_id = $2`;
const GROUP_STANDING = `SELECT direct::text AS direct, privileges::text AS privileges
  FROM group_eff_users WHERE group_id = $1 AND user_id = $2`;
const GROUP_IN_GROUP = `SELECT direct::text AS direct, privileges::text AS privileges
  FROM group_eff_children WHERE group_id = $1 AND child_id = $2`;
const GROUP_IN_SPACE = `SELECT direct::text AS direct, privileges::text AS privileges
  FROM space_eff_groups WHERE space_id = $1 AND group_id = $2`;
const SUPPORTS = 'SELECT 1 AS found FROM supports WHERE space_id = $1 AND provider_id = $2';
const ZONE_PRIVILEGES = 'SELECT oz_privileges::text AS zone FROM users WHERE id = $1';

/** The space with the caller's standing, in one statement (two primary-key probes and the supports). */
function loadedRead(subject: Subject['type']): string {
  return `SELECT s.id, s.name, s.creator_type::text AS creator_type, s.creator_id,
    (extract(epoch FROM s.created_at) * 1000)::bigint::text AS created_ms,
    s.description, s.organization_name, to_json(coalesce(s.tags, '{}'))::text AS tags,
    s.advertised_in_marketplace::text AS advertised, s.marketplace_contact_email,
    ${subject === 'user' ? 'e.owner::text AS owner, e.direct::text AS direct, e.privileges::text AS privileges' : 'NULL AS owner, NULL AS direct, NULL AS privileges'},
    ${subject === 'user' ? '(SELECT u.oz_privileges FROM users u WHERE u.id = $2)::text' : "'0'"} AS zone,
    (SELECT json_agg(json_build_array(sp.provider_id, sp.size::text, sp.accounting_enabled,
         sp.dir_stats_service_enabled, sp.dir_stats_service_status) ORDER BY sp.provider_id)::text
       FROM supports sp WHERE sp.space_id = s.id) AS supports
  FROM spaces s
  ${subject === 'user' ? 'JOIN space_eff_users e ON e.space_id = s.id AND e.user_id = $2' : 'JOIN supports e ON e.space_id = s.id AND e.provider_id = $2'}
  WHERE s.id = $1`;
}
const LOADED_READ = { user: loadedRead('user'), provider: loadedRead('provider') };

/**
 * The one place that reads what a caller is in a space or a group: effective
 * membership, owner flag and privileges, from the materialised effective
 * tables, whatever the nesting depth (one indexed probe). Nothing else reads
 * memberships to decide rights; the rules live in policy.ts.
 */
@Injectable()
export class AccessRepository {
  constructor(private readonly driver: Driver) {}

  private async query(tx: Tx | undefined, sql: string, args: string[]): Promise<Row[]> {
    if (!tx) return this.driver.query(sql, args);
    const rows = await tx.$queryRawUnsafe<Record<string, unknown>[]>(sql, ...args);
    // The statements select text and scalars only: String() of an object never happens here.
    // eslint-disable-next-line @typescript-eslint/no-base-to-string
    return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? null : String(v)])));
  }

  async spaceStanding(spaceId: string, userId: string, tx?: Tx): Promise<SpaceStanding | null> {
    const [row] = await this.query(tx, SPACE_STANDING, [spaceId, userId]);
    return row ? spaceStanding(row) : null;
  }

  async groupStanding(groupId: string, userId: string, tx?: Tx): Promise<GroupStanding | null> {
    const [row] = await this.query(tx, GROUP_STANDING, [groupId, userId]);
    return row ? groupStanding(row) : null;
  }

  /** What group `childId` is in group `groupId` (an effective child), or null. */
  async groupInGroup(groupId: string, childId: string, tx?: Tx): Promise<GroupStanding | null> {
    const [row] = await this.query(tx, GROUP_IN_GROUP, [groupId, childId]);
    return row ? groupStanding(row) : null;
  }

  /** What group `groupId` is in space `spaceId` (an effective group), or null. */
  async groupInSpace(spaceId: string, groupId: string, tx?: Tx): Promise<GroupStanding | null> {
    const [row] = await this.query(tx, GROUP_IN_SPACE, [spaceId, groupId]);
    return row ? groupStanding(row) : null;
  }

  async supports(spaceId: string, providerId: string, tx?: Tx): Promise<boolean> {
    return (await this.query(tx, SUPPORTS, [spaceId, providerId])).length === 1;
  }

  /**
   * The space with the caller's standing, in one round trip: a user's
   * effective membership, or whether a provider supports it. Null when the
   * space does not exist or the caller has no standing there.
   */
  async spaceFor(spaceId: string, subject: Subject): Promise<{ space: SpaceRecord; standing: SpaceStanding | null; zone: number } | null> {
    const [row] = await this.driver.query(LOADED_READ[subject.type], [spaceId, subject.id]);
    if (!row) return null;
    const supports = (row.supports === null ? [] : JSON.parse(row.supports)) as [string, string, boolean, boolean, DirStatsServiceStatus][];
    return {
      space: {
        id: row.id!,
        name: row.name!,
        creator: creatorOf(row.creator_type, row.creator_id),
        createdAt: new Date(Number(row.created_ms)),
        description: row.description!,
        organizationName: row.organization_name!,
        tags: JSON.parse(row.tags!) as string[],
        advertisedInMarketplace: row.advertised === 'true',
        marketplaceContactEmail: row.marketplace_contact_email!,
        supports: supports.map(([providerId, size, accountingEnabled, dirStatsServiceEnabled, dirStatsServiceStatus]) => ({
          providerId,
          size: BigInt(size),
          accountingEnabled,
          dirStatsServiceEnabled,
          dirStatsServiceStatus,
        })),
      },
      standing: row.owner === null ? null : spaceStanding(row),
      zone: Number(row.zone ?? '0'),
    };
  }

  /** The user's zone privileges (bitmask; 0 for none or no such user). */
  async zonePrivileges(userId: string, tx?: Tx): Promise<number> {
    const [row] = await this.query(tx, ZONE_PRIVILEGES, [userId]);
    return row ? Number(row.zone) : 0;
  }

  /** For the last-owner rule: how many owners, and whether any user other than `userId` is an effective member. */
  async ownersAndOthers(tx: Tx, spaceId: string, userId: string): Promise<{ owners: number; othersRemain: boolean }> {
    const [row] = await this.query(
      tx,
      `SELECT (SELECT count(*) FROM space_eff_users WHERE space_id = $1 AND owner)::text AS owners,
              EXISTS (SELECT 1 FROM space_eff_users WHERE space_id = $1 AND user_id <> $2)::text AS others`,
      [spaceId, userId],
    );
    return { owners: Number(row.owners), othersRemain: row.others === 'true' };
  }
}

function spaceStanding(row: Row): SpaceStanding {
  return { owner: row.owner === 'true', direct: row.direct === 'true', privileges: BigInt(row.privileges ?? '0') };
}

function groupStanding(row: Row): GroupStanding {
  return { direct: row.direct === 'true', privileges: BigInt(row.privileges ?? '0') };
}
