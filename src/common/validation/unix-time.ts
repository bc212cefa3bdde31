import { registerDecorator, type ValidationOptions } from 'class-validator';

/** Latest accepted instant: the end of year 9999, as unix seconds. */
export const MAX_UNIX_SECONDS = 253_402_300_799;

/** A unix time in whole seconds (a JSON integer). Being in the future is checked at use. */
export function IsUnixSeconds(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isUnixSeconds',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: ({ property }) => `${property} must be a unix time in whole seconds (an integer)`,
        ...options,
      },
      validator: {
        validate: (v: unknown) => Number.isSafeInteger(v) && (v as number) > 0 && (v as number) <= MAX_UNIX_SECONDS,
      },
    });
}
