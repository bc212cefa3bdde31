import { type DynamicModule, Global, Module } from '@nestjs/common';
import { loadConfig } from './environment.js';
import { loadSecrets } from './secrets.js';

export const APP_CONFIG = Symbol('AppConfig');
export const SECRETS = Symbol('Secrets');

@Global()
@Module({})
export class ConfigModule {
  /** Validates the environment once; `env` replaces process.env (tests, embedding). */
  static forRoot(env: Record<string, string | undefined> = process.env): DynamicModule {
    const config = loadConfig(env);
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: SECRETS, useFactory: () => loadSecrets(config) },
      ],
      exports: [APP_CONFIG, SECRETS],
    };
  }
}
