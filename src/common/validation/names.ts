import { rule } from './rule.js';

/**
 * Onezone's name rule, for spaces, users and providers: 2–128 characters;
 * letters (any script, with combining marks), digits, underscore and
 * parentheses anywhere; space, dot and dash only inside. Not trimmed.
 */
export const NAME_MIN_LENGTH = 2;
export const NAME_MAX_LENGTH = 128;
const NAME_PATTERN = /^[\p{L}\p{Nd}_()](?:[\p{L}\p{M}\p{Nd}_() .-]*[\p{L}\p{M}\p{Nd}_()])?$/u;

export const NAME_RULE =
  'must be 2 to 128 characters long: letters, digits, underscores and parentheses, ' +
  'with spaces, dots and dashes allowed only inside (not first or last)';

export function isValidName(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const length = [...value].length; // characters, not UTF-16 units
  return length >= NAME_MIN_LENGTH && length <= NAME_MAX_LENGTH && NAME_PATTERN.test(value);
}

export const IsName = rule('isName', isValidName, (property) => `${property} ${NAME_RULE}`);
