import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { LogLevel } from '../config/environment.js';

export interface LoggingModuleOptions {
  level: LogLevel;
  /** `pretty`: coloured lines for a terminal (pino-pretty); `json` (the default): one JSON object a line. */
  format?: 'json' | 'pretty';
}

/** The access log (createHttpLogger), whose `logger` is the service's one pino logger. */
export const HTTP_LOGGER = Symbol('HttpLogger');

/** `LoggingModule.forRoot(options)` and `forRootAsync({ useFactory, inject })`. */
export const { ConfigurableModuleClass: ConfigurableLoggingModule, MODULE_OPTIONS_TOKEN: LOGGING_MODULE_OPTIONS } =
  new ConfigurableModuleBuilder<LoggingModuleOptions>({ moduleName: 'Logging' }).setClassMethodName('forRoot').build();
