import { Injectable } from '@nestjs/common';
import type { Caller } from '../../auth/caller.js';
import { ApiError } from '../../common/api-error.js';
import type { Tx } from '../../database/transactions.js';
import { type MemberRecord, MembersRepository } from '../members.repository.js';
import { effectivePrivileges } from '../privileges.js';
import { SupportsRepository } from '../supports.repository.js';
import { SpacesRepository } from '../spaces.repository.js';
import type { SpaceAccess, SpaceRequirement, UserSpaceAccess } from './space-access.js';

/**
 * Who may act on a space. A caller who is neither a member nor (where the
 * route allows providers) a supporting provider gets 404, so that a space's
 * existence is not revealed; a member without the privilege gets 403.
 */
@Injectable()
export class SpaceAccessService {
  constructor(
    private readonly spaces: SpacesRepository,
    private readonly members: MembersRepository,
    private readonly supports: SupportsRepository,
  ) {}

  async authorize(caller: Caller, spaceId: string, need: SpaceRequirement, tx?: Tx): Promise<SpaceAccess> {
    if (need.load && !tx) return this.authorizeAndLoad(caller, spaceId, need);
    if (caller.type === 'provider' && need.providers) {
      return this.grant(caller, spaceId, need, Boolean(await this.supports.find(spaceId, caller.providerId, tx)));
    }
    if (caller.type !== 'user') throw notFound();
    return this.grant(caller, spaceId, need, await this.members.find(spaceId, caller.userId, tx));
  }

  /** The access check and the space's details in one query. */
  private async authorizeAndLoad(caller: Caller, spaceId: string, need: SpaceRequirement): Promise<SpaceAccess> {
    if (caller.type === 'admin' || (caller.type === 'provider' && !need.providers)) throw notFound();
    const subject = caller.type === 'user' ? { type: caller.type, id: caller.userId } : { type: caller.type, id: caller.providerId };
    const found = await this.spaces.findFor(spaceId, subject);
    const access = this.grant(caller, spaceId, need, caller.type === 'user' ? (found?.member ?? null) : Boolean(found));
    return { ...access, space: found!.space };
  }

  /** The access a standing gives: a membership (users) or a support (providers). */
  private grant(caller: Caller, spaceId: string, need: SpaceRequirement, standing: MemberRecord | boolean | null): SpaceAccess {
    if (!standing) throw notFound();
    if (caller.type === 'provider') return { spaceId, caller, owner: false, privileges: new Set() };
    if (caller.type !== 'user' || standing === true) throw notFound();
    const access: UserSpaceAccess = {
      spaceId,
      caller,
      owner: standing.owner,
      privileges: new Set(effectivePrivileges(standing)),
    };
    if (need.owner && !access.owner) throw ApiError.forbidden('Only an owner of the space may do this.');
    if (need.privilege && !access.privileges.has(need.privilege)) {
      throw ApiError.forbidden(`This operation needs the ${need.privilege} privilege in the space.`);
    }
    return access;
  }

  /**
   * Runs a change inside `tx` with the space's row locked, after checking the
   * caller's rights again under that lock: changes to one space's members
   * happen one at a time, each seeing the others' result.
   */
  async lock(tx: Tx, access: UserSpaceAccess, need: SpaceRequirement): Promise<UserSpaceAccess> {
    if (!(await this.spaces.lock(tx, access.spaceId))) throw notFound();
    return (await this.authorize(access.caller, access.spaceId, need, tx)) as UserSpaceAccess;
  }
}

export function notFound(): ApiError {
  return ApiError.notFound('The space does not exist or you are not allowed to see it.');
}
