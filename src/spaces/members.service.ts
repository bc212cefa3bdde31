import { SPACE_NEEDS } from './access/space-needs.js';
import { Injectable } from '@nestjs/common';
import { AccessRepository } from '../access/access.repository.js';
import { blocksLeaving, mayInviteToSpace, mayManageOwners } from '../access/policy.js';
import { type SpacePrivilege, SpacePrivileges } from '../access/privileges.js';
import { holdsSpace, spacePrivilegesOf } from '../access/standing.js';
import { ZonePrivileges } from '../access/zone-privileges.js';
import { ApiError } from '../common/api-error.js';
import { Idempotency } from '../common/idempotency/idempotency.service.js';
import { type Page, type PageRequest, toPage } from '../common/pagination/pagination.js';
import { Transactions, type Tx } from '../database/transactions.js';
import { TokenRejectedError } from '../tokens/token-rejected.error.js';
import { TokensService } from '../tokens/tokens.service.js';
import { SpaceAccessService } from './access/space-access.service.js';
import type { SpaceAccess, UserCaller, UserSpaceAccess } from './access/space-access.js';
import type { MintInviteTokenDto } from './dto/invite.dto.js';
import type { UpdatePrivilegesDto } from './dto/members.dto.js';
import { type MemberRecord, MembersRepository } from './members.repository.js';
import { futureDate } from './token-limits.js';

const notMember = () => ApiError.notFound('This user is not a member of the space.');
const notDirectMember = () => ApiError.notFound('This user is not a direct member of the space.');

export interface Intermediary {
  type: 'group' | 'space';
  id: string;
}

/** A privilege change as masks: the grants and revocations of a PATCH …/privileges body, checked. */
export function privilegeChange<P extends string, M>(
  catalogue: { mask(p: Iterable<P>): M },
  change: { grant?: P[]; revoke?: P[] },
): { grant: M; revoke: M } {
  const grant = change.grant ?? [];
  const revoke = change.revoke ?? [];
  if (grant.length === 0 && revoke.length === 0) {
    throw ApiError.invalidRequest('grant or revoke must name at least one privilege.');
  }
  const both = grant.filter((p) => revoke.includes(p));
  if (both.length > 0) throw ApiError.invalidRequest(`Both granted and revoked: ${[...new Set(both)].join(', ')}.`);
  return { grant: catalogue.mask(grant), revoke: catalogue.mask(revoke) };
}

/** The `intermediaries` of a membership answer: the groups it comes through, then `self` when direct. */
export function intermediaries(self: 'space' | 'group', found: { direct: boolean; via: string[] }): Intermediary[] {
  return [...[...found.via].sort().map((id) => ({ type: 'group' as const, id })), ...(found.direct ? [{ type: self, id: 'self' }] : [])];
}

/** A space's members: who they are, their privileges and ownership, invites, joining and leaving. */
@Injectable()
export class MembersService {
  constructor(
    private readonly members: MembersRepository,
    private readonly access: SpaceAccessService,
    private readonly standings: AccessRepository,
    private readonly tokens: TokensService,
    private readonly transactions: Transactions,
    private readonly idempotency: Idempotency,
  ) {}

  /** Direct members (or only owners). */
  async users(access: SpaceAccess, page: PageRequest, ownersOnly = false): Promise<Page<string>> {
    return toPage(await this.members.userIds(access.spaceId, page, ownersOnly), page.limit, (id) => id);
  }

  async effectiveUsers(access: SpaceAccess, page: PageRequest): Promise<Page<string>> {
    return toPage(await this.members.effectiveUserIds(access.spaceId, page), page.limit, (id) => id);
  }

  /** An effective member (direct or through groups). */
  async user(access: SpaceAccess, userId: string): Promise<{ userId: string; name: string }> {
    const user = await this.members.findUser(access.spaceId, userId);
    if (!user) throw notMember();
    return user;
  }

  /** A direct member's stored privileges (one's own, or anyone's with space_view_privileges: SPACE_NEEDS.userPrivileges). */
  async privileges(access: SpaceAccess, userId: string): Promise<SpacePrivilege[]> {
    const member = await this.members.find(access.spaceId, userId);
    if (!member) throw notDirectMember();
    return SpacePrivileges.names(member.privileges);
  }

  /** An effective member's effective privileges (all for an owner): one's own, with space_view_privileges, or a supporting provider. */
  async effectivePrivileges(access: SpaceAccess, userId: string): Promise<SpacePrivilege[]> {
    const found = await this.members.effectiveOf(access.spaceId, userId);
    if (!found) throw notMember();
    return SpacePrivileges.names(spacePrivilegesOf({ ...found, direct: false }));
  }

  /** How a user is an effective member: one's own, with space_view, or a supporting provider. */
  async membership(access: SpaceAccess, userId: string): Promise<Intermediary[]> {
    const found = await this.members.intermediaries(access.spaceId, userId);
    if (!found) throw notMember();
    return intermediaries('space', found);
  }

  /** Grants and revokes stored privileges (an owner's too: owners hold all whatever is stored). */
  async setPrivileges(access: SpaceAccess, userId: string, body: UpdatePrivilegesDto): Promise<void> {
    const change = privilegeChange(SpacePrivileges, body);
    await this.transactions.run(async (tx) => {
      await this.access.lock(tx, access, SPACE_NEEDS.setPrivileges);
      const target = await this.target(tx, access, userId);
      const privileges = (target.privileges | change.grant) & ~change.revoke;
      await this.members.update(tx, access.spaceId, userId, { privileges });
    });
  }

  /** DELETE /spaces/{id}/users/{uid}: only an owner removes an owner; the last owner stays while others remain. */
  async remove(access: SpaceAccess, userId: string): Promise<void> {
    await this.transactions.run(async (tx) => {
      const actor = await this.access.lock(tx, access, SPACE_NEEDS.removeUser);
      const target = await this.target(tx, access, userId);
      if (target.owner && !mayManageOwners(actor.standing, actor.byZone === true)) {
        throw ApiError.forbidden('Only an owner may remove an owner.');
      }
      await this.removeMember(tx, access.spaceId, userId, target);
    });
  }

  /** DELETE /user/spaces/{id}: the caller, a direct member, leaves; the last owner cannot while others remain. */
  async leave(access: UserSpaceAccess): Promise<void> {
    await this.transactions.run(async (tx) => {
      await this.access.lock(tx, access, {});
      const self = await this.members.find(access.spaceId, access.caller.userId, tx);
      if (!self) throw ApiError.notFound('You are not a direct member of the space.');
      await this.removeMember(tx, access.spaceId, access.caller.userId, self);
    });
  }

  /**
   * PUT /spaces/{id}/owners/{uid}: an owner makes an effective member an
   * owner. A direct member keeps its stored privileges (they apply again if
   * the ownership ends); an effective-only member becomes a direct one with
   * every privilege.
   */
  async addOwner(access: SpaceAccess, userId: string): Promise<void> {
    await this.transactions.run(async (tx) => {
      await this.access.lock(tx, access, SPACE_NEEDS.manageOwners);
      const target = await this.members.find(access.spaceId, userId, tx);
      if (target?.owner) throw ApiError.alreadyExists('This user is already an owner of the space.');
      if (target) return this.members.update(tx, access.spaceId, userId, { owner: true });
      if (!(await this.standings.spaceStanding(access.spaceId, userId, tx))) {
        throw ApiError.invalidRequest('Only a member of the space can become its owner.');
      }
      await this.members.add(tx, access.spaceId, userId, { owner: true, privileges: SpacePrivileges.allMask });
    });
  }

  /** DELETE /spaces/{id}/owners/{uid}: an owner ends a member's ownership; its stored privileges apply again; the only owner stays. */
  async removeOwner(access: SpaceAccess, userId: string): Promise<void> {
    await this.transactions.run(async (tx) => {
      await this.access.lock(tx, access, SPACE_NEEDS.manageOwners);
      const target = await this.members.find(access.spaceId, userId, tx);
      if (!target?.owner) throw ApiError.notFound('This user is not an owner of the space.');
      if ((await this.members.ownerCount(tx, access.spaceId)) === 1) {
        throw ApiError.invalidRequest('The only owner of a space cannot give up ownership: make another member an owner first.');
      }
      await this.members.update(tx, access.spaceId, userId, { owner: false });
    });
  }

  /**
   * PUT /spaces/{id}/users/{uid}: a user holding space_add_user (through a
   * group, typically) adds itself as a direct member, with the member level
   * or, with space_set_privileges, the privileges given; the administrator
   * adds any user.
   */
  async addUser(access: SpaceAccess, userId: string, privileges?: SpacePrivilege[]): Promise<void> {
    if (access.caller.type === 'provider') throw notMember();
    if (access.caller.type === 'user' && !access.byZone && userId !== access.caller.userId) {
      throw ApiError.forbidden('Only the user itself may be added this way.');
    }
    const carried = privileges === undefined ? SpacePrivileges.memberMask : SpacePrivileges.mask(privileges);
    await this.transactions.run(async (tx) => {
      const actor = await this.access.lock(tx, access, SPACE_NEEDS.addUser);
      const mayChoose = actor.byZone
        ? ZonePrivileges.hasAll(actor.zone ?? 0, ['oz_spaces_set_privileges'])
        : holdsSpace(actor.standing, 'space_set_privileges');
      if (privileges !== undefined && !mayChoose) {
        throw ApiError.forbidden('Choosing the privileges needs the space_set_privileges privilege.');
      }
      if (!(await this.members.userExists(tx, userId))) throw ApiError.notFound('There is no such user.');
      if (await this.members.find(access.spaceId, userId, tx)) {
        throw ApiError.alreadyExists('The user is already a direct member of this space.');
      }
      await this.addDirect(tx, access.spaceId, userId, carried);
    });
  }

  /**
   * An invite token (user_join_space). Granting more than member privileges
   * needs space_set_privileges as well as space_add_user.
   */
  async mintInvite(access: UserSpaceAccess, dto: MintInviteTokenDto): Promise<string> {
    const privileges = dto.privileges === undefined ? SpacePrivileges.memberMask : SpacePrivileges.mask(dto.privileges);
    if (!mayInviteToSpace(access.standing, 'space_add_user', privileges)) {
      throw ApiError.forbidden('Granting more than member privileges needs the space_set_privileges privilege.');
    }
    return this.tokens.issue({
      type: 'user_join_space',
      subject: { type: 'user', id: access.caller.userId },
      spaceId: access.spaceId,
      privileges,
      usageLimit: dto.usageLimit ?? 1,
      validUntil: futureDate(dto.validUntil),
    });
  }

  /**
   * POST /user/spaces/join: in one transaction, the token's use and the
   * membership. The member who minted the invite must still be allowed to
   * issue it; a failure consumes nothing. Returns the space's id.
   */
  async join(caller: UserCaller, serialized: string, peerIp?: string): Promise<string> {
    const token = await this.tokens.checkBodyToken(serialized, 'user_join_space', {
      consumer: { type: 'user', id: caller.userId },
      peerIp,
    });
    const spaceId = token.spaceId;
    if (spaceId === null) throw ApiError.invalidToken();
    await this.tokens.answeringInvalidToken('space invite', () =>
      this.transactions.run(async (tx) => {
        await this.idempotency.record(tx, spaceId);
        await this.checkIssuer(tx, spaceId, token.subject.id, 'space_add_user', token.privileges);
        if (await this.members.find(spaceId, caller.userId, tx)) {
          throw ApiError.alreadyExists('You are already a member of this space.');
        }
        await this.tokens.consume(tx, token);
        await this.addDirect(tx, spaceId, caller.userId, token.privileges);
      }),
    );
    return spaceId;
  }

  /**
   * Locks the space and checks that the invite's issuer may still invite with
   * what it carries (a TokenRejectedError otherwise: the token fails).
   */
  async checkIssuer(tx: Tx, spaceId: string, issuerId: string, need: 'space_add_user' | 'space_add_group', carried: bigint) {
    if (!(await this.access.lockSpace(tx, spaceId))) throw new TokenRejectedError(`space ${spaceId} is gone`);
    const issuer = await this.standings.spaceStanding(spaceId, issuerId, tx);
    if (!mayInviteToSpace(issuer, need, carried)) {
      throw new TokenRejectedError(`issuer ${issuerId} may no longer invite to ${spaceId}`);
    }
  }

  /** Adds a direct member (under the space's lock); the first user into a space without owners becomes its owner. */
  async addDirect(tx: Tx, spaceId: string, userId: string, privileges: bigint): Promise<void> {
    const owner = (await this.members.ownerCount(tx, spaceId)) === 0;
    await this.members.add(tx, spaceId, userId, { privileges, owner });
  }

  private async target(tx: Tx, access: SpaceAccess, userId: string): Promise<MemberRecord> {
    const target = await this.members.find(access.spaceId, userId, tx);
    if (!target) throw notDirectMember();
    return target;
  }

  /** Removes a direct member, unless it is the last owner and other users remain. Runs under the space's lock. */
  private async removeMember(tx: Tx, spaceId: string, userId: string, member: MemberRecord): Promise<void> {
    const { owners, othersRemain } = await this.standings.ownersAndOthers(tx, spaceId, userId);
    if (blocksLeaving({ ...member, direct: true }, owners, othersRemain)) {
      throw ApiError.invalidRequest(
        'The last owner cannot leave while other users remain in the space (directly or through groups): make another member an owner first.',
      );
    }
    await this.members.remove(tx, spaceId, userId);
  }
}
