import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CALLER } from '../../auth/caller.js';
import type { HttpRequest } from '../../common/http-request.js';
import { SPACE_REQUIREMENT, type SpaceAccess, type SpaceRequirement } from './space-access.js';
import { SpaceAccessService } from './space-access.service.js';

export type SpaceRequest = HttpRequest & { spaceAccess?: SpaceAccess; body?: unknown };

/**
 * Authorises `/spaces/{id}…` routes after the bearer guard authenticated the
 * caller and before pipes validate the input (Onezone's order:
 * authenticate → authorise → validate → execute).
 */
@Injectable()
export class SpaceAccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly access: SpaceAccessService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const need = this.reflector.get<SpaceRequirement | undefined>(SPACE_REQUIREMENT, context.getHandler());
    if (!need) throw new Error(`${context.getHandler().name} uses SpaceAccessGuard without @SpaceRoute()`);
    const req = context.switchToHttp().getRequest<SpaceRequest>();
    const caller = req[CALLER];
    if (!caller) throw new Error('SpaceAccessGuard ran before the caller was authenticated');
    const access = await this.access.authorize(caller, req.params.id as string, need, undefined, req.params.uid);
    if (need.spaceChange || need.supportParameters) {
      await this.access.authorizeBody(access, need, req.body, req.params.pid);
    }
    req.spaceAccess = access;
    return true;
  }
}
