import { Module } from '@nestjs/common';
import { createHttpLogger, prettyStream } from './access-log.js';
import { JsonLogger } from './json-logger.js';
import { ConfigurableLoggingModule, HTTP_LOGGER, LOGGING_MODULE_OPTIONS, type LoggingModuleOptions } from './logging.module-definition.js';

/**
 * The standalone service's logging: JSON lines (pino), one access line per
 * request (a hook of the HTTP server's, logEveryRequest, which configureApp
 * adds), and Nest's own logs through the same logger (`app.useLogger(app.get(JsonLogger))`).
 */
@Module({
  providers: [
    {
      provide: HTTP_LOGGER,
      inject: [LOGGING_MODULE_OPTIONS],
      useFactory: async (options: LoggingModuleOptions) =>
        createHttpLogger(options.level, options.format === 'pretty' ? await prettyStream() : undefined),
    },
    JsonLogger,
  ],
  exports: [HTTP_LOGGER, JsonLogger],
})
export class LoggingModule extends ConfigurableLoggingModule {}
