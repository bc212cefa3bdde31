import type { DirStatsServiceStatus, SupportParameters } from '../access/access.repository.js';
import { ApiError } from '../common/api-error.js';

/** A support's parameters before any is set: accounting and directory statistics off. */
export const DEFAULT_SUPPORT_PARAMETERS: SupportParameters = Object.freeze({
  accountingEnabled: false,
  dirStatsServiceEnabled: false,
  dirStatsServiceStatus: 'disabled',
});

/** Changes to a support's parameters; absent or null means unchanged. */
export type SupportParametersChange = {
  [K in keyof SupportParameters]?: SupportParameters[K] | null;
};

/**
 * Applies `change` to `stored`. Accounting needs the directory statistics
 * (400 otherwise, nothing changes); then the status follows the switch:
 * switching them on from disabled or stopping makes them initializing,
 * switching them off from enabled or initializing makes them stopping.
 */
export function applySupportParameters(stored: SupportParameters, change: SupportParametersChange): SupportParameters {
  const next: SupportParameters = { ...stored };
  for (const key of ['accountingEnabled', 'dirStatsServiceEnabled', 'dirStatsServiceStatus'] as const) {
    const value = change[key];
    if (value !== undefined && value !== null) Object.assign(next, { [key]: value });
  }
  if (next.accountingEnabled && !next.dirStatsServiceEnabled) {
    throw ApiError.invalidRequest('accountingEnabled needs dirStatsServiceEnabled: accounting relies on the directory statistics.');
  }
  next.dirStatsServiceStatus = adjustedStatus(next.dirStatsServiceEnabled, next.dirStatsServiceStatus);
  return next;
}

function adjustedStatus(enabled: boolean, status: DirStatsServiceStatus): DirStatsServiceStatus {
  if (enabled && (status === 'disabled' || status === 'stopping')) return 'initializing';
  if (!enabled && (status === 'enabled' || status === 'initializing')) return 'stopping';
  return status;
}
