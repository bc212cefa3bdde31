import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { SpacesModule, type SpacesModuleOptions } from 'spaces-service';
import { AccountsModule, AccountsService } from './accounts.js';
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
    return {
      module: HostModule,
      imports: [
        AccountsModule,
        TerminusModule.forRoot({ logger: false }),
        SpacesModule.forRootAsync({
          routePrefix: 'onezone',
          imports: [AccountsModule],
          inject: [AccountsService],
          useFactory: (accounts: AccountsService): SpacesModuleOptions => ({
            ...spaces,
            resolveCaller: (request: HostRequest) => (request.user ? accounts.asCaller(request.user) : null),
          }),
        }),
      ],
      controllers: [MeController, HostHealthController],
      providers: [{ provide: APP_GUARD, useClass: FakeAuthGuard }],
    };
  }
}
