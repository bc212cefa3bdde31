/**
 * A token failed a check. The reason is for the log: callers see one answer
 * whatever it was.
 */
export class TokenRejectedError extends Error {
  override name = 'TokenRejectedError';

  constructor(readonly reason: string) {
    super(`token rejected: ${reason}`);
  }
}
