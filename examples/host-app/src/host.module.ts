import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { SpacesModule, type SpacesModuleOptions } from 'spaces-service';
import { SpacesMetricsModule } from 'spaces-service/metrics';
import { AccountsService } from './accounts.js';
import { EchoController } from './echo.controller.js';
import { FakeAuthGuard, type HostRequest } from './fake-auth.guard.js';
import { HostHealthController } from './health.controller.js';
import { MeController } from './me.controller.js';

/** Where the host keeps the spaces, and the secrets its instances share. */
export type HostSpacesSettings = Pick<SpacesModuleOptions, 'database' | 'dataDir' | 'tokenSecret' | 'rateLimit'>;

/**
 * A host platform with its own accounts and authentication, importing the
 * spaces feature under `/onezone`: its signed-in accounts are the spaces'
 * callers, through resolveCaller.
 */
@Module({})
export class HostModule {
  static forRoot(spaces: HostSpacesSettings): DynamicModule {
    const accounts = new AccountsService();
    return {
      module: HostModule,
      global: true,
      imports: [
        TerminusModule.forRoot({ logger: false }),
        SpacesModule.forRoot({
          ...spaces,
          routePrefix: 'onezone',
          resolveCaller: (request: HostRequest) => (request.user ? accounts.asCaller(request.user) : null),
        }),
        // The feature's metrics, and the host's requests', at /platform/metrics (prom-client's default registry).
        SpacesMetricsModule.forRoot(),
      ],
      controllers: [MeController, EchoController, HostHealthController],
      providers: [
        { provide: AccountsService, useValue: accounts },
        { provide: APP_GUARD, useClass: FakeAuthGuard },
      ],
      exports: [AccountsService],
    };
  }
}
