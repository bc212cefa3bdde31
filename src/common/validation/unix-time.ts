import { rule } from './rule.js';

/** Latest accepted instant: the end of year 9999, as unix seconds. */
export const MAX_UNIX_SECONDS = 253_402_300_799;

/** A unix time in whole seconds (a JSON integer). Being in the future is checked at use. */
export const IsUnixSeconds = rule(
  'isUnixSeconds',
  (v) => Number.isSafeInteger(v) && (v as number) > 0 && (v as number) <= MAX_UNIX_SECONDS,
  (property) => `${property} must be a unix time in whole seconds (an integer)`,
);
