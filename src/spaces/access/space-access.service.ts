import { Injectable } from '@nestjs/common';
import { AccessRepository } from '../../access/access.repository.js';
import {
  maySetSupportParameter,
  privilegesForSpaceChange,
  type SupportParameterField,
  type SupportParameterSetter,
} from '../../access/policy.js';
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
    if (need.load && !tx) return this.authorizeAndLoad(caller, spaceId, need);
    if (caller.type === 'admin' && need.admins) {
      if (!(tx ? await this.spaces.lock(tx, spaceId) : await this.spaces.find(spaceId))) throw notFound();
      return { spaceId, caller, standing: null };
    }
    if (caller.type === 'provider' && need.providers) {
      if (!(await this.access.supports(spaceId, caller.providerId, tx))) throw notFound();
      return { spaceId, caller, standing: null };
    }
    if (caller.type !== 'user') throw notFound();
    return grant(caller, spaceId, need, await this.access.spaceStanding(spaceId, caller.userId, tx));
  }

  /**
   * What the route's body asks beyond the route's own requirement, checked
   * before the body is validated: the Marketplace fields of a space change,
   * and each support parameter (after the provider named by `:pid` is found
   * among the space's supporters).
   */
  async authorizeBody(access: SpaceAccess, need: SpaceRequirement, body: unknown, pid?: string): Promise<void> {
    const fields = isObject(body) ? body : {};
    if (need.spaceChange && access.caller.type === 'user') {
      for (const privilege of privilegesForSpaceChange(Object.keys(fields))) {
        if (!holdsSpace(access.standing, privilege)) throw forbidden(privilege);
      }
    }
    if (need.supportParameters) {
      if (pid === undefined || !(await this.access.supports(access.spaceId, pid))) {
        throw ApiError.notFound('This provider does not support the space.');
      }
      const setter: SupportParameterSetter =
        access.caller.type === 'admin'
          ? { kind: 'admin' }
          : access.caller.type === 'provider'
            ? { kind: 'provider', itself: access.caller.providerId === pid }
            : { kind: 'member', standing: access.standing! };
      for (const field of SUPPORT_PARAMETER_FIELDS) {
        if (fields[field] === undefined || fields[field] === null) continue;
        if (!maySetSupportParameter(setter, field)) {
          throw ApiError.forbidden(`You may not set ${field} of this support.`);
        }
      }
    }
  }

  /** The access check and the space's details in one query (the administrator's: the space alone). */
  private async authorizeAndLoad(caller: Caller, spaceId: string, need: SpaceRequirement): Promise<SpaceAccess> {
    if (caller.type === 'admin' && need.admins) {
      const space = await this.spaces.find(spaceId);
      if (!space) throw notFound();
      return { spaceId, caller, standing: null, space };
    }
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
  if (need.privilege && !holdsSpace(standing, need.privilege)) throw forbidden(need.privilege);
  return { spaceId, caller, standing };
}

const SUPPORT_PARAMETER_FIELDS: readonly SupportParameterField[] = ['accountingEnabled', 'dirStatsServiceEnabled', 'dirStatsServiceStatus'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function forbidden(privilege: string): ApiError {
  return ApiError.forbidden(`This operation needs the ${privilege} privilege in the space.`);
}

export function notFound(): ApiError {
  return ApiError.notFound('The space does not exist or you are not allowed to see it.');
}
