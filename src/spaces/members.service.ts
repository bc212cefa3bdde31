import { Injectable } from '@nestjs/common';
import { ApiError } from '../common/api-error.js';
import { Idempotency } from '../common/idempotency/idempotency.service.js';
import { type Page, type PageRequest, toPage } from '../common/pagination/pagination.js';
import { Transactions, type Tx } from '../database/transactions.js';
import type { SpacePrivilege } from '../generated/prisma/enums.js';
import { TokenRejectedError } from '../tokens/token-rejected.error.js';
import { TokensService } from '../tokens/tokens.service.js';
import { SpaceAccessService } from './access/space-access.service.js';
import type { SpaceAccess, UserCaller, UserSpaceAccess } from './access/space-access.js';
import type { MintInviteTokenDto } from './dto/invite.dto.js';
import type { UpdatePrivilegesDto } from './dto/members.dto.js';
import { type MemberRecord, MembersRepository } from './members.repository.js';
import { ADMIN_PRIVILEGES, effectivePrivileges, MEMBER_PRIVILEGES, privilegeList } from './privileges.js';
import { SpacesRepository } from './spaces.repository.js';
import { futureDate } from './token-limits.js';

const notMember = () => ApiError.notFound('This user is not a member of the space.');

/** A space's members: who they are, their privileges and ownership, invites, joining and leaving. */
@Injectable()
export class MembersService {
  constructor(
    private readonly members: MembersRepository,
    private readonly spaces: SpacesRepository,
    private readonly access: SpaceAccessService,
    private readonly tokens: TokensService,
    private readonly transactions: Transactions,
    private readonly idempotency: Idempotency,
  ) {}

  async users(access: SpaceAccess, page: PageRequest, ownersOnly = false): Promise<Page<string>> {
    return toPage(await this.members.userIds(access.spaceId, page, ownersOnly), page.limit, (id) => id);
  }

  async user(access: SpaceAccess, userId: string): Promise<{ userId: string; name: string }> {
    const user = await this.members.findUser(access.spaceId, userId);
    if (!user) throw notMember();
    return user;
  }

  /** A member's effective privileges: one's own, or anyone's with space_view_privileges. */
  async privileges(access: UserSpaceAccess, userId: string): Promise<SpacePrivilege[]> {
    if (userId !== access.caller.userId && !access.privileges.has('space_view_privileges')) {
      throw ApiError.forbidden("Viewing another member's privileges needs the space_view_privileges privilege.");
    }
    const member = await this.members.find(access.spaceId, userId);
    if (!member) throw notMember();
    return effectivePrivileges(member);
  }

  /** Grants and revokes privileges; an owner's cannot be reduced (owners hold all). */
  async setPrivileges(access: UserSpaceAccess, userId: string, change: UpdatePrivilegesDto): Promise<void> {
    const grant = change.grant ?? [];
    const revoke = change.revoke ?? [];
    if (grant.length === 0 && revoke.length === 0) {
      throw ApiError.invalidRequest('grant or revoke must name at least one privilege.');
    }
    const both = grant.filter((p) => revoke.includes(p));
    if (both.length > 0) throw ApiError.invalidRequest(`Both granted and revoked: ${both.join(', ')}.`);
    await this.transactions.run(async (tx) => {
      await this.access.lock(tx, access, { privilege: 'space_set_privileges' });
      const target = await this.target(tx, access, userId);
      if (target.owner && revoke.length > 0) {
        throw ApiError.invalidRequest("An owner's privileges cannot be reduced: remove the ownership first.");
      }
      const privileges = privilegeList([...target.privileges, ...grant].filter((p) => !revoke.includes(p)));
      await this.members.update(tx, access.spaceId, userId, { privileges });
    });
  }

  /** DELETE /spaces/{id}/users/{uid}: only an owner removes an owner; the last owner stays while others remain. */
  async remove(access: UserSpaceAccess, userId: string): Promise<void> {
    await this.transactions.run(async (tx) => {
      const actor = await this.access.lock(tx, access, { privilege: 'space_remove_user' });
      const target = await this.target(tx, access, userId);
      if (target.owner && !actor.owner) throw ApiError.forbidden('Only an owner may remove another owner.');
      await this.removeMember(tx, access.spaceId, userId, target);
    });
  }

  /** DELETE /user/spaces/{id}: the caller leaves; the last owner cannot while others remain. */
  async leave(access: UserSpaceAccess): Promise<void> {
    await this.transactions.run(async (tx) => {
      const self = await this.access.lock(tx, access, {});
      await this.removeMember(tx, access.spaceId, access.caller.userId, self);
    });
  }

  /** PUT /spaces/{id}/owners/{uid}: an owner makes a member an owner (holding every privilege). */
  async addOwner(access: UserSpaceAccess, userId: string): Promise<void> {
    await this.transactions.run(async (tx) => {
      await this.access.lock(tx, access, { owner: true });
      const target = await this.members.find(access.spaceId, userId, tx);
      if (!target) throw ApiError.invalidRequest('Only a member of the space can become its owner.');
      if (!target.owner) await this.members.update(tx, access.spaceId, userId, { owner: true, privileges: ADMIN_PRIVILEGES });
    });
  }

  /** DELETE /spaces/{id}/owners/{uid}: an owner ends a member's ownership; the last owner stays. */
  async removeOwner(access: UserSpaceAccess, userId: string): Promise<void> {
    await this.transactions.run(async (tx) => {
      await this.access.lock(tx, access, { owner: true });
      const target = await this.members.find(access.spaceId, userId, tx);
      if (!target?.owner) throw ApiError.notFound('This user is not an owner of the space.');
      if ((await this.members.count(tx, access.spaceId)).owners === 1) {
        throw ApiError.invalidRequest('The last owner of a space cannot give up ownership.');
      }
      await this.members.update(tx, access.spaceId, userId, { owner: false });
    });
  }

  /**
   * An invite token (user_join_space). Granting more than member privileges
   * needs space_set_privileges as well as space_add_user.
   */
  async mintInvite(access: UserSpaceAccess, dto: MintInviteTokenDto): Promise<string> {
    const privileges = privilegeList(dto.privileges ?? MEMBER_PRIVILEGES);
    if (!mayInvite(access.privileges, privileges)) {
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
  async join(caller: UserCaller, serialized: string): Promise<string> {
    const token = await this.tokens.checkBodyToken(serialized, 'user_join_space');
    const spaceId = token.spaceId;
    if (spaceId === null) throw ApiError.invalidToken();
    await this.tokens.answeringInvalidToken('space invite', () =>
      this.transactions.run(async (tx) => {
        await this.idempotency.record(tx, spaceId);
        if (!(await this.spaces.lock(tx, spaceId))) throw new TokenRejectedError(`space ${spaceId} is gone`);
        const issuer = await this.members.find(spaceId, token.subjectId, tx);
        if (!issuer || !mayInvite(new Set(effectivePrivileges(issuer)), token.privileges)) {
          throw new TokenRejectedError(`issuer ${token.subjectId} may no longer invite to ${spaceId}`);
        }
        if (await this.members.find(spaceId, caller.userId, tx)) {
          throw ApiError.alreadyExists('You are already a member of this space.');
        }
        await this.tokens.consume(tx, token);
        await this.members.add(tx, spaceId, caller.userId, token.privileges);
      }),
    );
    return spaceId;
  }

  private async target(tx: Tx, access: SpaceAccess, userId: string): Promise<MemberRecord> {
    const target = await this.members.find(access.spaceId, userId, tx);
    if (!target) throw notMember();
    return target;
  }

  /** Removes a member, unless they are the last owner and others remain. Runs under the space's lock. */
  private async removeMember(tx: Tx, spaceId: string, userId: string, member: { owner: boolean }): Promise<void> {
    if (member.owner) {
      const { members, owners } = await this.members.count(tx, spaceId);
      if (owners === 1 && members > 1) {
        throw ApiError.invalidRequest(
          'The last owner cannot leave while other members remain: make another member an owner first.',
        );
      }
    }
    await this.members.remove(tx, spaceId, userId);
  }
}

/** Who holds `held` may invite with `granted`: space_add_user, plus space_set_privileges beyond member level. */
function mayInvite(held: ReadonlySet<SpacePrivilege>, granted: SpacePrivilege[]): boolean {
  if (!held.has('space_add_user')) return false;
  return granted.every((p) => MEMBER_PRIVILEGES.includes(p)) || held.has('space_set_privileges');
}
