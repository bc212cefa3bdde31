import type { TokenRejectedError } from '../tokens/token-rejected.error.js';

/**
 * What the feature reports to its metrics, when a host mounts them
 * (SpacesMetricsModule, `spaces-service/metrics`). Without it nothing is
 * injected and the feature records nothing: this file imports no metrics
 * library, so the package runs without prom-client.
 */
export interface SpacesMetricsRecorder {
  /** A request refused by the rate limit (429). */
  rateLimited(): void;
  /** A token refused: as a request's bearer, or given in a body (invites, support tokens, …). The token itself is never recorded. */
  tokenRefused(use: 'bearer' | 'body', error: TokenRejectedError): void;
}

/** The recorder's injection token (optional everywhere it is asked for). */
export const SPACES_METRICS = Symbol('SpacesMetrics');
