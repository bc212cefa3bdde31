/**
 * `spaces-service/metrics`: the service's Prometheus metrics as a module a
 * host imports beside SpacesModule, or leaves out. It needs prom-client and
 * @willsoto/nestjs-prometheus (optional peer dependencies); the main entry
 * point loads neither.
 */
export { SpacesMetricsModule, type SpacesMetricsOptions } from './observability/metrics/metrics.module.js';
export { SpacesMetrics } from './observability/metrics/spaces-metrics.js';
