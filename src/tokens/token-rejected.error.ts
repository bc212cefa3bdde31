/**
 * A token failed a check. The reason is for the log; `description` is the
 * caller-facing text of the verify routes (Onezone's description of the
 * failure). Everywhere else callers see one answer whatever it was.
 */
export class TokenRejectedError extends Error {
  override name = 'TokenRejectedError';

  constructor(
    readonly reason: string,
    readonly description = 'Provided token could not be validated.',
  ) {
    super(`token rejected: ${reason}`);
  }
}
