import { ConfigurableModuleBuilder, type DynamicModule } from '@nestjs/common';
import { RouterModule } from '@nestjs/core';
import { HealthIndicatorService } from '@nestjs/terminus';
import { AuthModule } from '../auth/auth.module.js';
import { CALLER_RESOLVER } from '../auth/caller-resolver.js';
import { CommonModule } from '../common/common.module.js';
import { IdempotencyModule } from '../common/idempotency/idempotency.module.js';
import type { AppConfig } from '../config/environment.js';
import { loadSecrets } from '../config/secrets.js';
import { SECRETS, SPACES_CONFIG } from '../config/spaces-config.js';
import { HOST_PRISMA } from '../database/database.js';
import { DatabaseModule } from '../database/database.module.js';
import { SpacesHealthIndicator } from '../health/spaces-health.indicator.js';
import { GroupsModule } from '../groups/groups.module.js';
import { IdentitiesModule } from '../identities/identities.module.js';
import { SpacesFeatureModule } from '../spaces/spaces.module.js';
import { MARKETPLACE_EVENT_LISTENER } from '../spaces/marketplace-events.js';
import { MarketplaceModule } from '../marketplace/marketplace.module.js';
import { TokensModule } from '../tokens/tokens.module.js';
import {
  normalizeRoutePrefix,
  ROUTE_DEFAULTS,
  type SpacesModuleOptions,
  type SpacesModuleRouteOptions,
  spacesConfig,
} from './spaces-module.options.js';

/** The full module: the options provider the builder made, and the feature around it. */
function withFeature(definition: DynamicModule, extras: SpacesModuleRouteOptions): DynamicModule {
  const prefix = normalizeRoutePrefix(extras.routePrefix);
  const identities = extras.identities ?? ROUTE_DEFAULTS.identities;
  const routeModules = [MarketplaceModule, SpacesFeatureModule, GroupsModule, TokensModule, ...(identities ? [IdentitiesModule] : [])];
  return {
    ...definition,
    // Its providers are global under the service's own tokens (as @nestjs/typeorm's
    // core module does): import it once, in the root module.
    global: true,
    imports: [
      ...(definition.imports ?? []),
      DatabaseModule,
      CommonModule,
      IdempotencyModule,
      AuthModule,
      ...routeModules,
      ...(prefix === '/' ? [] : [RouterModule.register([{ path: prefix, module: definition.module, children: routeModules }])]),
    ],
    providers: [
      ...(definition.providers ?? []),
      HealthIndicatorService,
      SpacesHealthIndicator,
      {
        provide: SPACES_CONFIG,
        inject: [SPACES_MODULE_OPTIONS],
        useFactory: (options: SpacesModuleOptions) => spacesConfig(options, prefix),
      },
      {
        provide: SECRETS,
        inject: [SPACES_CONFIG],
        useFactory: (config: AppConfig) => loadSecrets(config, { admin: identities }),
      },
      {
        provide: HOST_PRISMA,
        inject: [SPACES_MODULE_OPTIONS],
        useFactory: (options: SpacesModuleOptions) => (options.database && 'prisma' in options.database ? options.database.prisma : null),
      },
      {
        provide: MARKETPLACE_EVENT_LISTENER,
        inject: [SPACES_MODULE_OPTIONS],
        useFactory: (options: SpacesModuleOptions) => options.onMarketplaceEvent ?? null,
      },
      {
        provide: CALLER_RESOLVER,
        inject: [SPACES_MODULE_OPTIONS],
        useFactory: (options: SpacesModuleOptions) => options.resolveCaller ?? null,
      },
    ],
    exports: [
      SPACES_MODULE_OPTIONS,
      SPACES_CONFIG,
      SECRETS,
      HOST_PRISMA,
      CALLER_RESOLVER,
      MARKETPLACE_EVENT_LISTENER,
      SpacesHealthIndicator,
      // The services a host may call itself: SpacesService and MembersService, TokensService.
      SpacesFeatureModule,
      TokensModule,
    ],
  };
}

/**
 * SpacesModule's forms, as Nest's own modules build them: `forRoot(options)`
 * and `forRootAsync({ useFactory | useClass | useExisting, inject, imports })`,
 * with `routePrefix` and `identities` as extras beside either, with the same
 * defaults (they shape the routes, so they are known before any factory runs).
 */
export const {
  ConfigurableModuleClass: ConfigurableSpacesModule,
  MODULE_OPTIONS_TOKEN: SPACES_MODULE_OPTIONS,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<SpacesModuleOptions>({ moduleName: 'Spaces' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createSpacesOptions')
  .setExtras<SpacesModuleRouteOptions>({ ...ROUTE_DEFAULTS }, withFeature)
  .build();

/** `SpacesModule.forRoot`'s argument: the options and the extras. */
export type SpacesModuleForRootOptions = typeof OPTIONS_TYPE;
/** `SpacesModule.forRootAsync`'s argument: useFactory, useClass or useExisting, and the extras. */
export type SpacesModuleAsyncOptions = typeof ASYNC_OPTIONS_TYPE;

/** A class a host names in `forRootAsync({ useClass })` or `useExisting`. */
export interface SpacesOptionsFactory {
  createSpacesOptions(): SpacesModuleOptions | Promise<SpacesModuleOptions>;
}
