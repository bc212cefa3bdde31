import { Injectable } from '@nestjs/common';
import { EffectiveMemberships, type SubjectSet } from '../access/effective-membership.repository.js';
import { ApiError } from '../common/api-error.js';
import type { Tx } from '../database/transactions.js';
import { GroupsRepository } from './groups.repository.js';

/**
 * Every change to the relations of groups (users in groups, groups in
 * groups, groups in spaces), with the effective memberships it implies
 * recomputed in the same transaction, and the limits that bound its cost.
 *
 * Locks: user↔group and group↔group changes take the graph lock in exclusive
 * mode, group↔space changes in shared mode (a caller that needs the lock
 * earlier, to check rights under it, takes it first: it is re-entrant).
 * Then the spaces a change reaches are locked in id order.
 */
@Injectable()
export class GroupGraph {
  constructor(
    private readonly groups: GroupsRepository,
    private readonly effective: EffectiveMemberships,
  ) {}

  lock(tx: Tx, mode: 'exclusive' | 'shared'): Promise<void> {
    return this.effective.lockGraph(tx, mode);
  }

  // ---- users in groups -----------------------------------------------------------

  async addUser(tx: Tx, groupId: string, userId: string, privileges: bigint): Promise<void> {
    await this.lock(tx, 'exclusive');
    const { levels, spaces } = await this.reach(tx, groupId);
    this.effective.checkRows(count(levels) + spaces.length);
    await this.groups.addUserEdge(tx, groupId, userId, privileges);
    await this.effective.groupUserChanged(tx, levels, spaces, userId);
  }

  async removeUser(tx: Tx, groupId: string, userId: string): Promise<void> {
    await this.lock(tx, 'exclusive');
    const { levels, spaces } = await this.reach(tx, groupId);
    this.effective.checkRows(count(levels) + spaces.length);
    await this.groups.removeUserEdge(tx, groupId, userId);
    await this.effective.groupUserChanged(tx, levels, spaces, userId);
  }

  /** A member's privileges inside a group never reach beyond it: one row. */
  async setUserPrivileges(tx: Tx, groupId: string, userId: string, privileges: bigint): Promise<void> {
    await this.lock(tx, 'exclusive');
    await this.groups.setUserEdge(tx, groupId, userId, privileges);
    await this.effective.groupUserPrivilegesChanged(tx, groupId, userId);
  }

  // ---- groups in groups ------------------------------------------------------------

  /**
   * Makes `childId` a direct member of `parentId`. Refused (400, nothing
   * written) when it would make a cycle, a chain deeper than the limit, or
   * more recomputed rows than the limit.
   */
  async addChild(tx: Tx, parentId: string, childId: string, privileges: bigint): Promise<void> {
    await this.lock(tx, 'exclusive');
    if (await this.effective.isSelfOrAncestor(tx, childId, parentId)) {
      throw ApiError.invalidRequest(
        parentId === childId
          ? 'A group cannot be its own child.'
          : 'The group is already an ancestor of the parent: that would make a cycle.',
      );
    }
    const { levels, spaces } = await this.reach(tx, parentId);
    const depth = levels.length + (await this.effective.heightBelow(tx, childId));
    if (depth > this.effective.limits.maxDepth) {
      throw ApiError.invalidRequest(
        `This would nest ${depth} groups in a chain, more than the limit of ${this.effective.limits.maxDepth}.`,
      );
    }
    const size = await this.effective.sizeBelow(tx, childId);
    this.effective.checkRows(this.effective.childChangeRows(levels, spaces, size.users, size.groups));
    await this.groups.addChildEdge(tx, parentId, childId, privileges);
    await this.effective.childChanged(tx, levels, spaces, ...below(childId));
  }

  async removeChild(tx: Tx, parentId: string, childId: string): Promise<void> {
    await this.lock(tx, 'exclusive');
    const { levels, spaces } = await this.reach(tx, parentId);
    const size = await this.effective.sizeBelow(tx, childId);
    this.effective.checkRows(this.effective.childChangeRows(levels, spaces, size.users, size.groups));
    await this.groups.removeChildEdge(tx, parentId, childId);
    await this.effective.childChanged(tx, levels, spaces, ...below(childId));
  }

  /** A child's privileges in its parent reach only the parent's rows of the child's members. */
  async setChildPrivileges(tx: Tx, parentId: string, childId: string, privileges: bigint): Promise<void> {
    await this.lock(tx, 'exclusive');
    const size = await this.effective.sizeBelow(tx, childId);
    this.effective.checkRows(size.users + size.groups);
    await this.groups.setChildEdge(tx, parentId, childId, privileges);
    await this.effective.childChanged(tx, [[parentId]], [], ...below(childId));
  }

  // ---- groups in spaces ------------------------------------------------------------

  /** Makes the group a direct member of the space (the space's row is locked here). */
  async addToSpace(tx: Tx, spaceId: string, groupId: string, privileges: bigint): Promise<void> {
    await this.changeInSpace(tx, spaceId, groupId, () => this.groups.addSpaceEdge(tx, spaceId, groupId, privileges));
  }

  async removeFromSpace(tx: Tx, spaceId: string, groupId: string): Promise<void> {
    await this.changeInSpace(tx, spaceId, groupId, () => this.groups.removeSpaceEdge(tx, spaceId, groupId));
  }

  async setSpacePrivileges(tx: Tx, spaceId: string, groupId: string, privileges: bigint): Promise<void> {
    await this.changeInSpace(tx, spaceId, groupId, () => this.groups.setSpaceEdge(tx, spaceId, groupId, privileges));
  }

  private async changeInSpace(tx: Tx, spaceId: string, groupId: string, write: () => Promise<void>): Promise<void> {
    await this.lock(tx, 'shared');
    const size = await this.effective.sizeBelow(tx, groupId);
    this.effective.checkRows(size.users + size.groups);
    await this.effective.lockSpaces(tx, [spaceId]);
    await write();
    await this.effective.spaceGroupChanged(tx, spaceId, ...below(groupId));
  }

  // ---- the group itself ------------------------------------------------------------

  /**
   * Deletes a group: as if each of its relations to parents and spaces were
   * removed first (so that what was reached through it is recomputed), then
   * the group with its remaining rows and tokens.
   */
  async deleteGroup(tx: Tx, groupId: string): Promise<void> {
    await this.lock(tx, 'exclusive');
    const [, ...ancestors] = await this.effective.groupAndAncestors(tx, groupId);
    const spaces = await this.effective.spacesOf(tx, [groupId, ...ancestors.flat()]);
    // Read before the deletion takes the group's own rows with it.
    const { users, groups } = await this.listBelow(tx, groupId);
    this.effective.checkRows(this.effective.childChangeRows(ancestors, spaces, users.length, groups.length));
    await this.effective.lockSpaces(tx, spaces);
    await this.groups.delete(tx, groupId);
    const rest = groups.filter((g) => g !== groupId);
    await this.effective.childChanged(tx, ancestors, spaces, users, rest);
  }

  /** The group with its ancestors, layered for the refreshes, and the spaces any of them is in. */
  private async reach(tx: Tx, groupId: string): Promise<{ levels: string[][]; spaces: string[] }> {
    const levels = await this.effective.groupAndAncestors(tx, groupId);
    return { levels, spaces: await this.effective.spacesOf(tx, levels.flat()) };
  }

  /** The group's effective users, and the group with its descendants, as lists. */
  private async listBelow(tx: Tx, groupId: string): Promise<{ users: string[]; groups: string[] }> {
    const users = await this.effective.effectiveUsers(tx, groupId);
    return { users, groups: [groupId, ...(await this.effective.descendants(tx, groupId))] };
  }
}

/** The subjects below a group (its effective users; itself and its descendants), read by the refresh statements. */
function below(groupId: string): [SubjectSet, SubjectSet] {
  return [{ usersOf: groupId }, { groupAndDescendantsOf: groupId }];
}

function count(levels: string[][]): number {
  return levels.reduce((n, l) => n + l.length, 0);
}
