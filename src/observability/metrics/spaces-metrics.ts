import { Inject, Injectable, type OnModuleDestroy, Optional } from '@nestjs/common';
import { Counter, Gauge, register, type Registry } from 'prom-client';
import { DATABASE, type Database } from '../../database/database.js';
import type { TokenRejectedError } from '../../tokens/token-rejected.error.js';
import type { SpacesMetricsRecorder } from '../metrics-recorder.js';
import { tokenRefusalReason } from '../token-refusals.js';
import { DurationHistogram } from './duration-histogram.js';
import { requestsInFlight } from './http-metrics.js';

/** Seconds; from a fast cached read (a few ms) to a request that hit a timeout. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * One metric by name in the registry: the existing one when another
 * application of the same process (a test, a second module) made it first.
 */
function metric<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

/** The databases of the applications running in this process, read when metrics are scraped. */
const databases = new Set<Database>();

/**
 * The service's metrics, in prom-client's default registry (the one the
 * host's own metrics and /metrics use): HTTP requests, rate-limit and token
 * refusals, and the database pool, read at each scrape (no work per request).
 */
@Injectable()
export class SpacesMetrics implements SpacesMetricsRecorder, OnModuleDestroy {
  readonly requestDuration: DurationHistogram;
  private readonly rateLimitRefusals: Counter;
  private readonly tokenRefusals: Counter<'use' | 'reason'>;

  /** The feature's database (SpacesModule's): absent when the module is imported without it. */
  constructor(@Optional() @Inject(DATABASE) private readonly database?: Database) {
    const registry = register;
    if (database) databases.add(database);
    this.requestDuration = metric(
      registry,
      'http_request_duration_seconds',
      () =>
        new DurationHistogram(
          'http_request_duration_seconds',
          'HTTP requests by method, route template and status, from arrival to the last byte of the answer.',
          ['method', 'route', 'status_code'],
          DURATION_BUCKETS,
          registry,
        ),
    );
    // Read from the requests' own count when scraped (nothing per request here).
    metric(
      registry,
      'http_requests_in_flight',
      () =>
        new Gauge({
          name: 'http_requests_in_flight',
          help: 'HTTP requests being served.',
          registers: [registry],
          collect() {
            this.set(requestsInFlight());
          },
        }),
    );
    this.rateLimitRefusals = metric(
      registry,
      'spaces_rate_limit_refusals_total',
      () =>
        new Counter({
          name: 'spaces_rate_limit_refusals_total',
          help: 'Requests refused by the rate limit (429 too_many_requests).',
          registers: [registry],
        }),
    );
    this.tokenRefusals = metric(
      registry,
      'spaces_token_refusals_total',
      () =>
        new Counter({
          name: 'spaces_token_refusals_total',
          help: 'Tokens refused, by use (a bearer token, or a token in a request body) and reason.',
          labelNames: ['use', 'reason'],
          registers: [registry],
        }),
    );
    metric(registry, 'spaces_db_pool_connections', () => poolGauge(registry, 'spaces_db_pool_connections'));
    metric(registry, 'spaces_db_pool_max', () => poolGauge(registry, 'spaces_db_pool_max'));
    metric(registry, 'spaces_db_pool_waiting', () => poolGauge(registry, 'spaces_db_pool_waiting'));
    metric(
      registry,
      'spaces_database_info',
      () =>
        new Gauge({
          name: 'spaces_database_info',
          help: 'The database the service runs on (1): embedded (PGlite, in the process), postgresql, or host (the host application\u2019s client).',
          labelNames: ['kind'],
          registers: [registry],
          collect() {
            this.reset();
            for (const db of databases) this.set({ kind: db.kind }, 1);
          },
        }),
    );
  }

  rateLimited(): void {
    this.rateLimitRefusals.inc();
  }

  tokenRefused(use: 'bearer' | 'body', error: TokenRejectedError): void {
    this.tokenRefusals.inc({ use, reason: tokenRefusalReason(error) });
  }

  onModuleDestroy(): void {
    if (this.database) databases.delete(this.database);
  }
}

const POOL_HELP: Record<string, string> = {
  spaces_db_pool_connections: 'PostgreSQL connections of the service\u2019s pool, by state: idle, or in use by a query or a transaction.',
  spaces_db_pool_max: 'The most connections the pool opens (DATABASE_POOL_SIZE).',
  spaces_db_pool_waiting: 'Queries and transactions waiting for a connection of the pool.',
};

/** A pool gauge, set from the pools' counts when scraped (0 on the embedded database, which has no pool). */
function poolGauge(registry: Registry, name: string): Gauge<string> {
  return new Gauge({
    name,
    help: POOL_HELP[name],
    labelNames: name === 'spaces_db_pool_connections' ? ['state'] : [],
    registers: [registry],
    collect() {
      this.reset();
      for (const db of databases) {
        const pool = db.pool();
        if (!pool) continue;
        if (name === 'spaces_db_pool_connections') {
          this.inc({ state: 'idle' }, pool.idle);
          this.inc({ state: 'used' }, pool.total - pool.idle);
        } else {
          this.inc(name === 'spaces_db_pool_max' ? pool.max : pool.waiting);
        }
      }
    },
  });
}
