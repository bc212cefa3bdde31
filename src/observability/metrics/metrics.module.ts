import { type DynamicModule, Global, Inject, Module, type NestModule } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { collectDefaultMetrics, register } from 'prom-client';
import { SPACES_METRICS } from '../metrics-recorder.js';
import { measureRequests } from './http-metrics.js';
import { MetricsController } from './metrics.controller.js';
import { SpacesMetrics } from './spaces-metrics.js';

export interface SpacesMetricsOptions {
  /** Where the metrics are served, inside the host's global prefix. Default: `metrics`. */
  path?: string;
  /** prom-client's default metrics: the process (CPU, memory, file descriptors) and Node (heap, event loop lag, GC). Default: true. */
  defaultMetrics?: boolean;
  /**
   * Request durations by route and status, and the requests in flight, for
   * every request the application serves (the host's too). Default: true;
   * false for a host that measures its requests itself.
   */
  httpMetrics?: boolean;
}

const METRICS_OPTIONS = Symbol('SpacesMetricsOptions');

/**
 * The service's metrics in Prometheus' text format at GET /metrics, through
 * @willsoto/nestjs-prometheus and prom-client's default registry (so a host's
 * own prom-client metrics are served beside them). Import it once, beside
 * SpacesModule; without it the feature records nothing.
 *
 * ```ts
 * imports: [SpacesModule.forRoot({ ... }), SpacesMetricsModule.forRoot({ path: 'metrics' })]
 * ```
 */
@Global()
@Module({})
export class SpacesMetricsModule implements NestModule {
  static forRoot(options: SpacesMetricsOptions = {}): DynamicModule {
    const path = `/${(options.path ?? 'metrics').replace(/^\/+|\/+$/g, '')}`;
    // Once per process: the default metrics are the process's, whichever application asks.
    if ((options.defaultMetrics ?? true) && !register.getSingleMetric('process_cpu_user_seconds_total')) {
      collectDefaultMetrics({ register });
    }
    return {
      module: SpacesMetricsModule,
      imports: [PrometheusModule.register({ path, controller: MetricsController, defaultMetrics: { enabled: false } })],
      providers: [{ provide: METRICS_OPTIONS, useValue: options }, SpacesMetrics, { provide: SPACES_METRICS, useExisting: SpacesMetrics }],
      exports: [SPACES_METRICS, SpacesMetrics],
    };
  }

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: SpacesMetrics,
    @Inject(METRICS_OPTIONS) private readonly options: SpacesMetricsOptions,
  ) {}

  /** Runs before the routes are registered, so the hooks see every request. */
  configure(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter || this.options.httpMetrics === false) return;
    measureRequests(adapter, this.metrics.requestDuration);
  }
}
