import { Inject, Module, type NestModule } from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost } from '@nestjs/core';
import type { AppConfig } from '../config/environment.js';
import { SPACES_CONFIG } from '../config/spaces-config.js';
import { keepBodyFaultsOnFeatureRoutes } from './host-body-faults.js';
import { ConfigurableSpacesModule } from './spaces-module.definition.js';

/**
 * The spaces feature as one importable module: its routes (under
 * `routePrefix`), its database, its tokens, and who may call it.
 *
 * ```ts
 * SpacesModule.forRoot({ dataDir, tokenSecret, resolveCaller: (req) => ... })
 * SpacesModule.forRootAsync({ inject: [ConfigService], useFactory: (config) => ({ ... }) })
 * SpacesModule.forRootAsync({ useClass: SpacesSettings }) // SpacesOptionsFactory
 * ```
 *
 * Its guards, validation and error body apply to its own routes only; the
 * host's routes, pipes and filters are left as they are. It is global: import
 * it once, in the root module. It exports its options (SPACES_MODULE_OPTIONS),
 * SpacesService, MembersService, TokensService and SpacesHealthIndicator.
 */
@Module({})
export class SpacesModule extends ConfigurableSpacesModule implements NestModule {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly application: ApplicationConfig,
    @Inject(SPACES_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  /** Runs after the host's body parser is installed and before the routes are: see host-body-faults.ts. */
  configure(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter) return;
    const global = this.application.getGlobalPrefix().replace(/^\/+|\/+$/g, '');
    keepBodyFaultsOnFeatureRoutes(adapter, `${global ? `/${global}` : ''}${this.config.API_PREFIX}`);
  }
}
