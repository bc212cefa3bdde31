import { ApiError } from '../common/api-error.js';

/** A token limit given as unix seconds; it must lie in the future. */
export function futureDate(unixSeconds: number | undefined): Date | null {
  if (unixSeconds === undefined) return null;
  const date = new Date(unixSeconds * 1000);
  if (date.getTime() <= Date.now()) throw ApiError.invalidRequest('validUntil must be in the future.');
  return date;
}
