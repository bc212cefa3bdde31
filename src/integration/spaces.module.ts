import { type DynamicModule, Module, type Provider } from '@nestjs/common';
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
import { TokensModule } from '../tokens/tokens.module.js';
import {
  normalizeRoutePrefix,
  SPACES_OPTIONS,
  type SpacesModuleAsyncOptions,
  type SpacesModuleOptions,
  type SpacesModuleRouteOptions,
  spacesConfig,
} from './spaces-module.options.js';

/**
 * The spaces feature as one importable module: its routes (under
 * `routePrefix`), its database, its tokens, and who may call it.
 *
 * ```ts
 * SpacesModule.forRoot({ database: { url }, resolveCaller: (req) => ... })
 * SpacesModule.forRootAsync({ inject: [ConfigService], useFactory: (config) => ({ ... }) })
 * ```
 *
 * Its guards, validation and error body apply to its own routes only; the
 * host's routes, pipes and filters are left as they are. Its providers are
 * global under the service's own tokens (as @nestjs/typeorm's core module
 * does), so import it once, in the root module.
 */
@Module({})
export class SpacesModule {
  static forRoot(options: SpacesModuleOptions & SpacesModuleRouteOptions = {}): DynamicModule {
    const { routePrefix, identities, ...settings } = options;
    return SpacesModule.build(
      { provide: SPACES_OPTIONS, useValue: settings },
      [],
      { routePrefix, identities: identities ?? settings.resolveCaller === undefined },
    );
  }

  static forRootAsync(options: SpacesModuleAsyncOptions): DynamicModule {
    return SpacesModule.build(
      { provide: SPACES_OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory },
      options.imports ?? [],
      { routePrefix: options.routePrefix, identities: options.identities ?? false },
    );
  }

  private static build(
    optionsProvider: Provider,
    imports: NonNullable<SpacesModuleAsyncOptions['imports']>,
    route: { routePrefix?: string; identities: boolean },
  ): DynamicModule {
    const prefix = normalizeRoutePrefix(route.routePrefix);
    const routeModules = [SpacesFeatureModule, GroupsModule, TokensModule, ...(route.identities ? [IdentitiesModule] : [])];
    return {
      module: SpacesModule,
      global: true,
      imports: [
        ...imports,
        DatabaseModule,
        CommonModule,
        IdempotencyModule,
        AuthModule,
        ...routeModules,
        ...(prefix === '/' ? [] : [RouterModule.register([{ path: prefix, module: SpacesModule, children: routeModules }])]),
      ],
      providers: [
        optionsProvider,
        HealthIndicatorService,
        SpacesHealthIndicator,
        {
          provide: SPACES_CONFIG,
          inject: [SPACES_OPTIONS],
          useFactory: (options: SpacesModuleOptions) => spacesConfig(options, prefix),
        },
        {
          provide: SECRETS,
          inject: [SPACES_CONFIG],
          useFactory: (config: AppConfig) => loadSecrets(config, { admin: route.identities }),
        },
        {
          provide: HOST_PRISMA,
          inject: [SPACES_OPTIONS],
          useFactory: (options: SpacesModuleOptions) =>
            options.database && 'prisma' in options.database ? options.database.prisma : null,
        },
        {
          provide: CALLER_RESOLVER,
          inject: [SPACES_OPTIONS],
          useFactory: (options: SpacesModuleOptions) => options.resolveCaller ?? null,
        },
      ],
      exports: [SPACES_OPTIONS, SPACES_CONFIG, SECRETS, HOST_PRISMA, CALLER_RESOLVER, SpacesHealthIndicator],
    };
  }
}
