import type { TokenRejectedError } from '../tokens/token-rejected.error.js';

/** The reasons a refusal is counted under: a fixed list, so the metric's labels stay few. */
export const TOKEN_REFUSAL_REASONS = [
  'malformed',
  'unknown',
  'revoked',
  'expired',
  'used_up',
  'subject_gone',
  'wrong_type',
  'signature',
  'caveat',
  'service',
  'issuer',
  'other',
] as const;
export type TokenRefusalReason = (typeof TOKEN_REFUSAL_REASONS)[number];

/**
 * Which kind of failure a TokenRejectedError is, from the reason the tokens
 * code logs (never the token). The first rule that matches wins.
 */
const RULES: [RegExp, TokenRefusalReason][] = [
  [/^malformed$/, 'malformed'],
  [/caveat/, 'caveat'],
  [/^unknown token|not of version|names another subject/, 'unknown'],
  [/no uses left|used up/, 'used_up'],
  [/revoked/, 'revoked'],
  [/expired/, 'expired'],
  [/^the subject of token/, 'subject_gone'],
  [/ token, not for |must be a provider identity token/, 'wrong_type'],
  [/^service /, 'service'],
  [/^token \S+: /, 'signature'],
  [/^(issuer|space|group|provider) .*(no longer|is gone)/, 'issuer'],
];

export function tokenRefusalReason(error: Pick<TokenRejectedError, 'reason'>): TokenRefusalReason {
  for (const [pattern, reason] of RULES) if (pattern.test(error.reason)) return reason;
  return 'other';
}
