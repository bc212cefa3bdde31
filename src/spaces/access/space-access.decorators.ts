import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { SPACE_REQUIREMENT, type SpaceAccess, type SpaceRequirement } from './space-access.js';
import { SpaceAccessGuard, type SpaceRequest } from './space-access.guard.js';

/** A route on the space named by the `:id` path parameter, with what it asks of the caller. */
export function SpaceRoute(need: SpaceRequirement = {}) {
  return applyDecorators(
    SetMetadata(SPACE_REQUIREMENT, need),
    UseGuards(SpaceAccessGuard),
    ApiParam({ name: 'id', description: 'Space ID.', schema: { type: 'string' } }),
  );
}

/** The caller's access to the route's space, as SpaceAccessGuard established it. */
export const CurrentSpace = createParamDecorator((_: unknown, ctx: ExecutionContext): SpaceAccess => {
  const access = ctx.switchToHttp().getRequest<SpaceRequest>().spaceAccess;
  if (!access) throw new Error('@CurrentSpace() used on a route without @SpaceRoute()');
  return access;
});
