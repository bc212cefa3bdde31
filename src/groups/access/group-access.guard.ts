import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CALLER } from '../../auth/caller.js';
import type { HttpRequest } from '../../common/http-request.js';
import { GROUP_REQUIREMENT, type GroupAccess, type GroupRequirement } from './group-access.js';
import { GroupAccessService } from './group-access.service.js';

export type GroupRequest = HttpRequest & { groupAccess?: GroupAccess };

/** Authorises `/groups/{id}…` routes after authentication and before validation (as SpaceAccessGuard does for spaces). */
@Injectable()
export class GroupAccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly access: GroupAccessService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const need = this.reflector.get<GroupRequirement | undefined>(GROUP_REQUIREMENT, context.getHandler());
    if (!need) throw new Error(`${context.getHandler().name} uses GroupAccessGuard without @GroupRoute()`);
    const req = context.switchToHttp().getRequest<GroupRequest>();
    const caller = req[CALLER];
    if (!caller) throw new Error('GroupAccessGuard ran before the caller was authenticated');
    req.groupAccess = await this.access.authorize(caller, req.params.id as string, need);
    return true;
  }
}
