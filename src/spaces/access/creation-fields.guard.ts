import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { mayProviderCreateWith } from '../../access/policy.js';
import { CALLER } from '../../auth/caller.js';
import { ApiError } from '../../common/api-error.js';
import type { HttpRequest } from '../../common/http-request.js';

/**
 * Authorises the fields of a space creation before they are validated: a
 * provider creating a space for a user may not set its Marketplace fields.
 */
@Injectable()
export class CreationFieldsGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<HttpRequest & { body?: unknown }>();
    const body = req.body;
    const keys = typeof body === 'object' && body !== null && !Array.isArray(body) ? Object.keys(body) : [];
    if (req[CALLER]?.type === 'provider' && !mayProviderCreateWith(keys)) {
      throw ApiError.forbidden(
        'A provider may not set advertisedInMarketplace or marketplaceContactEmail: that needs the space_manage_in_marketplace privilege.',
      );
    }
    return true;
  }
}
