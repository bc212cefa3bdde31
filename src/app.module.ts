import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AllExceptionsFilter } from './common/all-exceptions.filter.js';
import { APP_CONFIG, ConfigModule } from './config/config.module.js';
import { type AppConfig, loadConfig } from './config/environment.js';
import { HealthModule } from './health/health.module.js';
import { LoggingModule } from './logging/logging.module.js';
import { SpacesMetricsModule } from './observability/metrics/metrics.module.js';
import { SpacesModule } from './integration/spaces.module.js';
import { spacesOptionsFrom } from './integration/spaces-module.options.js';

@Module({})
export class AppModule {
  /** `env` replaces process.env: tests and embedding hosts pass their own. */
  static forRoot(env: Record<string, string | undefined> = process.env): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(env),
        LoggingModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            level: config.LOG_LEVEL,
            format: config.LOG_FORMAT === 'auto' ? (process.stdout.isTTY ? 'pretty' : 'json') : config.LOG_FORMAT,
          }),
        }),
        // The service alone is a host of its own feature module: configured from the
        // environment, its own identity store, the API prefix as the app's global prefix
        // (so that /health and /docs stay outside it).
        SpacesModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: spacesOptionsFrom,
          routePrefix: '/',
          identities: true,
        }),
        HealthModule,
        ...(metricsEnabled(env) ? [SpacesMetricsModule.forRoot()] : []),
      ],
      // The service's controllers carry their own guards, pipe and filter (SpacesApi);
      // app-wide, the filter gives the rest (unknown routes, say) the Error body too.
      providers: [{ provide: APP_FILTER, useClass: AllExceptionsFilter }],
    };
  }
}

/** METRICS_ENABLED (default true); a bad value is reported by the configuration's own validation. */
function metricsEnabled(env: Record<string, string | undefined>): boolean {
  try {
    return loadConfig(env).METRICS_ENABLED;
  } catch {
    return false;
  }
}
