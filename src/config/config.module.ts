import { type DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigService, ConfigModule as NestConfigModule, registerAs } from '@nestjs/config';
import { type AppConfig, loadConfig } from './environment.js';

export const APP_CONFIG = Symbol('AppConfig');

/** The namespace of the service's settings in ConfigService: `config.get('spaces.RATE_LIMIT')`. */
export const CONFIG_NAMESPACE = 'spaces';

/**
 * The standalone service's configuration through @nestjs/config (a host
 * application configures SpacesModule through its options instead). The environment is
 * validated by the Environment schema (class-validator) when the
 * namespace loads; the validated values are what ConfigService holds, under
 * `spaces`. `env` replaces process.env (tests, embedding hosts), and is never
 * written back to process.env, so several applications with their own
 * settings can share a process.
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(env: Record<string, string | undefined> = process.env): DynamicModule {
    const settings = registerAs(CONFIG_NAMESPACE, () => ({ ...loadConfig(env) }));
    return {
      module: ConfigModule,
      imports: [NestConfigModule.forRoot({ ignoreEnvFile: true, skipProcessEnv: true, load: [settings] })],
      providers: [
        {
          provide: APP_CONFIG,
          inject: [ConfigService],
          useFactory: (config: ConfigService): AppConfig => Object.freeze(config.getOrThrow<AppConfig>(CONFIG_NAMESPACE)),
        },
      ],
      exports: [APP_CONFIG, NestConfigModule],
    };
  }
}
