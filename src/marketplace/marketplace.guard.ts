import { applyDecorators, type CanActivate, type ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiParam } from '@nestjs/swagger';
import { ApiError } from '../common/api-error.js';
import type { HttpRequest } from '../common/http-request.js';
import type { AppConfig } from '../config/environment.js';
import { SPACES_CONFIG } from '../config/spaces-config.js';
import { MarketplaceRepository } from './marketplace.repository.js';

const ADVERTISED = 'marketplace:advertised';

/** The answer for a space that is not in the Marketplace: missing or not advertised, to everyone. */
export function notAdvertised(): ApiError {
  return ApiError.notFound('There is no such space in the Marketplace.');
}

/**
 * Runs on every Marketplace route once the caller is authenticated (and of
 * a type the route serves): while the Marketplace is disabled, each answers
 * 400. A route on an advertised space (@AdvertisedSpace) then answers 404
 * for a space that is missing or not advertised, before its body is read.
 */
@Injectable()
export class MarketplaceGuard implements CanActivate {
  constructor(
    @Inject(SPACES_CONFIG) private readonly config: AppConfig,
    private readonly reflector: Reflector,
    private readonly marketplace: MarketplaceRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.config.SPACE_MARKETPLACE_ENABLED) throw ApiError.invalidRequest('The space marketplace is disabled.');
    if (this.reflector.get<boolean | undefined>(ADVERTISED, context.getHandler())) {
      const id = context.switchToHttp().getRequest<HttpRequest>().params.id as string;
      if (!(await this.marketplace.advertised(id))) throw notAdvertised();
    }
    return true;
  }
}

/** A route on the advertised space named by `:id` (404 for any other). */
export function AdvertisedSpace() {
  return applyDecorators(SetMetadata(ADVERTISED, true), ApiParam({ name: 'id', description: 'Space ID.', schema: { type: 'string' } }));
}
