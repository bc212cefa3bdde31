import { applyDecorators, type CanActivate, type ExecutionContext, Injectable, SetMetadata, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ZonePrivilege } from '../../access/zone-privileges.js';
import { CALLER } from '../../auth/caller.js';
import type { HttpRequest } from '../../common/http-request.js';
import { SpaceAccessService } from './space-access.service.js';

const ZONE_REQUIREMENT = 'spaces:zone-requirement';

/**
 * Authorises a route that concerns no one space, by zone privileges: the
 * administrator holds them all, a user may hold them; anyone else gets 403.
 * Runs after authentication and before the input is validated.
 */
@Injectable()
export class ZoneAccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly access: SpaceAccessService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const need = this.reflector.get<ZonePrivilege[] | undefined>(ZONE_REQUIREMENT, context.getHandler());
    if (!need) throw new Error(`${context.getHandler().name} uses ZoneAccessGuard without @ZoneRoute()`);
    const caller = context.switchToHttp().getRequest<HttpRequest>()[CALLER];
    if (!caller) throw new Error('ZoneAccessGuard ran before the caller was authenticated');
    await this.access.authorizeZone(caller, need);
    return true;
  }
}

/** A route open to holders of these zone privileges (and the administrator). */
export function ZoneRoute(...privileges: ZonePrivilege[]) {
  return applyDecorators(SetMetadata(ZONE_REQUIREMENT, privileges), UseGuards(ZoneAccessGuard));
}
