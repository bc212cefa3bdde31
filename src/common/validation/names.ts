import { registerDecorator, type ValidationOptions } from 'class-validator';

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

export function IsName(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isName',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: ({ property }) => `${property} ${NAME_RULE}`, ...options },
      validator: { validate: isValidName },
    });
}
