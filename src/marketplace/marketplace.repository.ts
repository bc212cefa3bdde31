import { Injectable } from '@nestjs/common';
import { Driver } from '../database/driver.js';
import type { StartBound } from './marketplace-index.js';

/** An entry of the Marketplace list. */
export interface MarketplaceEntry {
  id: string;
  name: string;
}

/** What the Marketplace shows of an advertised space. */
export interface MarketplaceSpace {
  id: string;
  name: string;
  description: string;
  organizationName: string;
  tags: string[];
  createdAt: Date;
  providerNames: string[];
  totalSupportSize: bigint;
}

/** The advertised spaces, or those carrying one of the tags $1 (text[]). */
const entries = (tagged: boolean) =>
  `FROM spaces s WHERE s.advertised_in_marketplace AND ${tagged ? 's.tags && $1::text[]' : '$1::text IS NOT NULL'}`;

/** Entries before the start bound ($2 name, $3 id, $4 strict): the position the page starts at. */
const BEFORE_START = `NOT (s.name COLLATE "C" > $2 OR (s.name COLLATE "C" = $2 AND
  CASE WHEN $4::boolean THEN s.id COLLATE "C" > $3 ELSE s.id COLLATE "C" >= $3 END))`;

const position = (tagged: boolean) => `SELECT count(*)::text AS position ${entries(tagged)} AND ${BEFORE_START}`;

/** One page from position $2 on, `limit + 1` ($3) entries at most, in index order (bytewise: name, then id). */
const page = (tagged: boolean) =>
  `SELECT s.id, s.name ${entries(tagged)} ORDER BY s.name COLLATE "C", s.id COLLATE "C" OFFSET $2::bigint LIMIT $3::bigint`;
const STATEMENTS = {
  position: [position(false), position(true)],
  page: [page(false), page(true)],
};

const SPACE = `SELECT s.id, s.name, s.description, s.organization_name, to_json(coalesce(s.tags, '{}'))::text AS tags,
    (extract(epoch FROM s.created_at) * 1000)::bigint::text AS created_ms,
    (SELECT json_agg(p.name ORDER BY p.id)::text FROM supports sp JOIN providers p ON p.id = sp.provider_id
       WHERE sp.space_id = s.id) AS provider_names,
    (SELECT coalesce(sum(sp.size), 0)::text FROM supports sp WHERE sp.space_id = s.id) AS total_size
  FROM spaces s WHERE s.id = $1 AND s.advertised_in_marketplace`;

/** The Marketplace's reads: the advertised spaces in index order, and one advertised space. */
@Injectable()
export class MarketplaceRepository {
  constructor(private readonly driver: Driver) {}

  /** How many entries (with one of `tags`, when given) come before the bound. */
  async position(tags: string[] | null, bound: StartBound | null): Promise<number> {
    if (!bound) return 0;
    const sql = STATEMENTS.position[Number(tags !== null)];
    const [row] = await this.driver.query(sql, [pgArray(tags), bound.name, bound.id, String(bound.strict)]);
    return Number(row.position);
  }

  /** `count` entries from `offset` on, in index order. */
  async page(tags: string[] | null, offset: number, count: number): Promise<MarketplaceEntry[]> {
    const rows = await this.driver.query(STATEMENTS.page[Number(tags !== null)], [pgArray(tags), String(offset), String(count)]);
    return rows.map((r) => ({ id: r.id!, name: r.name! }));
  }

  /** The space, if it is advertised. */
  async space(spaceId: string): Promise<MarketplaceSpace | null> {
    const [row] = await this.driver.query(SPACE, [spaceId]);
    if (!row) return null;
    return {
      id: row.id!,
      name: row.name!,
      description: row.description!,
      organizationName: row.organization_name!,
      tags: JSON.parse(row.tags!) as string[],
      createdAt: new Date(Number(row.created_ms)),
      providerNames: row.provider_names === null ? [] : (JSON.parse(row.provider_names) as string[]),
      totalSupportSize: BigInt(row.total_size!),
    };
  }

  /** Whether the space exists and is advertised. */
  async advertised(spaceId: string): Promise<boolean> {
    const rows = await this.driver.query('SELECT 1 AS found FROM spaces WHERE id = $1 AND advertised_in_marketplace', [spaceId]);
    return rows.length === 1;
  }
}

/** A text[] parameter (unused without tags): tags are configured ones, quoted and escaped all the same. */
function pgArray(items: string[] | null): string {
  if (items === null) return '{}';
  return `{${items.map((i) => `"${i.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}
