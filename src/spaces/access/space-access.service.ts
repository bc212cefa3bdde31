import { Injectable } from '@nestjs/common';
import { AccessRepository } from '../../access/access.repository.js';
import { holdsSpace, type SpaceStanding } from '../../access/standing.js';
import type { Caller } from '../../auth/caller.js';
import { ApiError } from '../../common/api-error.js';
import type { Tx } from '../../database/transactions.js';
import { SpacesRepository } from '../spaces.repository.js';
import type { SpaceAccess, SpaceRequirement, UserSpaceAccess } from './space-access.js';

/**
 * Who may act on a space. A caller who is neither an effective member nor
 * (where the route allows providers) a supporting provider gets 404, so that
 * a space's existence is not revealed; a member without the privilege gets 403.
 */
@Injectable()
export class SpaceAccessService {
  constructor(
    private readonly access: AccessRepository,
    private readonly spaces: SpacesRepository,
  ) {}

  async authorize(caller: Caller, spaceId: string, need: SpaceRequirement, tx?: Tx): Promise<SpaceAccess> {
    if (caller.type === 'admin' && need.admins) {
      if (!(tx ? await this.spaces.lock(tx, spaceId) : await this.spaces.find(spaceId))) throw notFound();
      return { spaceId, caller, standing: null };
    }
    if (need.load && !tx) return this.authorizeAndLoad(caller, spaceId, need);
    if (caller.type === 'provider' && need.providers) {
      if (!(await this.access.supports(spaceId, caller.providerId, tx))) throw notFound();
      return { spaceId, caller, standing: null };
    }
    if (caller.type !== 'user') throw notFound();
    return grant(caller, spaceId, need, await this.access.spaceStanding(spaceId, caller.userId, tx));
  }

  /** The access check and the space's details in one query. */
  private async authorizeAndLoad(caller: Caller, spaceId: string, need: SpaceRequirement): Promise<SpaceAccess> {
    if (caller.type === 'admin' || (caller.type === 'provider' && !need.providers)) throw notFound();
    const subject = caller.type === 'user' ? { type: caller.type, id: caller.userId } : { type: caller.type, id: caller.providerId };
    const found = await this.access.spaceFor(spaceId, subject);
    if (!found) throw notFound();
    if (caller.type === 'provider') return { spaceId, caller, standing: null, space: found.space };
    return { ...grant(caller, spaceId, need, found.standing), space: found.space };
  }

  /**
   * Runs a change inside `tx` with the space's row locked, after checking the
   * caller's rights again under that lock: changes to one space's members
   * happen one at a time, each seeing the others' result.
   */
  /** Locks the space's row until `tx` ends; false when there is no such space. */
  lockSpace(tx: Tx, spaceId: string): Promise<boolean> {
    return this.spaces.lock(tx, spaceId);
  }

  async lock<A extends SpaceAccess>(tx: Tx, access: A, need: SpaceRequirement): Promise<A> {
    if (!(await this.spaces.lock(tx, access.spaceId))) throw notFound();
    return (await this.authorize(access.caller, access.spaceId, need, tx)) as A;
  }
}

function grant(
  caller: Extract<Caller, { type: 'user' }>,
  spaceId: string,
  need: SpaceRequirement,
  standing: SpaceStanding | null,
): UserSpaceAccess {
  if (!standing) throw notFound();
  if (need.owner && !standing.owner) throw ApiError.forbidden('Only an owner of the space may do this.');
  if (need.privilege && !holdsSpace(standing, need.privilege)) {
    throw ApiError.forbidden(`This operation needs the ${need.privilege} privilege in the space.`);
  }
  return { spaceId, caller, standing };
}

export function notFound(): ApiError {
  return ApiError.notFound('The space does not exist or you are not allowed to see it.');
}
