import { TokenRejectedError } from '../tokens/token-rejected.error.js';
import { tokenRefusalReason } from './token-refusals.js';

describe('tokenRefusalReason', () => {
  it.each([
    ['malformed', 'malformed'],
    ['unknown token 0123abcd', 'unknown'],
    ['token 0123abcd is not of version 2', 'unknown'],
    ['token 0123abcd is revoked', 'revoked'],
    ['temporary token 0123abcd of a revoked generation', 'revoked'],
    ['token 0123abcd expired', 'expired'],
    ['token 0123abcd has no uses left', 'used_up'],
    ['token 0123abcd was used up or revoked concurrently', 'used_up'],
    ['the subject of token 0123abcd is gone', 'subject_gone'],
    ['token 0123abcd is a invite token, not for bearer', 'wrong_type'],
    ['token 0123abcd: signature mismatch', 'signature'],
    ['caveat ip does not hold', 'caveat'],
    ['unknown caveat "geo.region = EU"', 'caveat'],
    ['service opw-1 may not use tokens of user 2', 'service'],
    ['issuer 0123 no longer holds space_add_support', 'issuer'],
    ['space 0123 is gone', 'issuer'],
    ['something new', 'other'],
  ])('%s → %s', (reason, expected) => {
    expect(tokenRefusalReason(new TokenRejectedError(reason))).toBe(expected);
  });
});
