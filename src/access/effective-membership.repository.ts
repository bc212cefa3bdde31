import { Inject, Injectable } from '@nestjs/common';
import { ApiError } from '../common/api-error.js';
import type { AppConfig } from '../config/environment.js';
import { SPACES_CONFIG } from '../config/spaces-config.js';
import { PrismaService } from '../database/prisma.service.js';
import type { Tx } from '../database/transactions.js';
import {
  type EffectiveTable,
  FROM_SCRATCH,
  GROUP_EFF_CHILDREN,
  GROUP_EFF_USERS,
  refreshStatement,
  SPACE_EFF_GROUPS,
  SPACE_EFF_USERS,
  type Subjects,
} from './effective-sql.js';

/** A PostgreSQL text[] literal of ids (quoted, so no id is ever read as NULL). */
export function textArray(ids: readonly string[]): string {
  return `{${ids.map((id) => `"${id}"`).join(',')}}`;
}

/** The advisory lock that orders changes to the group graph (an arbitrary fixed key). */
const GRAPH_LOCK = 0x5ace_6e0b;

const TABLES = [SPACE_EFF_USERS, SPACE_EFF_GROUPS, GROUP_EFF_USERS, GROUP_EFF_CHILDREN];
const KINDS: Subjects[] = ['list', 'usersOf', 'groupAndDescendantsOf'];
const STATEMENTS = new Map<string, string>(TABLES.flatMap((t) => KINDS.map((k) => [`${t.name}:${k}`, refreshStatement(t, k)] as const)));

/**
 * A user who has become a member of a space, however (invite, group, the
 * administrator), no longer asks to join it: its pending Marketplace request
 * there is withdrawn in the same transaction.
 */
const WITHDRAW_REQUESTS_OF_MEMBERS = `DELETE FROM space_membership_requests r USING space_eff_users e
  WHERE r.space_id = ANY($1::text[]) AND r.status = 'pending' AND e.space_id = r.space_id AND e.user_id = r.user_id`;

/** The subjects of a refresh: ids, or those of a group read in the statement. */
export type SubjectSet = string[] | { usersOf: string } | { groupAndDescendantsOf: string };

export interface Limits {
  maxDepth: number;
  maxRows: number;
}

/**
 * Keeps the effective-membership tables (who is a member of what through
 * groups, with which privileges) equal to what the direct relations imply,
 * inside the transaction of each change: a read never sees a stale answer.
 *
 * Every method runs after the direct change was written, in the same
 * transaction, under the locks its kind of change needs:
 *  - user↔group and group↔group changes: `lockGraph(tx, 'exclusive')`;
 *  - group↔space changes: `lockGraph(tx, 'shared')`;
 *  - then the spaces they reach, locked in id order (`lockSpaces`);
 *  - user↔space changes: their space's row only.
 * The sets a change recomputes (ancestors, descendants, effective users) do
 * not depend on the change itself, so they are read before it is written,
 * and their size is checked against the limits before anything is written.
 */
@Injectable()
export class EffectiveMemberships {
  readonly limits: Limits;

  constructor(
    private readonly prisma: PrismaService,
    @Inject(SPACES_CONFIG) config: AppConfig,
  ) {
    this.limits = { maxDepth: config.GROUP_MAX_DEPTH ?? 32, maxRows: config.MEMBERSHIP_CHANGE_MAX_ROWS ?? 100_000 };
  }

  /**
   * Takes the graph lock. The refreshes are a few indexed joins whose cost
   * estimates can reach PostgreSQL's JIT threshold: compiling them would cost
   * more than running them, so JIT is off for the rest of the transaction.
   */
  async lockGraph(tx: Tx, mode: 'exclusive' | 'shared'): Promise<void> {
    await tx.$queryRawUnsafe(
      mode === 'exclusive'
        ? "SELECT pg_advisory_xact_lock($1::bigint)::text, set_config('jit', 'off', true)"
        : "SELECT pg_advisory_xact_lock_shared($1::bigint)::text, set_config('jit', 'off', true)",
      String(GRAPH_LOCK),
    );
  }

  /** Locks the spaces' rows in id order; returns those that exist. */
  async lockSpaces(tx: Tx, spaceIds: readonly string[]): Promise<string[]> {
    if (spaceIds.length === 0) return [];
    const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
      'SELECT id FROM spaces WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE',
      textArray(spaceIds),
    );
    return rows.map((r) => r.id);
  }

  // ---- the sets a change reaches (read before the change) -------------------

  /** The group and its ancestors, children before parents (an order the refreshes can run in). */
  async groupAndAncestors(tx: Tx, groupId: string): Promise<string[][]> {
    const rows = await tx.$queryRawUnsafe<{ id: string }[]>('SELECT group_id AS id FROM group_eff_children WHERE child_id = $1', groupId);
    return this.levels(
      tx,
      groupId,
      rows.map((r) => r.id),
      'up',
    );
  }

  /** The group's descendants (effective children). */
  async descendants(tx: Tx, groupId: string): Promise<string[]> {
    const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
      'SELECT child_id AS id FROM group_eff_children WHERE group_id = $1 ORDER BY child_id',
      groupId,
    );
    return rows.map((r) => r.id);
  }

  async effectiveUsers(tx: Tx, groupId: string): Promise<string[]> {
    const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
      'SELECT user_id AS id FROM group_eff_users WHERE group_id = $1 ORDER BY user_id',
      groupId,
    );
    return rows.map((r) => r.id);
  }

  /** The spaces any of these groups is a direct member of. */
  async spacesOf(tx: Tx, groupIds: readonly string[]): Promise<string[]> {
    const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
      'SELECT DISTINCT space_id AS id FROM space_groups WHERE group_id = ANY($1::text[]) ORDER BY space_id',
      textArray(groupIds),
    );
    return rows.map((r) => r.id);
  }

  /** True when `ancestor` is `groupId` itself or one of its effective parents. */
  async isSelfOrAncestor(tx: Tx, ancestor: string, groupId: string): Promise<boolean> {
    if (ancestor === groupId) return true;
    const rows = await tx.$queryRawUnsafe<unknown[]>(
      'SELECT 1 FROM group_eff_children WHERE group_id = $1 AND child_id = $2',
      ancestor,
      groupId,
    );
    return rows.length > 0;
  }

  /**
   * Groups layered so that a group comes after all of its descendants in the
   * set: level k holds the groups whose longest path down to `start` (up) or
   * up to `start` (down) has k edges. Reads the direct edges inside the set.
   */
  private async levels(tx: Tx, start: string, others: string[], direction: 'up' | 'down'): Promise<string[][]> {
    const members = [start, ...others];
    const edges = await tx.$queryRawUnsafe<{ parent_id: string; child_id: string }[]>(
      'SELECT parent_id, child_id FROM group_children WHERE parent_id = ANY($1::text[]) AND child_id = ANY($1::text[])',
      textArray(members),
    );
    const next = new Map<string, string[]>(members.map((m) => [m, []]));
    const pending = new Map<string, number>(members.map((m) => [m, 0]));
    for (const e of edges) {
      const [from, to] = direction === 'up' ? [e.child_id, e.parent_id] : [e.parent_id, e.child_id];
      next.get(from)!.push(to);
      pending.set(to, pending.get(to)! + 1);
    }
    // Kahn's algorithm, level by level (longest path from the start).
    const level = new Map<string, number>([[start, 0]]);
    const queue = [start];
    for (let i = 0; i < queue.length; i++) {
      const node = queue[i];
      for (const to of next.get(node)!) {
        level.set(to, Math.max(level.get(to) ?? 0, level.get(node)! + 1));
        pending.set(to, pending.get(to)! - 1);
        if (pending.get(to) === 0) queue.push(to);
      }
    }
    const layers: string[][] = [];
    for (const [node, k] of level) (layers[k] ??= []).push(node);
    return layers.map((l) => l.sort());
  }

  /** The number of groups on the longest chain from the group down to a group with no children (itself included). */
  async heightBelow(tx: Tx, groupId: string): Promise<number> {
    return (await this.levels(tx, groupId, await this.descendants(tx, groupId), 'down')).length;
  }

  /** Refuses a change that would recompute more rows than the limit, before anything is written. */
  checkRows(rows: number): void {
    if (rows > this.limits.maxRows) {
      throw ApiError.invalidRequest(
        `This change would recompute ${rows} effective memberships, more than the limit of ${this.limits.maxRows}.`,
      );
    }
  }

  // ---- the refreshes (after the change) -------------------------------------

  async refresh(tx: Tx, table: EffectiveTable, entities: readonly string[], subjects: SubjectSet): Promise<void> {
    if (entities.length === 0) return;
    if (Array.isArray(subjects)) {
      if (subjects.length === 0) return;
      await tx.$executeRawUnsafe(STATEMENTS.get(`${table.name}:list`)!, textArray(entities), textArray(subjects));
    } else {
      const [kind, groupId] = Object.entries(subjects)[0] as [Subjects, string];
      await tx.$executeRawUnsafe(STATEMENTS.get(`${table.name}:${kind}`)!, textArray(entities), groupId);
    }
    if (table === SPACE_EFF_USERS) await tx.$executeRawUnsafe(WITHDRAW_REQUESTS_OF_MEMBERS, textArray(entities));
  }

  /** How many effective users a group has, and how many descendants. */
  async sizeBelow(tx: Tx, groupId: string): Promise<{ users: number; groups: number }> {
    const [row] = await tx.$queryRawUnsafe<{ users: string; groups: string }[]>(
      `SELECT (SELECT count(*) FROM group_eff_users WHERE group_id = $1)::text AS users,
              (1 + (SELECT count(*) FROM group_eff_children WHERE group_id = $1))::text AS groups`,
      groupId,
    );
    return { users: Number(row.users), groups: Number(row.groups) };
  }

  /** A user↔space change (membership, its privileges or its owner flag), under the space's lock. */
  async spaceUserChanged(tx: Tx, spaceId: string, userId: string): Promise<void> {
    await this.refresh(tx, SPACE_EFF_USERS, [spaceId], [userId]);
  }

  /** A user's privileges in a group changed: they never propagate beyond the group. */
  async groupUserPrivilegesChanged(tx: Tx, groupId: string, userId: string): Promise<void> {
    await this.refresh(tx, GROUP_EFF_USERS, [groupId], [userId]);
  }

  /**
   * A user joined or left a group. `levels` and `spaces` were read before the
   * change (groupAndAncestors, spacesOf), under the exclusive graph lock.
   */
  async groupUserChanged(tx: Tx, levels: string[][], spaces: string[], userId: string): Promise<void> {
    for (const level of levels) await this.refresh(tx, GROUP_EFF_USERS, level, [userId]);
    const locked = await this.lockSpaces(tx, spaces);
    await this.refresh(tx, SPACE_EFF_USERS, locked, [userId]);
  }

  /** The rows a child↔parent change recomputes: its subjects (the child's users and subgroups) in every reached entity. */
  childChangeRows(levels: string[][], spaces: string[], users: number, groups: number): number {
    const entities = levels.reduce((n, l) => n + l.length, 0) + spaces.length;
    return entities * (users + groups);
  }

  /**
   * A child joined or left a parent (or its privileges there changed, with
   * `levels` = [[parent]] and no spaces). `users` and `groups` are the
   * child's effective users and the child with its descendants.
   */
  async childChanged(tx: Tx, levels: string[][], spaces: string[], users: SubjectSet, groups: SubjectSet): Promise<void> {
    for (const level of levels) {
      await this.refresh(tx, GROUP_EFF_USERS, level, users);
      await this.refresh(tx, GROUP_EFF_CHILDREN, level, groups);
    }
    const locked = await this.lockSpaces(tx, spaces);
    await this.refresh(tx, SPACE_EFF_USERS, locked, users);
    await this.refresh(tx, SPACE_EFF_GROUPS, locked, groups);
  }

  /** A group joined or left a space, or its privileges there changed (space locked, graph shared). */
  async spaceGroupChanged(tx: Tx, spaceId: string, users: SubjectSet, groups: SubjectSet): Promise<void> {
    await this.refresh(tx, SPACE_EFF_USERS, [spaceId], users);
    await this.refresh(tx, SPACE_EFF_GROUPS, [spaceId], groups);
  }

  // ---- maintenance -----------------------------------------------------------

  /**
   * The rows of each effective table that differ from a recomputation from
   * scratch (recursive queries over the direct relations): empty when the
   * materialised tables are right.
   */
  async differences(): Promise<{ table: string; row: string }[]> {
    const found: { table: string; row: string }[] = [];
    await this.prisma.$transaction(
      async (tx) => {
        // The recursive queries' cost estimates are far above PostgreSQL's JIT threshold: compiling costs more than running.
        await tx.$queryRawUnsafe("SELECT set_config('jit', 'off', true)");
        for (const [table, query] of Object.entries(FROM_SCRATCH)) {
          const t = TABLES.find((x) => x.name === table)!;
          const stored = `SELECT ${t.entity} AS entity, ${t.subject} AS subject, privileges::text AS privileges, direct,
            coalesce(array_to_string(via, ','), '') AS via${t.owner ? ', owner' : ''} FROM ${table}`;
          const rows = await tx.$queryRawUnsafe<Record<string, unknown>[]>(
            `WITH want AS (${query}), have AS (${stored})
             SELECT 'missing' AS kind, row_to_json(x)::text AS row FROM (SELECT * FROM want EXCEPT SELECT * FROM have) x
             UNION ALL
             SELECT 'extra', row_to_json(y)::text FROM (SELECT * FROM have EXCEPT SELECT * FROM want) y`,
          );
          for (const r of rows) found.push({ table, row: `${String(r.kind)} ${String(r.row)}` });
        }
      },
      { timeout: 600_000 },
    );
    return found;
  }

  /** Rewrites every effective table from the direct relations (a repair; the service never needs it). */
  async reconcile(): Promise<void> {
    await this.prisma.$transaction(
      async (tx) => {
        await this.lockGraph(tx, 'exclusive');
        for (const t of [GROUP_EFF_USERS, GROUP_EFF_CHILDREN, SPACE_EFF_USERS, SPACE_EFF_GROUPS]) {
          const query = FROM_SCRATCH[t.name as keyof typeof FROM_SCRATCH];
          await tx.$executeRawUnsafe(`DELETE FROM ${t.name}`);
          await tx.$executeRawUnsafe(
            `INSERT INTO ${t.name} (${t.entity}, ${t.subject}, privileges, direct, via${t.owner ? ', owner' : ''})
           SELECT entity, subject, privileges::${t.mask}, direct, CASE WHEN via = '' THEN '{}' ELSE string_to_array(via, ',') END${t.owner ? ', owner' : ''}
           FROM (${query}) x`,
          );
        }
      },
      { timeout: 600_000 },
    );
  }
}
