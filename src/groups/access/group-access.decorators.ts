import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { GROUP_REQUIREMENT, type GroupAccess, type GroupRequirement } from './group-access.js';
import { GroupAccessGuard, type GroupRequest } from './group-access.guard.js';

/** A route on the group named by the `:id` path parameter, with what it asks of the caller. */
export function GroupRoute(need: GroupRequirement = {}) {
  return applyDecorators(
    SetMetadata(GROUP_REQUIREMENT, need),
    UseGuards(GroupAccessGuard),
    ApiParam({ name: 'id', description: 'Group ID.', schema: { type: 'string' } }),
  );
}

/** The caller's access to the route's group, as GroupAccessGuard established it. */
export const CurrentGroup = createParamDecorator((_: unknown, ctx: ExecutionContext): GroupAccess => {
  const access = ctx.switchToHttp().getRequest<GroupRequest>().groupAccess;
  if (!access) throw new Error('@CurrentGroup() used on a route without @GroupRoute()');
  return access;
});
