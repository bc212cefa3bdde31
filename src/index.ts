/**
 * The spaces service as a package: the feature module a host Nest
 * application imports, and what it needs to configure it.
 */
export { SpacesModule } from './integration/spaces.module.js';
export type {
  SpacesDatabaseOptions,
  SpacesModuleAsyncOptions,
  SpacesModuleOptions,
  SpacesModuleRouteOptions,
} from './integration/spaces-module.options.js';
export { migrateSpacesDatabase } from './integration/migrate.js';
export { SpacesHealthIndicator } from './health/spaces-health.indicator.js';
export type { Caller, CallerType } from './auth/caller.js';
export type { CallerResolver, ResolvedCaller } from './auth/caller-resolver.js';
export { ConfigError } from './config/environment.js';
export { PendingMigrationsError } from './database/database.js';
/** The Prisma client of the service's schema, for a host that passes its own (`database.prisma`). */
export { PrismaClient } from './generated/prisma/client.js';
