import type { CallerResolver } from '../auth/caller-resolver.js';
import { type AppConfig, type Environment, loadConfig } from '../config/environment.js';
import type { SpaceTagCatalogue } from '../config/space-tags.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { MarketplaceEventListener } from '../spaces/marketplace-events.js';

/** Where the spaces live. Without it: the embedded database under `dataDir`. */
export type SpacesDatabaseOptions =
  /** A PostgreSQL the feature connects to with a pool of its own, applying its migrations at start. */
  | {
      url: string;
      poolSize?: number;
      /** `DATABASE_REPLICA_URL`: reads that may lag go to the replicas. */
      replicaUrl?: string;
      /** `DATABASE_REPLICA_FRESH_SECONDS` (5): a caller's reads stay on the leader this long after its write. */
      replicaFreshSeconds?: number;
    }
  /**
   * The host's Prisma client (the package's `PrismaClient`, over the host's
   * adapter). The host applies the migrations (`migrateSpacesDatabase`)
   * and connects and closes the client; the feature checks the migrations
   * at start.
   */
  | { prisma: PrismaClient };

/** What SpacesModule runs with. Every setting has the default of its environment variable (README, Configuration). */
export interface SpacesModuleOptions {
  database?: SpacesDatabaseOptions;
  /**
   * Who is calling, by the host's own authentication, instead of the
   * service's bearer tokens. With a resolver, the admin routes (POST /users,
   * /providers and their tokens) are not served: the host owns identities.
   */
  resolveCaller?: CallerResolver;
  /** Where the embedded database and generated secrets are kept (`DATA_DIR`, ./data). */
  dataDir?: string;
  /** The macaroon secret (`TOKEN_SECRET`): the same on every instance. Default: generated into dataDir. */
  tokenSecret?: string;
  /** `TOKEN_LOCATION` (onezone). */
  tokenLocation?: string;
  /** `GROUP_MAX_DEPTH` (32): the longest chain of nested groups. */
  groupMaxDepth?: number;
  /** `MEMBERSHIP_CHANGE_MAX_ROWS` (100000): the most effective memberships one change may recompute. */
  membershipChangeMaxRows?: number;
  /** `TOKEN_CACHE_SECONDS` (2). */
  tokenCacheSeconds?: number;
  /** `REQUEST_DEADLINE_SECONDS` (0: none): 503 to a request still waiting for the database after this long. */
  requestDeadlineSeconds?: number;
  /** `REDIS_URL`: rate limits counted across instances, revocations sent to every instance. */
  redisUrl?: string;
  /** `TEMPORARY_TOKEN_MAX_TTL` (2592000): the longest a temporary token may live, in seconds. */
  temporaryTokenMaxTtl?: number;
  /** The admin token (`ADMIN_TOKEN`), without a resolver only. Default: generated into dataDir. */
  adminToken?: string;
  /** Requests a caller may make a window (`RATE_LIMIT`, 1000); 0 turns the limit off. */
  rateLimit?: number;
  /** `RATE_LIMIT_WINDOW_SECONDS` (60). */
  rateLimitWindowSeconds?: number;
  /** `IDEMPOTENCY_KEY_HOURS` (24). */
  idempotencyKeyHours?: number;
  /** `AVAILABLE_SPACE_TAGS` (Onezone's list): category → tags spaces may carry; an object, or its JSON. */
  availableSpaceTags?: SpaceTagCatalogue | string;
  /** `SPACE_MARKETPLACE_ENABLED` (true). */
  spaceMarketplaceEnabled?: boolean;
  /** `MARKETPLACE_REMINDER_BACKOFF_SECONDS` (86400). */
  marketplaceReminderBackoffSeconds?: number;
  /** `MARKETPLACE_REJECTION_BACKOFF_SECONDS` (86400). */
  marketplaceRejectionBackoffSeconds?: number;
  /**
   * Told of each membership request, resolution and cancellation, after it is
   * committed (the service sends no mail: a host may). Errors are logged and
   * never fail the request.
   */
  onMarketplaceEvent?: MarketplaceEventListener;
}

/** Decided when the module is imported, before any factory runs: they shape the routes. */
export interface SpacesModuleRouteOptions {
  /**
   * The path the feature's routes are served under, inside the host's own
   * global prefix. Default: `/api/v3/onezone`, as Onezone; `/` for none.
   */
  routePrefix?: string;
  /**
   * Serve the admin routes that make users and providers (the service as its
   * own identity store, with the admin token). Default: false, in forRoot and
   * forRootAsync alike: a host owns its identities.
   */
  identities?: boolean;
}

/** The extras' defaults, the same for forRoot and forRootAsync. */
export const ROUTE_DEFAULTS: Required<SpacesModuleRouteOptions> = { routePrefix: '/api/v3/onezone', identities: false };

/** The route prefix as the configuration holds it: `/a/b`, or `/` for none. */
export function normalizeRoutePrefix(prefix: string | undefined): string {
  if (prefix === undefined) return ROUTE_DEFAULTS.routePrefix;
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  return `/${trimmed}`;
}

const OPTION_NAMES: Partial<Record<keyof Environment, string>> = {
  API_PREFIX: 'routePrefix',
  DATABASE_URL: 'database.url',
  DATABASE_POOL_SIZE: 'database.poolSize',
  DATABASE_REPLICA_URL: 'database.replicaUrl',
  DATABASE_REPLICA_FRESH_SECONDS: 'database.replicaFreshSeconds',
  REDIS_URL: 'redisUrl',
  REQUEST_DEADLINE_SECONDS: 'requestDeadlineSeconds',
  DATA_DIR: 'dataDir',
  ADMIN_TOKEN: 'adminToken',
  TOKEN_SECRET: 'tokenSecret',
  TOKEN_LOCATION: 'tokenLocation',
  TOKEN_CACHE_SECONDS: 'tokenCacheSeconds',
  TEMPORARY_TOKEN_MAX_TTL: 'temporaryTokenMaxTtl',
  RATE_LIMIT: 'rateLimit',
  RATE_LIMIT_WINDOW_SECONDS: 'rateLimitWindowSeconds',
  IDEMPOTENCY_KEY_HOURS: 'idempotencyKeyHours',
  GROUP_MAX_DEPTH: 'groupMaxDepth',
  MEMBERSHIP_CHANGE_MAX_ROWS: 'membershipChangeMaxRows',
  AVAILABLE_SPACE_TAGS: 'availableSpaceTags',
  SPACE_MARKETPLACE_ENABLED: 'spaceMarketplaceEnabled',
  MARKETPLACE_REMINDER_BACKOFF_SECONDS: 'marketplaceReminderBackoffSeconds',
  MARKETPLACE_REJECTION_BACKOFF_SECONDS: 'marketplaceRejectionBackoffSeconds',
};

/** An option as the environment variable it stands for: the options are numbers and booleans. */
const text = (value: number | boolean | undefined | null): string | undefined =>
  value === undefined || value === null ? undefined : String(value);

/**
 * The options as the feature's configuration, validated by the rules of
 * the Environment schema (the messages name the options). Throws ConfigError.
 */
export function spacesConfig(options: SpacesModuleOptions, routePrefix: string): AppConfig {
  const database = options.database as
    Partial<{ url: string; poolSize: number; replicaUrl: string; replicaFreshSeconds: number; prisma: PrismaClient }> | undefined;
  if (database && 'url' in database === 'prisma' in database) {
    throw new TypeError('SpacesModule: database takes either url or prisma');
  }
  if (options.resolveCaller !== undefined && typeof options.resolveCaller !== 'function') {
    throw new TypeError('SpacesModule: resolveCaller must be a function');
  }
  if (options.onMarketplaceEvent !== undefined && typeof options.onMarketplaceEvent !== 'function') {
    throw new TypeError('SpacesModule: onMarketplaceEvent must be a function');
  }
  return loadConfig(
    {
      API_PREFIX: routePrefix,
      DATABASE_URL: database?.url,
      DATABASE_POOL_SIZE: text(database?.poolSize),
      DATABASE_REPLICA_URL: database?.replicaUrl,
      DATABASE_REPLICA_FRESH_SECONDS: text(database?.replicaFreshSeconds),
      REDIS_URL: options.redisUrl,
      REQUEST_DEADLINE_SECONDS: text(options.requestDeadlineSeconds),
      DATA_DIR: options.dataDir,
      ADMIN_TOKEN: options.adminToken,
      TOKEN_SECRET: options.tokenSecret,
      TOKEN_LOCATION: options.tokenLocation,
      TOKEN_CACHE_SECONDS: text(options.tokenCacheSeconds),
      TEMPORARY_TOKEN_MAX_TTL: text(options.temporaryTokenMaxTtl),
      RATE_LIMIT: text(options.rateLimit),
      RATE_LIMIT_WINDOW_SECONDS: text(options.rateLimitWindowSeconds),
      IDEMPOTENCY_KEY_HOURS: text(options.idempotencyKeyHours),
      GROUP_MAX_DEPTH: text(options.groupMaxDepth),
      MEMBERSHIP_CHANGE_MAX_ROWS: text(options.membershipChangeMaxRows),
      AVAILABLE_SPACE_TAGS:
        options.availableSpaceTags === undefined || typeof options.availableSpaceTags === 'string'
          ? options.availableSpaceTags
          : JSON.stringify(options.availableSpaceTags),
      SPACE_MARKETPLACE_ENABLED: text(options.spaceMarketplaceEnabled),
      MARKETPLACE_REMINDER_BACKOFF_SECONDS: text(options.marketplaceReminderBackoffSeconds),
      MARKETPLACE_REJECTION_BACKOFF_SECONDS: text(options.marketplaceRejectionBackoffSeconds),
    },
    OPTION_NAMES,
  );
}

/** The standalone service's options, from its environment (the route prefix is the app's global prefix). */
export function spacesOptionsFrom(config: AppConfig): SpacesModuleOptions {
  return {
    database: config.DATABASE_URL
      ? {
          url: config.DATABASE_URL,
          poolSize: config.DATABASE_POOL_SIZE,
          replicaUrl: config.DATABASE_REPLICA_URL,
          replicaFreshSeconds: config.DATABASE_REPLICA_FRESH_SECONDS,
        }
      : undefined,
    redisUrl: config.REDIS_URL,
    requestDeadlineSeconds: config.REQUEST_DEADLINE_SECONDS,
    dataDir: config.DATA_DIR,
    adminToken: config.ADMIN_TOKEN,
    tokenSecret: config.TOKEN_SECRET,
    tokenLocation: config.TOKEN_LOCATION,
    tokenCacheSeconds: config.TOKEN_CACHE_SECONDS,
    temporaryTokenMaxTtl: config.TEMPORARY_TOKEN_MAX_TTL,
    rateLimit: config.RATE_LIMIT,
    rateLimitWindowSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
    idempotencyKeyHours: config.IDEMPOTENCY_KEY_HOURS,
    groupMaxDepth: config.GROUP_MAX_DEPTH,
    membershipChangeMaxRows: config.MEMBERSHIP_CHANGE_MAX_ROWS,
    availableSpaceTags: config.AVAILABLE_SPACE_TAGS,
    spaceMarketplaceEnabled: config.SPACE_MARKETPLACE_ENABLED,
    marketplaceReminderBackoffSeconds: config.MARKETPLACE_REMINDER_BACKOFF_SECONDS,
    marketplaceRejectionBackoffSeconds: config.MARKETPLACE_REJECTION_BACKOFF_SECONDS,
  };
}
