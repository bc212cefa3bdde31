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
import type { SpaceAccess, SpaceRequirement, UserCaller } from './space-access.js';
import { type ZonePrivilege, ZonePrivileges } from '../../access/zone-privileges.js';

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

  /** `subjectId`: the user the route is about (`:uid`), for `privilegeUnlessSelf`. */
  async authorize(caller: Caller, spaceId: string, need: SpaceRequirement, tx?: Tx, subjectId?: string): Promise<SpaceAccess> {
    if (need.load && !tx) return this.authorizeAndLoad(caller, spaceId, need);
    if (caller.type === 'admin') {
      if (!opensToAdmin(need)) throw notFound();
      if (!(tx ? await this.spaces.lock(tx, spaceId) : await this.spaces.find(spaceId))) throw notFound();
      return { spaceId, caller, standing: null, zone: ZonePrivileges.allMask, byZone: true };
    }
    if (caller.type === 'provider') {
      if (!need.providers || !(await this.access.supports(spaceId, caller.providerId, tx))) throw notFound();
      return { spaceId, caller, standing: null };
    }
    const standing = await this.access.spaceStanding(spaceId, caller.userId, tx);
    const self = subjectId !== undefined && subjectId === caller.userId;
    return this.decide(caller, spaceId, need, standing, tx, self, async () =>
      tx ? this.spaces.lock(tx, spaceId) : (await this.spaces.find(spaceId)) !== null,
    );
  }

  /**
   * A user's access: by its standing in the space, or else, where the route
   * names zone privileges, by those. Refused, a user sees 403 where it is a
   * member or may view every space (oz_spaces_view), else 404. The zone
   * privileges are read only when the standing does not suffice.
   */
  private async decide(
    caller: UserCaller,
    spaceId: string,
    need: SpaceRequirement,
    standing: SpaceStanding | null,
    tx: Tx | undefined,
    self: boolean,
    exists: () => Promise<boolean>,
  ): Promise<SpaceAccess> {
    const refusal = refusalOf(need, standing, self);
    if (!refusal) return { spaceId, caller, standing: standing! };
    if (!need.zone) throw refusal;
    const zone = await this.access.zonePrivileges(caller.userId, tx);
    if (zone === 0) throw refusal;
    if (ZonePrivileges.hasAll(zone, need.zone)) {
      if (!standing && !(await exists())) throw notFound();
      return { spaceId, caller, standing, zone, byZone: true };
    }
    if (!standing && ZonePrivileges.hasAll(zone, ['oz_spaces_view']) && (await exists())) {
      throw ApiError.forbidden(`This operation needs ${need.zone.join(' and ')} (or membership with the privilege).`);
    }
    throw refusal;
  }

  /** May the caller act through zone privileges alone (the administrator, or a user holding them)? */
  async authorizeZone(caller: Caller, privileges: readonly ZonePrivilege[]): Promise<number> {
    if (caller.type === 'admin') return ZonePrivileges.allMask;
    const zone = caller.type === 'user' ? await this.access.zonePrivileges(caller.userId) : 0;
    if (!ZonePrivileges.hasAll(zone, privileges)) {
      throw ApiError.forbidden(`This operation needs ${privileges.join(' and ')}.`);
    }
    return zone;
  }

  /**
   * What the route's body asks beyond the route's own requirement, checked
   * before the body is validated: the Marketplace fields of a space change,
   * and each support parameter (after the provider named by `:pid` is found
   * among the space's supporters).
   */
  async authorizeBody(access: SpaceAccess, need: SpaceRequirement, body: unknown, pid?: string): Promise<void> {
    const fields = isObject(body) ? body : {};
    if (need.spaceChange && access.caller.type === 'user' && !access.byZone) {
      const missing = privilegesForSpaceChange(Object.keys(fields)).find((p) => !holdsSpace(access.standing, p));
      // A member lacking a Marketplace privilege may still hold the zone privileges of the route.
      if (missing && !(need.zone && ZonePrivileges.hasAll(await this.access.zonePrivileges(access.caller.userId), need.zone))) {
        throw forbidden(missing);
      }
    }
    if (need.supportParameters) {
      if (pid === undefined || !(await this.access.supports(access.spaceId, pid))) {
        throw ApiError.notFound('This provider does not support the space.');
      }
      const setter: SupportParameterSetter = access.byZone
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
    if (caller.type === 'admin') {
      const space = opensToAdmin(need) ? await this.spaces.find(spaceId) : null;
      if (!space) throw notFound();
      return { spaceId, caller, standing: null, space, zone: ZonePrivileges.allMask, byZone: true };
    }
    if (caller.type === 'provider') {
      const found = need.providers ? await this.access.spaceFor(spaceId, { type: 'provider', id: caller.providerId }) : null;
      if (!found) throw notFound();
      return { spaceId, caller, standing: null, space: found.space };
    }
    const found = await this.access.spaceFor(spaceId, { type: 'user', id: caller.userId });
    let space = found?.space ?? null;
    const access = await this.decide(caller, spaceId, need, found?.standing ?? null, undefined, false, async () => {
      space ??= await this.spaces.find(spaceId);
      return space !== null;
    });
    if (!space) throw notFound();
    return { ...access, space, zone: access.zone ?? found?.zone };
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

/** Why a standing does not open the route (404 for no standing, 403 for a missing privilege), or null when it does. */
function refusalOf(need: SpaceRequirement, standing: SpaceStanding | null, self: boolean): ApiError | null {
  if (!standing) return notFound();
  if (need.owner && !standing.owner) return ApiError.forbidden('Only an owner of the space may do this.');
  if (need.privilege && !holdsSpace(standing, need.privilege)) return forbidden(need.privilege);
  if (need.privilegeUnlessSelf && !self && !holdsSpace(standing, need.privilegeUnlessSelf)) {
    return ApiError.forbidden(`Another member's privileges and membership need the ${need.privilegeUnlessSelf} privilege in the space.`);
  }
  return null;
}

function opensToAdmin(need: SpaceRequirement): boolean {
  return need.admins === true || need.zone !== undefined;
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
