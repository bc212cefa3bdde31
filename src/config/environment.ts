import path from 'node:path';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsBoolean,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
  type ValidationError,
  ValidateBy,
} from 'class-validator';
import { DEFAULT_SPACE_TAGS, isSpaceTagCatalogue, type SpaceTagCatalogue } from './space-tags.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);
const toJson = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
};
const MARKETPLACE_BACKOFF_RULE = (name: string) => `${name} must be an integer from 0 to 31536000`;

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);

/**
 * The environment the service reads. Unset or empty means the default.
 * Each rule's message names the variable, so a bad value stops the start clearly.
 */
export class Environment {
  @Transform(toInt)
  @IsInt({ message: 'PORT must be an integer from 0 to 65535' })
  @Min(0, { message: 'PORT must be an integer from 0 to 65535' })
  @Max(65535, { message: 'PORT must be an integer from 0 to 65535' })
  PORT: number = 3000;

  @IsString()
  @MinLength(1, { message: 'HOST must not be empty' })
  HOST: string = '0.0.0.0';

  /** "/" serves the API at the root. */
  @Matches(/^(\/|(\/[A-Za-z0-9._~-]+)+)$/, {
    message: 'API_PREFIX must be / or a path such as /api/v3/onezone (no trailing slash)',
  })
  API_PREFIX: string = '/api/v3/onezone';

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, {
    message: 'DATABASE_URL must be a postgresql:// connection URL',
  })
  DATABASE_URL?: string;

  /**
   * The replicas of a replicated PostgreSQL (e.g. HAProxy's replica port):
   * reads that may lag (lists, space documents) go there, except a caller's
   * own reads for DATABASE_REPLICA_FRESH_SECONDS after its last write.
   * Unset: every query goes to DATABASE_URL.
   */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, {
    message: 'DATABASE_REPLICA_URL must be a postgresql:// connection URL',
  })
  DATABASE_REPLICA_URL?: string;

  /** How long after a caller's write its reads stay on the leader (read-your-writes). */
  @Transform(toInt)
  @IsInt({ message: 'DATABASE_REPLICA_FRESH_SECONDS must be an integer from 0 to 3600' })
  @Min(0, { message: 'DATABASE_REPLICA_FRESH_SECONDS must be an integer from 0 to 3600' })
  @Max(3600, { message: 'DATABASE_REPLICA_FRESH_SECONDS must be an integer from 0 to 3600' })
  DATABASE_REPLICA_FRESH_SECONDS: number = 5;

  /**
   * The Redis that instances share (redis:// or rediss://): rate limits are
   * counted across instances, and revocations reach every instance at once.
   * Unset: counts per process; revocations reach others within TOKEN_CACHE_SECONDS.
   */
  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  @Transform(toInt)
  @IsInt({ message: 'DATABASE_POOL_SIZE must be an integer from 1 to 1000' })
  @Min(1, { message: 'DATABASE_POOL_SIZE must be an integer from 1 to 1000' })
  @Max(1000, { message: 'DATABASE_POOL_SIZE must be an integer from 1 to 1000' })
  DATABASE_POOL_SIZE: number = 10;

  @IsString()
  @MinLength(1, { message: 'DATA_DIR must not be empty' })
  DATA_DIR: string = './data';

  @IsOptional()
  @Matches(/^[\x21-\x7e]{16,4096}$/, {
    message: 'ADMIN_TOKEN must be 16 to 4096 printable ASCII characters without spaces',
  })
  ADMIN_TOKEN?: string;

  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'TOKEN_SECRET must be at least 32 characters long' })
  @MaxLength(4096, { message: 'TOKEN_SECRET must be at most 4096 characters long' })
  TOKEN_SECRET?: string;

  @Matches(/^[\x21-\x7e]{1,255}$/, {
    message: 'TOKEN_LOCATION must be 1 to 255 printable ASCII characters without spaces',
  })
  TOKEN_LOCATION: string = 'onezone';

  /**
   * How long a verified bearer token is trusted without reading its row again.
   * Revoking through this process takes effect at once; through another
   * instance, within this bound. 0 reads the row on every request.
   */
  @Transform(toInt)
  @IsInt({ message: 'TOKEN_CACHE_SECONDS must be an integer from 0 to 300' })
  @Min(0, { message: 'TOKEN_CACHE_SECONDS must be an integer from 0 to 300' })
  @Max(300, { message: 'TOKEN_CACHE_SECONDS must be an integer from 0 to 300' })
  TOKEN_CACHE_SECONDS: number = 2;

  /**
   * Answer 503 to a request still waiting for the database after this many
   * seconds (0 = wait as long as it takes). Nothing is cancelled; interactive
   * transactions then time out after 3 × this (at least 10 s).
   */
  @Transform(toInt)
  @IsInt({ message: 'REQUEST_DEADLINE_SECONDS must be an integer from 0 to 300' })
  @Min(0, { message: 'REQUEST_DEADLINE_SECONDS must be an integer from 0 to 300' })
  @Max(300, { message: 'REQUEST_DEADLINE_SECONDS must be an integer from 0 to 300' })
  REQUEST_DEADLINE_SECONDS: number = 0;

  /** The longest a temporary token may live: its earliest time caveat at most this many seconds ahead. */
  @Transform(toInt)
  @IsInt({ message: 'TEMPORARY_TOKEN_MAX_TTL must be an integer from 60 to 31536000' })
  @Min(60, { message: 'TEMPORARY_TOKEN_MAX_TTL must be an integer from 60 to 31536000' })
  @Max(31_536_000, { message: 'TEMPORARY_TOKEN_MAX_TTL must be an integer from 60 to 31536000' })
  TEMPORARY_TOKEN_MAX_TTL: number = 2_592_000;

  /** Requests one caller may make in a window (per user, provider or admin; per address for anonymous requests). 0 = no limit. */
  @Transform(toInt)
  @IsInt({ message: 'RATE_LIMIT must be an integer from 0 to 1000000000' })
  @Min(0, { message: 'RATE_LIMIT must be an integer from 0 to 1000000000' })
  @Max(1_000_000_000, { message: 'RATE_LIMIT must be an integer from 0 to 1000000000' })
  RATE_LIMIT: number = 1000;

  @Transform(toInt)
  @IsInt({ message: 'RATE_LIMIT_WINDOW_SECONDS must be an integer from 1 to 86400' })
  @Min(1, { message: 'RATE_LIMIT_WINDOW_SECONDS must be an integer from 1 to 86400' })
  @Max(86_400, { message: 'RATE_LIMIT_WINDOW_SECONDS must be an integer from 1 to 86400' })
  RATE_LIMIT_WINDOW_SECONDS: number = 60;

  /** How long an Idempotency-Key's outcome is kept for retries (24 hours to a year). */
  @Transform(toInt)
  @IsInt({ message: 'IDEMPOTENCY_KEY_HOURS must be an integer from 24 to 8760' })
  @Min(24, { message: 'IDEMPOTENCY_KEY_HOURS must be an integer from 24 to 8760' })
  @Max(8760, { message: 'IDEMPOTENCY_KEY_HOURS must be an integer from 24 to 8760' })
  IDEMPOTENCY_KEY_HOURS: number = 24;

  /**
   * Origins browsers may call the API from: `*` (any origin, without
   * credentials, as Onezone does) or a comma-separated list of origins.
   */
  @Matches(/^(\*|https?:\/\/[^\s,/]+(\s*,\s*https?:\/\/[^\s,/]+)*)$/, {
    message: 'CORS_ORIGINS must be * or a comma-separated list of origins such as https://app.example.org',
  })
  CORS_ORIGINS: string = '*';

  /**
   * Which proxies' X-Forwarded-For to believe for the client's address (used
   * by the rate limit for anonymous requests): `false`, `true`, a number of
   * hops, or a comma-separated list of addresses or CIDR ranges.
   */
  @Matches(/^(true|false|\d{1,2}|[0-9A-Fa-f.:/]+(\s*,\s*[0-9A-Fa-f.:/]+)*)$/, {
    message: 'TRUST_PROXY must be true, false, a number of hops, or a comma-separated list of addresses',
  })
  TRUST_PROXY: string = 'false';

  /** The longest chain of nested groups a change may make (groups counted, ends included). */
  @Transform(toInt)
  @IsInt({ message: 'GROUP_MAX_DEPTH must be an integer from 2 to 1000' })
  @Min(2, { message: 'GROUP_MAX_DEPTH must be an integer from 2 to 1000' })
  @Max(1000, { message: 'GROUP_MAX_DEPTH must be an integer from 2 to 1000' })
  GROUP_MAX_DEPTH: number = 32;

  /** How many effective-membership rows one change to groups may recompute; above it the change is refused (400). */
  @Transform(toInt)
  @IsInt({ message: 'MEMBERSHIP_CHANGE_MAX_ROWS must be an integer from 1 to 100000000' })
  @Min(1, { message: 'MEMBERSHIP_CHANGE_MAX_ROWS must be an integer from 1 to 100000000' })
  @Max(100_000_000, { message: 'MEMBERSHIP_CHANGE_MAX_ROWS must be an integer from 1 to 100000000' })
  MEMBERSHIP_CHANGE_MAX_ROWS: number = 100_000;

  /** The tags spaces may carry: a JSON object of categories, each an array of tags. */
  @Transform(toJson)
  @ValidateBy(
    { name: 'isSpaceTagCatalogue', validator: { validate: isSpaceTagCatalogue } },
    {
      message:
        'AVAILABLE_SPACE_TAGS must be a JSON object whose keys (categories) are non-empty and whose values are arrays of tags of 1 to 64 characters',
    },
  )
  AVAILABLE_SPACE_TAGS: SpaceTagCatalogue = DEFAULT_SPACE_TAGS;

  /** Whether the Space Marketplace is open (its list, space pages and membership requests). */
  @Transform(toBool)
  @IsBoolean({ message: 'SPACE_MARKETPLACE_ENABLED must be true or false' })
  SPACE_MARKETPLACE_ENABLED: boolean = true;

  /** The shortest time, in seconds, between a membership request and a reminder of it. */
  @Transform(toInt)
  @IsInt({ message: MARKETPLACE_BACKOFF_RULE('MARKETPLACE_REMINDER_BACKOFF_SECONDS') })
  @Min(0, { message: MARKETPLACE_BACKOFF_RULE('MARKETPLACE_REMINDER_BACKOFF_SECONDS') })
  @Max(31_536_000, { message: MARKETPLACE_BACKOFF_RULE('MARKETPLACE_REMINDER_BACKOFF_SECONDS') })
  MARKETPLACE_REMINDER_BACKOFF_SECONDS: number = 86_400;

  /** How long, in seconds, after a rejection the user may not ask again (and the rejection stays listed). */
  @Transform(toInt)
  @IsInt({ message: MARKETPLACE_BACKOFF_RULE('MARKETPLACE_REJECTION_BACKOFF_SECONDS') })
  @Min(0, { message: MARKETPLACE_BACKOFF_RULE('MARKETPLACE_REJECTION_BACKOFF_SECONDS') })
  @Max(31_536_000, { message: MARKETPLACE_BACKOFF_RULE('MARKETPLACE_REJECTION_BACKOFF_SECONDS') })
  MARKETPLACE_REJECTION_BACKOFF_SECONDS: number = 86_400;

  /** GET /metrics in Prometheus' text format (the standalone service; a host imports SpacesMetricsModule instead). */
  @Transform(toBool)
  @IsBoolean({ message: 'METRICS_ENABLED must be true or false' })
  METRICS_ENABLED: boolean = true;

  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevel = 'info';

  /** `json` lines, `pretty` (coloured, one line a message: for people), or `auto`: pretty when stdout is a terminal. */
  @IsIn(LOG_FORMATS, { message: `LOG_FORMAT must be one of ${LOG_FORMATS.join(', ')}` })
  LOG_FORMAT: LogFormat = 'auto';
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The validated configuration, with DATA_DIR made absolute. */
export type AppConfig = Readonly<Environment>;

/**
 * Validates `source` (the environment by default). `names` renames variables
 * in error messages, for settings given under other names (SpacesModule's options).
 */
export function loadConfig(
  source: Record<string, string | undefined> = process.env,
  names: Partial<Record<keyof Environment, string>> = {},
): AppConfig {
  const known = Object.keys(new Environment()).concat(['DATABASE_URL', 'DATABASE_REPLICA_URL', 'REDIS_URL', 'ADMIN_TOKEN', 'TOKEN_SECRET']);
  const raw: Record<string, string> = {};
  for (const key of new Set(known)) {
    const value = source[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const env = plainToInstance(Environment, raw);
  const errors = validateSync(env, { forbidUnknownValues: true });
  if (errors.length > 0) {
    throw new ConfigError(`Invalid configuration: ${describe(errors, raw, names)}`);
  }
  return Object.freeze({
    ...env,
    API_PREFIX: env.API_PREFIX === '/' ? '' : env.API_PREFIX,
    DATA_DIR: path.resolve(env.DATA_DIR),
  });
}

const SECRET_KEYS = new Set(['ADMIN_TOKEN', 'TOKEN_SECRET', 'DATABASE_URL', 'DATABASE_REPLICA_URL', 'REDIS_URL']);

function describe(errors: ValidationError[], raw: Record<string, string>, names: Partial<Record<string, string>>): string {
  return errors
    .map((e) => {
      let message = Object.values(e.constraints ?? {})[0] ?? `${e.property} is invalid`;
      const name = names[e.property];
      if (name) message = message.replaceAll(e.property, name);
      // Never echo a secret back, even a malformed one.
      const got = SECRET_KEYS.has(e.property) ? '' : ` (got ${JSON.stringify(raw[e.property])})`;
      return `${message}${got}`;
    })
    .join('; ');
}
