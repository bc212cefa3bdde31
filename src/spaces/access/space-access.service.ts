import { Injectable } from '@nestjs/common';
import type { Caller } from '../../auth/caller.js';
import { ApiError } from '../../common/api-error.js';
import type { Tx } from '../../database/transactions.js';
import { MembersRepository } from '../members.repository.js';
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
    if (caller.type === 'provider' && need.providers) {
      if (!(await this.supports.find(spaceId, caller.providerId, tx))) throw notFound();
      return { spaceId, caller, owner: false, privileges: new Set() };
    }
    if (caller.type !== 'user') throw notFound();
    const member = await this.members.find(spaceId, caller.userId, tx);
    if (!member) throw notFound();
    const access: UserSpaceAccess = {
      spaceId,
      caller,
      owner: member.owner,
      privileges: new Set(effectivePrivileges(member)),
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
