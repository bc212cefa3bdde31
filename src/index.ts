/**
 * The spaces service as a package: the feature module a host Nest
 * application imports, what it needs to configure it, and the services it
 * exports to the host.
 */
export { SpacesModule } from './integration/spaces.module.js';
export {
  SPACES_MODULE_OPTIONS,
  type SpacesModuleAsyncOptions,
  type SpacesModuleForRootOptions,
  type SpacesOptionsFactory,
} from './integration/spaces-module.definition.js';
export type { SpacesDatabaseOptions, SpacesModuleOptions, SpacesModuleRouteOptions } from './integration/spaces-module.options.js';
export { migrateSpacesDatabase } from './integration/migrate.js';
export { SpacesHealthIndicator } from './health/spaces-health.indicator.js';
export { SpacesService } from './spaces/spaces.service.js';
export { MembersService } from './spaces/members.service.js';
export { TokensService } from './tokens/tokens.service.js';
export type { Caller, CallerType } from './auth/caller.js';
export type { CallerResolver, ResolvedCaller } from './auth/caller-resolver.js';
export { ConfigError } from './config/environment.js';
export { PendingMigrationsError } from './database/database.js';
/** The Prisma client of the service's schema, for a host that passes its own (`database.prisma`). */
export { PrismaClient } from './generated/prisma/client.js';
